import { AttrType, DataType, type OnnxAttribute, type OnnxNode, type OnnxTensor } from './proto.js';

/** An attribute value as a writer gives it: a number is an INT, a FLOAT when `float()` wraps it; an array is INTS. */
export type AttrValue = number | string | readonly number[] | { float: number };

/** Marks a number as a FLOAT attribute (ONNX tells `alpha = 1.0` from `axis = 1` by type). */
export const float = (v: number): { float: number } => ({ float: v });

function attribute(name: string, v: AttrValue): OnnxAttribute {
  if (typeof v === 'string') return { name, type: AttrType.STRING, s: v };
  if (typeof v === 'number') return { name, type: AttrType.INT, i: v };
  if ('float' in v) return { name, type: AttrType.FLOAT, f: v.float };
  return { name, type: AttrType.INTS, ints: [...v] };
}

/**
 * Builds an ONNX graph node by node: each `op` call appends a node and returns the name of its
 * output, so writers chain calls (`b.op('Relu', [b.op('Gemm', …)])`); constants become
 * initializers (float32, or int8 and int64 where an operator needs them).
 */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private count = 0;

  /** `prefix` starts every node and tensor name this builder makes (e.g. `neurite.pre/`). */
  constructor(public prefix = '') {}

  /** Appends `opType(inputs)` and returns its output's name. */
  op(opType: string, inputs: readonly string[], attrs: Readonly<Record<string, AttrValue>> = {}): string {
    const name = `${this.prefix}${opType}_${String(this.count++)}`;
    const output = `${name}_out`;
    const attributes = Object.entries(attrs).map(([k, v]) => attribute(k, v));
    this.nodes.push({ inputs: [...inputs], outputs: [output], name, opType, domain: '', attributes });
    return output;
  }

  /** A float32 initializer of shape `dims` (a scalar when `dims` is empty); returns its name. */
  constant(label: string, dims: readonly number[], values: ArrayLike<number>): string {
    const name = `${this.prefix}${label}`;
    this.initializers.push({ name, dims: [...dims], dataType: DataType.FLOAT, floats: Float32Array.from(values) });
    return name;
  }

  /** An int8 initializer of shape `dims` (quantized weights); returns its name. */
  int8s(label: string, dims: readonly number[], values: Int8Array): string {
    const name = `${this.prefix}${label}`;
    this.initializers.push({ name, dims: [...dims], dataType: DataType.INT8, int8s: values });
    return name;
  }

  /** An int64 initializer (indices, shapes); returns its name. */
  int64s(label: string, values: readonly number[]): string {
    const name = `${this.prefix}${label}`;
    this.initializers.push({ name, dims: [values.length], dataType: DataType.INT64, ints: [...values] });
    return name;
  }

  /** A float32 scalar initializer. */
  scalar(label: string, value: number): string {
    return this.constant(`${label}_${String(this.count++)}`, [], [value]);
  }

  /** Renames the tensor `from` (the last node's output) to `to`, the graph output's name. */
  rename(from: string, to: string): void {
    for (const n of this.nodes) {
      n.outputs = n.outputs.map((o) => (o === from ? to : o));
      n.inputs = n.inputs.map((i) => (i === from ? to : i));
    }
  }
}
