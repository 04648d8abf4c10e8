import { ACTIVATION_LEVELS, QUANT_TINY } from '../../backend/js/quantized-affine.js';
import { QUANTIZED_MODEL_FORMAT } from '../../quant/quantized-format.js';
import type { QuantizedNetwork } from '../../quant/quantized-network.js';
import { defaultOpset, onnxActivation } from './activations.js';
import { encodeModel } from './encode.js';
import { GraphBuilder } from './graph-builder.js';
import { DataType, type OnnxModel } from './proto.js';

/** The metadata_props key that marks a quantized network's file (importOnnx refuses it by this). */
export const ONNX_QUANTIZED_KEY = 'neurite.quantized';

/** What {@link writeQuantizedOnnx} needs besides the network (checked by `exportOnnx`). */
export interface QuantizedOnnxSettings {
  opset: number;
  irVersion: number;
  graphName: string;
  producerVersion: string;
}

/**
 * A quantized network as ONNX with the same arithmetic as its kernels, step for step in float32
 * and exact integers, so onnxruntime's pre-activations equal `predictBatch`'s bit for bit: per
 * layer, each row's scale from `ReduceMax(Abs(x))` (a row below 1e-30 gets scale 0 and zeros),
 * `Round(x · f32(127 / max))` (half to even, as the kernels round) cast to int8, `MatMulInteger`
 * with the int8 weights (transposed to [inputs][units], zero points 0) into int32, then
 * `f32(f32(sum) · f32(rowScale · weightScale)) + bias` and the activation. The weights stay int8
 * in the file, a quarter of the float model's bytes.
 */
export function writeQuantizedOnnx(q: QuantizedNetwork, s: QuantizedOnnxSettings): Uint8Array {
  const b = new GraphBuilder();
  const levels = b.constant('levels', [], [ACTIVATION_LEVELS]);
  const tiny = b.constant('tiny', [], [QUANT_TINY]);
  const zero = b.constant('zero', [], [0]);
  // ReduceMax's axes became an input in opset 18.
  const rowMax = (x: string): string =>
    s.opset >= 18
      ? b.op('ReduceMax', [b.op('Abs', [x]), b.int64s(`axes_${String(b.nodes.length)}`, [1])], { keepdims: 1 })
      : b.op('ReduceMax', [b.op('Abs', [x])], { axes: [1], keepdims: 1 });
  let x = 'input';
  q.layers.forEach((l, i) => {
    b.prefix = `layer${String(i)}/`;
    const max = rowMax(x);
    const small = b.op('Less', [max, tiny]);
    // A zero row's scale is 0 whatever it quantizes to, but 127 / 0 would send NaN (0 · ∞) into
    // the int8 Cast, whose result ONNX leaves undefined: such rows quantize to zeros, as the kernels do.
    const inv = b.op('Where', [small, zero, b.op('Div', [levels, max])]);
    const rowScale = b.op('Where', [small, zero, b.op('Div', [max, levels])]);
    const xq = b.op('Cast', [b.op('Round', [b.op('Mul', [x, inv])])], { to: DataType.INT8 });
    const wt = new Int8Array(l.inputs * l.units);
    for (let j = 0; j < l.units; j++)
      for (let p = 0; p < l.inputs; p++) wt[p * l.units + j] = l.weights[j * l.inputs + p]!;
    const sums = b.op('MatMulInteger', [xq, b.int8s('weight', [l.inputs, l.units], wt)]);
    const scale = b.op('Mul', [rowScale, b.constant('scale', [l.units], l.scales)]);
    // int32 → double → float32 rounds as int32 → float32 does. The detour keeps onnxruntime from
    // fusing MatMulInteger, Cast and Mul into its MatMulIntegerToFloat, which takes one scale for
    // the whole input instead of one per row: in onnxruntime-web 1.31 (extended optimizations)
    // that changed an MNIST network's logits by up to 0.04.
    const sumsF = b.op('Cast', [b.op('Cast', [sums], { to: DataType.DOUBLE })], { to: DataType.FLOAT });
    const z = b.op('Add', [b.op('Mul', [sumsF, scale]), b.constant('bias', [l.units], l.biases)]);
    x = onnxActivation(l.activation).write(b, z, l.alpha ?? 0, s.opset);
  });
  b.rename(x, 'output');
  const layers = q.layers.map((l) => ({
    units: l.units,
    activation: l.activation,
    ...(l.alpha !== undefined ? { alpha: l.alpha } : {}),
  }));
  const onnx: OnnxModel = {
    irVersion: s.irVersion,
    opsetImport: [{ domain: '', version: s.opset }],
    producerName: 'neurite',
    producerVersion: s.producerVersion,
    graph: {
      name: s.graphName,
      nodes: b.nodes,
      initializers: b.initializers,
      inputs: [{ name: 'input', elemType: DataType.FLOAT, shape: ['batch', q.inputSize] }],
      outputs: [{ name: 'output', elemType: DataType.FLOAT, shape: ['batch', q.outputSize] }],
    },
    metadataProps: [
      {
        key: ONNX_QUANTIZED_KEY,
        value: JSON.stringify({ format: QUANTIZED_MODEL_FORMAT, inputs: q.inputSize, layers }),
      },
    ],
  };
  return encodeModel(onnx);
}

/** The default opset for a quantized network: as for the float one with the same activations. */
export function quantizedDefaultOpset(q: QuantizedNetwork): number {
  return defaultOpset(q.layers.map((l) => l.activation));
}
