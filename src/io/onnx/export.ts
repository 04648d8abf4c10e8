import { NeuriteError } from '../../core/errors.js';
import { readPipeline, type Pipeline } from '../../data/pipeline/index.js';
import type { NeuralNetwork } from '../../model/network.js';
import type { TableModel } from '../../table/index.js';
import { denseStack } from '../dense-stack.js';
import { defaultOpset, onnxActivation } from './activations.js';
import { encodeModel } from './encode.js';
import { GraphBuilder } from './graph-builder.js';
import { assertExpressible, rawColumns, writePostprocessing, writePreprocessing } from './preprocess.js';
import { DataType, type OnnxModel } from './proto.js';
import { QuantizedNetwork } from '../../quant/quantized-network.js';
import { quantizedDefaultOpset, writeQuantizedOnnx } from './export-quantized.js';
import { ONNX_METADATA } from './metadata.js';

/** Options of {@link exportOnnx}. */
export interface OnnxExportOptions {
  /**
   * The ONNX operator set (13 to 21). Default: 13, or 20 when a layer uses `gelu` (ONNX's `Gelu`
   * operator arrived in opset 20; below it the same formula is written in elementary operators).
   */
  opset?: number;
  /**
   * For a model trained on a table (`fitTable`, `neurite train --data`): `'auto'` (default) writes
   * its preprocessing as operators, so the ONNX model takes the raw numeric columns and returns
   * predictions in the target's units, and refuses (`UNSUPPORTED`) a pipeline with text columns;
   * `'none'` writes the network alone, taking the pipeline's encoded features.
   */
  preprocessing?: 'auto' | 'none';
  /** The graph's name (default `'neurite'`). */
  graphName?: string;
  /** `producer_version` in the file (the CLI writes neurite's version). */
  producerVersion?: string;
}

/** The ONNX IR version that goes with each opset (onnx/docs/Versioning.md). */
const IR_VERSION: Readonly<Record<number, number>> = {
  13: 7,
  14: 7,
  15: 8,
  16: 8,
  17: 8,
  18: 8,
  19: 9,
  20: 9,
  21: 10,
};

function checkedOpset(opset: number): number {
  if (IR_VERSION[opset] === undefined) {
    throw new NeuriteError('INVALID_OPTION', `opset must be an integer from 13 to 21, got ${String(opset)}`);
  }
  return opset;
}

function pipelineOf(net: NeuralNetwork): Pipeline | undefined {
  const p = net.metadata['pipeline'];
  return p === undefined ? undefined : readPipeline(p, 'metadata.pipeline');
}

/**
 * Writes a network as an ONNX model (`ModelProto` bytes): one `Gemm` (transB = 1, so the
 * `[units][inputs]` weights go in unchanged) and one activation operator per layer, float32
 * initializers in `raw_data`, input `input` and output `output` with a symbolic batch dimension,
 * and neurite's settings in `metadata_props`. A table model's numeric preprocessing becomes
 * operators (see {@link OnnxExportOptions.preprocessing}). Runs in onnxruntime, PyTorch's and
 * every other ONNX consumer; `importOnnx` reads it back. A {@link QuantizedNetwork} (`quantize(net)`)
 * is written with int8 weights and `MatMulInteger`, computing exactly what its kernels compute
 * (see `writeQuantizedOnnx`); that file is for consumers, `importOnnx` refuses it.
 *
 * @example
 * ```ts
 * const bytes = exportOnnx(new NeuralNetwork({ layers: [3, 4, 2], activation: 'relu', seed: 1 }));
 * // await ort.InferenceSession.create(bytes) in onnxruntime-web or -node
 * ```
 */
export function exportOnnx(
  model: NeuralNetwork | TableModel | QuantizedNetwork,
  options: OnnxExportOptions = {},
): Uint8Array {
  const mode = options.preprocessing ?? 'auto';
  if (mode !== 'auto' && mode !== 'none') {
    throw new NeuriteError('INVALID_OPTION', `preprocessing must be 'auto' or 'none', got ${JSON.stringify(mode)}`);
  }
  if (model instanceof QuantizedNetwork) {
    const opset = checkedOpset(options.opset ?? quantizedDefaultOpset(model));
    return writeQuantizedOnnx(model, {
      opset,
      irVersion: IR_VERSION[opset]!,
      graphName: options.graphName ?? 'neurite',
      producerVersion: options.producerVersion ?? '',
    });
  }
  const net = 'net' in model ? model.net : model;
  const stack = denseStack(net);
  const opset = checkedOpset(options.opset ?? defaultOpset(stack.layers.map((l) => l.activation)));
  const pipeline = mode === 'auto' ? pipelineOf(net) : undefined;
  if (pipeline !== undefined) assertExpressible(pipeline);

  const pre = new GraphBuilder('neurite.pre/');
  const b = new GraphBuilder();
  const post = new GraphBuilder('neurite.post/');
  let x = pipeline === undefined ? 'input' : writePreprocessing(pre, pipeline, 'input');
  stack.layers.forEach((l, i) => {
    b.prefix = `layer${String(i)}/`;
    const w = b.constant('weight', [l.units, l.inputs], l.weights);
    const bias = b.constant('bias', [l.units], l.biases);
    const z = b.op('Gemm', [x, w, bias], { transB: 1 });
    x = onnxActivation(l.activation).write(b, z, l.alpha ?? 0, opset);
  });
  if (pipeline !== undefined) x = writePostprocessing(post, pipeline, x);
  const parts = [pre, b, post];
  for (const p of parts) p.rename(x, 'output');

  const inputs = pipeline === undefined ? net.inputSize : rawColumns(pipeline).length;
  const onnx: OnnxModel = {
    irVersion: IR_VERSION[opset]!,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'neurite',
    producerVersion: options.producerVersion ?? '',
    graph: {
      name: options.graphName ?? 'neurite',
      nodes: parts.flatMap((p) => p.nodes),
      initializers: parts.flatMap((p) => p.initializers),
      inputs: [{ name: 'input', elemType: DataType.FLOAT, shape: ['batch', inputs] }],
      outputs: [{ name: 'output', elemType: DataType.FLOAT, shape: ['batch', net.outputSize] }],
    },
    metadataProps: ONNX_METADATA.write(net, pipeline),
  };
  return encodeModel(onnx);
}
