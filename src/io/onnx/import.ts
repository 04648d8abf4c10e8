import { NeuriteError } from '../../core/errors.js';
import type { ActivationName } from '../../nn/activations.js';
import type { NeuralNetwork } from '../../model/network.js';
import type { NetworkOptions } from '../../model/options.js';
import { networkFromStack, type StackLayer } from '../dense-stack.js';
import { ACTIVATION_OPS } from './activations.js';
import { decodeModel } from './decode.js';
import { isElementwise, matchChain, type ChainStep } from './elementwise-chain.js';
import { ONNX_METADATA } from './metadata.js';
import { DataType, type OnnxModel, type OnnxNode, type OnnxTensor } from './proto.js';
import { ONNX_QUANTIZED_KEY } from './export-quantized.js';

/** Options of {@link importOnnx}. */
export interface OnnxImportOptions {
  /** Backend of the network built (default `'auto'`). */
  backend?: NetworkOptions['backend'];
}

const unsupported = (msg: string): NeuriteError =>
  new NeuriteError('UNSUPPORTED', `cannot import this ONNX model: ${msg}`);
const invalid = (msg: string): NeuriteError => new NeuriteError('INVALID_MODEL', `invalid ONNX model: ${msg}`);

/** A fully-connected layer being read: its product is known, its bias and activation may follow. */
interface Pending {
  inputs: number;
  units: number;
  weights: Float32Array;
  biases: Float32Array;
  biasSet: boolean;
}

/** Reads the graph of one ONNX model as a chain of dense layers. */
class ChainReader {
  readonly layers: StackLayer[] = [];
  private readonly constants = new Map<string, OnnxTensor>();
  private pending: Pending | undefined;
  current: string;

  constructor(input: string, initializers: readonly OnnxTensor[]) {
    this.current = input;
    for (const t of initializers) this.constants.set(t.name, t);
  }

  private where(n: OnnxNode, i: number): string {
    return `node ${String(i)} (${n.opType}${n.name !== '' ? ` "${n.name}"` : ''})`;
  }

  private constant(name: string | undefined, where: string): Float32Array & { dims?: number[] } {
    const t = name === undefined ? undefined : this.constants.get(name);
    if (t === undefined)
      throw unsupported(
        `${where}: input ${JSON.stringify(name)} is not a constant; only weights held in the file are supported`,
      );
    if (t.external === true)
      throw unsupported(`${where}: tensor ${JSON.stringify(t.name)} is stored in an external file`);
    const values = t.floats ?? (t.ints !== undefined ? Float32Array.from(t.ints) : undefined);
    if (values === undefined)
      throw unsupported(
        `${where}: tensor ${JSON.stringify(t.name)} has data type ${String(t.dataType)}; float tensors are supported`,
      );
    return Object.assign(values, { dims: t.dims });
  }

  private flush(activation: ActivationName, alpha?: number): void {
    const p = this.pending!;
    this.layers.push({
      inputs: p.inputs,
      units: p.units,
      activation,
      ...(alpha !== undefined ? { alpha } : {}),
      weights: p.weights,
      biases: p.biases,
    });
    this.pending = undefined;
  }

  /** Starts a layer from weights `b` of shape [in, out] (or [out, in] when `transposed`). */
  private linear(b: Float32Array & { dims?: number[] }, transposed: boolean, scale: number, where: string): void {
    const dims = b.dims ?? [];
    if (dims.length !== 2)
      throw unsupported(`${where}: weights of shape [${dims.join(', ')}]; a 2-D matrix is expected`);
    const [rows, cols] = dims as [number, number];
    const [inputs, units] = transposed ? [cols, rows] : [rows, cols];
    const expected =
      this.layers.length === 0 && this.pending === undefined
        ? undefined
        : (this.pending?.units ?? this.layers.at(-1)?.units);
    if (expected !== undefined && inputs !== expected)
      throw invalid(`${where}: weights take ${String(inputs)} inputs after a layer of ${String(expected)} units`);
    if (this.pending !== undefined) this.flush('linear');
    const weights = new Float32Array(units * inputs);
    for (let j = 0; j < units; j++) {
      for (let i = 0; i < inputs; i++)
        weights[j * inputs + i] = scale * b[transposed ? j * inputs + i : i * units + j]!;
    }
    this.pending = { inputs, units, weights, biases: new Float32Array(units), biasSet: false };
  }

  private bias(c: Float32Array, scale: number, where: string): void {
    const p = this.pending!;
    if (c.length !== p.units && c.length !== 1)
      throw unsupported(`${where}: a bias of ${String(c.length)} values for ${String(p.units)} units`);
    for (let j = 0; j < p.units; j++) p.biases[j] = scale * (c.length === 1 ? c[0]! : c[j]!);
    p.biasSet = true;
  }

  private attr(n: OnnxNode, name: string): { f?: number; i?: number } | undefined {
    return n.attributes.find((a) => a.name === name);
  }

  /** Reads node `i`; returns how many nodes it consumed (an elementwise chain takes several). */
  read(nodes: readonly OnnxNode[], i: number): number {
    const n = nodes[i]!;
    const where = this.where(n, i);
    if (n.domain !== '' && n.domain !== 'ai.onnx')
      throw unsupported(`${where}: operator domain ${JSON.stringify(n.domain)}`);
    if (n.opType === 'Constant') {
      this.constants.set(n.outputs[0] ?? '', constantValue(n, where));
      return 1;
    }
    if (n.inputs.length > 0 && n.inputs.every((x) => this.constants.has(x))) {
      this.constants.set(n.outputs[0] ?? '', this.fold(n, where));
      return 1;
    }
    const others = n.inputs.filter((x) => x !== this.current);
    if (!n.inputs.includes(this.current))
      throw unsupported(
        `${where} does not continue the chain of layers (it reads ${n.inputs.join(', ')}); only sequential networks are supported`,
      );
    const out = n.outputs[0];
    if (out === undefined) throw invalid(`${where} has no output`);
    if (n.opType === 'Gemm') {
      if ((this.attr(n, 'transA')?.i ?? 0) !== 0 || n.inputs[0] !== this.current)
        throw unsupported(`${where}: Gemm with the input as its second operand or transA = 1`);
      this.linear(
        this.constant(n.inputs[1], where),
        (this.attr(n, 'transB')?.i ?? 0) === 1,
        this.attr(n, 'alpha')?.f ?? 1,
        where,
      );
      if (n.inputs[2] !== undefined && n.inputs[2] !== '')
        this.bias(this.constant(n.inputs[2], where), this.attr(n, 'beta')?.f ?? 1, where);
    } else if (n.opType === 'MatMul') {
      if (n.inputs[0] !== this.current) throw unsupported(`${where}: MatMul with the input as its second operand`);
      this.linear(this.constant(n.inputs[1], where), false, 1, where);
    } else if (n.opType === 'Add' && this.pending !== undefined && !this.pending.biasSet && others.length === 1) {
      this.bias(this.constant(others[0], where), 1, where);
    } else if (
      n.opType === 'Flatten' ||
      n.opType === 'Dropout' ||
      (n.opType === 'Identity' && this.pending === undefined)
    ) {
      // On [batch, features] tensors Flatten(axis = 1) changes nothing; Dropout is the identity at inference.
      if (n.opType === 'Flatten' && (this.attr(n, 'axis')?.i ?? 1) !== 1)
        throw unsupported(`${where}: Flatten with axis ${String(this.attr(n, 'axis')?.i)}`);
    } else if (ACTIVATION_OPS[n.opType] !== undefined && (this.pending !== undefined || !isElementwise(n.opType))) {
      if (this.pending === undefined) throw unsupported(`${where}: an activation with no layer before it`);
      const a = ACTIVATION_OPS[n.opType]!(n.attributes, where);
      this.flush(a.activation, a.alpha);
    } else if (isElementwise(n.opType) && this.pending !== undefined) {
      return this.chain(nodes, i);
    } else {
      throw unsupported(
        `${where}: operator ${n.opType} is not part of a fully-connected network (supported: Gemm, MatMul + Add, Constant, Flatten, Dropout and the activations ${Object.keys(ACTIVATION_OPS).join(', ')})`,
      );
    }
    this.current = out;
    return 1;
  }

  /** Computes a node over constants only (an exporter that did not fold its weights' Transpose). */
  private fold(n: OnnxNode, where: string): OnnxTensor {
    const t = this.constants.get(n.inputs[0]!)!;
    const perm = n.attributes.find((a) => a.name === 'perm')?.ints;
    if (n.opType === 'Identity') return { ...t, name: n.outputs[0] ?? '' };
    if (n.opType === 'Transpose' && t.dims.length === 2 && (perm === undefined || perm.join() === '1,0')) {
      const [rows, cols] = t.dims as [number, number];
      const values = this.constant(t.name, where);
      const out = new Float32Array(values.length);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
      return { name: n.outputs[0] ?? '', dims: [cols, rows], dataType: DataType.FLOAT, floats: out };
    }
    throw unsupported(`${where}: operator ${n.opType} on constants; only a 2-D Transpose of weights is folded`);
  }

  /** Reads the longest run of elementwise nodes from `start` on the current tensor as one activation. */
  private chain(nodes: readonly OnnxNode[], start: number): number {
    const inChain = new Set([this.current]);
    const steps: ChainStep[] = [];
    let end = start;
    for (; end < nodes.length; end++) {
      const n = nodes[end]!;
      if (n.opType === 'Constant') {
        this.constants.set(n.outputs[0] ?? '', constantValue(n, this.where(n, end)));
        continue;
      }
      if (!isElementwise(n.opType) || !n.inputs.some((x) => inChain.has(x)) || n.outputs.length !== 1) break;
      const inputs = n.inputs.map((x) => (inChain.has(x) ? x : this.scalar(x, this.where(n, end))));
      steps.push({ op: n.opType, inputs, output: n.outputs[0]! });
      inChain.add(n.outputs[0]!);
    }
    const output = steps.at(-1)!.output;
    const used = nodes.slice(end).flatMap((n) => n.inputs);
    if (used.some((x) => inChain.has(x) && x !== output))
      throw unsupported(
        `nodes ${String(start)}–${String(end - 1)}: an elementwise chain whose inner values are used later`,
      );
    const m = matchChain(steps, this.current, output);
    const ops = steps.map((s) => s.op).join(', ');
    if (m.activation === undefined) {
      throw unsupported(
        `nodes ${String(start)}–${String(end - 1)} (${ops}) compute an activation neurite does not have (closest: ${m.closest}, off by ${m.difference.toPrecision(2)})` +
          (steps.some((s) => s.op === 'Erf')
            ? `; this looks like the exact (erf) GELU, e.g. PyTorch's nn.GELU(): neurite's gelu is nn.GELU(approximate='tanh')`
            : ''),
      );
    }
    this.flush(m.activation);
    this.current = output;
    return end - start;
  }

  private scalar(name: string, where: string): number {
    const c = this.constant(name, where);
    const v = c[0];
    if (v === undefined || c.some((x) => x !== v))
      throw unsupported(`${where}: a per-feature constant ${JSON.stringify(name)} in an activation`);
    return v;
  }

  /** Ends the chain: a layer still open has no activation (linear). */
  finish(): void {
    if (this.pending !== undefined) this.flush('linear');
  }
}

/** A Constant node's value (`value`, `value_float(s)`, `value_int(s)`) as a tensor. */
function constantValue(n: OnnxNode, where: string): OnnxTensor {
  const a = n.attributes[0];
  const name = n.outputs[0] ?? '';
  if (a?.name === 'value' && a.t !== undefined) return { ...a.t, name };
  if (a?.name === 'value_float' && a.f !== undefined)
    return { name, dims: [], dataType: DataType.FLOAT, floats: Float32Array.of(a.f) };
  if (a?.name === 'value_floats' && a.floats !== undefined)
    return { name, dims: [a.floats.length], dataType: DataType.FLOAT, floats: Float32Array.from(a.floats) };
  if (a?.name === 'value_int' && a.i !== undefined) return { name, dims: [], dataType: DataType.INT64, ints: [a.i] };
  if (a?.name === 'value_ints' && a.ints !== undefined)
    return { name, dims: [a.ints.length], dataType: DataType.INT64, ints: a.ints };
  throw unsupported(`${where}: a Constant with attribute ${JSON.stringify(a?.name)}`);
}

/** The one graph input that is not an initializer (exporters list initializers as inputs too). */
function graphInput(m: OnnxModel): string {
  const held = new Set(m.graph.initializers.map((t) => t.name));
  const real = m.graph.inputs.filter((v) => !held.has(v.name));
  if (real.length !== 1)
    throw unsupported(
      `the graph has ${String(real.length)} inputs (${real.map((v) => v.name).join(', ')}); a network takes one`,
    );
  const v = real[0]!;
  if (v.elemType !== undefined && v.elemType !== DataType.FLOAT)
    throw unsupported(`input ${JSON.stringify(v.name)} has element type ${String(v.elemType)}; float32 is supported`);
  return v.name;
}

/**
 * ONNX attributes hold alpha as float32; when neurite's settings have the value it was rounded
 * from, that one is used, so an export and import give bit-identical predictions.
 */
function restoreAlphas(layers: readonly StackLayer[], saved: unknown): StackLayer[] {
  return layers.map((l, i) => {
    const spec: unknown = Array.isArray(saved) ? saved[i + 1] : undefined;
    const alpha = typeof spec === 'object' && spec !== null ? (spec as { alpha?: unknown }).alpha : undefined;
    return typeof alpha === 'number' && l.alpha !== undefined && Math.fround(alpha) === l.alpha ? { ...l, alpha } : l;
  });
}

function buildNetwork(m: OnnxModel, options: OnnxImportOptions): NeuralNetwork {
  const opset = m.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0;
  if (opset < 1) throw invalid('it imports no version of the default operator set');
  if (m.metadataProps.some((p) => p.key === ONNX_QUANTIZED_KEY)) {
    throw unsupported(
      'it holds a quantized network (int8 weights, written by exportOnnx(quantize(net))), and importOnnx builds float networks; load the quantized network from its JSON file with QuantizedNetwork.fromJSON, or import the float network’s ONNX file',
    );
  }
  const meta = ONNX_METADATA.read(m.metadataProps);
  // neurite's own table models carry their pipeline as operators around the network; the model
  // file keeps it in metadata instead, so those nodes are left out.
  const ours = meta.preprocessingInGraph && meta.metadata?.['pipeline'] !== undefined;
  const nodes = ours ? m.graph.nodes.filter((n) => !/^neurite\.(pre|post)\//.test(n.name)) : m.graph.nodes;
  const start = ours ? (nodes.find((n) => n.opType === 'Gemm')?.inputs[0] ?? '') : graphInput(m);
  const r = new ChainReader(start, m.graph.initializers);
  for (let i = 0; i < nodes.length;) i += r.read(nodes, i);
  r.finish();
  const output = m.graph.outputs[0]?.name;
  if (!ours && (m.graph.outputs.length !== 1 || output !== r.current)) {
    throw unsupported(
      `the graph's output ${JSON.stringify(output)} is not the end of its chain of layers (${JSON.stringify(r.current)})`,
    );
  }
  if (r.layers.length === 0) throw unsupported('the graph has no Gemm or MatMul layer');
  const s = meta.settings ?? {};
  const layers = restoreAlphas(r.layers, s.layers);
  const settings = {
    ...(s.loss !== undefined ? { loss: s.loss } : {}),
    ...(s.optimizer !== undefined ? { optimizer: s.optimizer } : {}),
    ...(typeof s.seed === 'number' ? { seed: s.seed } : {}),
  } as NetworkOptions;
  let net: NeuralNetwork;
  try {
    net = networkFromStack(
      { inputs: r.layers[0]!.inputs, layers },
      { ...settings, ...(options.backend !== undefined ? { backend: options.backend } : {}) },
    );
  } catch (e) {
    if (e instanceof NeuriteError && e.code === 'INVALID_OPTION')
      throw invalid(`neurite.settings in its metadata: ${e.message}`);
    throw e;
  }
  if (meta.metadata !== undefined) net.metadata = meta.metadata;
  return net;
}

/**
 * Reads an ONNX model of a fully-connected network into a {@link NeuralNetwork}: graphs neurite
 * writes ({@link exportOnnx}) and those of other exporters (PyTorch's `torch.onnx.export` of an
 * `nn.Sequential` of `Linear` layers and activations; Keras via tf2onnx): `Gemm` or `MatMul` +
 * `Add`, `Constant` nodes, initializers also listed as graph inputs, `float_data` or `raw_data`,
 * `Flatten` and `Dropout` (identities here), and every activation neurite has, as one operator or
 * as a chain of elementary ones. Anything else fails with `UNSUPPORTED` naming the operator and its
 * position; a truncated or corrupt file fails with `INVALID_MODEL`.
 *
 * @example
 * ```ts
 * const net = importOnnx(exportOnnx(new NeuralNetwork({ layers: [3, 4, 2], seed: 1 })));
 * net.predict([1, 2, 3]);
 * ```
 */
export function importOnnx(bytes: Uint8Array, options: OnnxImportOptions = {}): NeuralNetwork {
  if (!(bytes instanceof Uint8Array))
    throw new NeuriteError('INVALID_OPTION', "importOnnx takes the file's bytes as a Uint8Array");
  let m: OnnxModel;
  try {
    m = decodeModel(bytes);
  } catch (e) {
    if (e instanceof NeuriteError) throw e;
    // The decoder checks every length; anything else escaping it is still a corrupt file, not a crash.
    throw invalid(`the file could not be decoded (${e instanceof Error ? e.message : String(e)})`);
  }
  return buildNetwork(m, options);
}
