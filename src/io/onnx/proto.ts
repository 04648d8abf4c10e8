// The subset of onnx.proto (github.com/onnx/onnx, onnx/onnx.in.proto) that fully-connected
// networks need, as plain records. Field numbers live next to the encoder and decoder.

/** `TensorProto.DataType` values neurite reads or writes. */
export const DataType = { FLOAT: 1, INT8: 3, INT32: 6, INT64: 7, DOUBLE: 11 } as const;

/** `AttributeProto.AttributeType` values. */
export const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** A tensor: FLOAT and DOUBLE values are decoded into `floats`, INT32/INT64 into `ints`, INT8 into `int8s`. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  /** Decoded float values (from `raw_data`, `float_data` or `double_data`). */
  floats?: Float32Array;
  /** Decoded integer values (from `raw_data`, `int32_data` or `int64_data`). */
  ints?: number[];
  /** INT8 values (written and read as `raw_data`, one byte each). */
  int8s?: Int8Array;
  /** How a writer stores `floats`: `raw_data` (default) or the typed field (`float_data`). */
  layout?: 'raw' | 'typed';
  /** True when the data lives in an external file (`data_location = EXTERNAL`). */
  external?: boolean;
}

/** A node attribute; only the field its `type` names is meaningful. */
export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: string;
  t?: OnnxTensor;
  floats?: number[];
  ints?: number[];
}

/** An operator application. */
export interface OnnxNode {
  inputs: string[];
  outputs: string[];
  name: string;
  opType: string;
  domain: string;
  attributes: OnnxAttribute[];
}

/** A graph input or output: name, element type and shape (a dimension is a size, a symbol or unknown). */
export interface OnnxValueInfo {
  name: string;
  elemType?: number;
  shape?: (number | string | undefined)[];
}

/** A computation graph. */
export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  docString?: string;
}

/** An operator set a model uses (`domain` '' is the default ONNX domain). */
export interface OnnxOpset {
  domain: string;
  version: number;
}

/** A whole ONNX model file. */
export interface OnnxModel {
  irVersion: number;
  opsetImport: OnnxOpset[];
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph: OnnxGraph;
  metadataProps: { key: string; value: string }[];
}
