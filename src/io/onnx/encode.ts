// ONNX model → protobuf bytes. Field numbers from onnx/onnx.in.proto.
import { WireWriter, littleEndian } from './wire.js';
import type { OnnxAttribute, OnnxGraph, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from './proto.js';
import { DataType } from './proto.js';

function tensor(w: WireWriter, t: OnnxTensor): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  w.string(8, t.name);
  if (t.floats !== undefined) {
    if (t.dataType === DataType.DOUBLE) w.packedFloats(10, t.floats, 8);
    else if (t.layout === 'typed') w.packedFloats(4, t.floats, 4);
    else w.bytes(9, littleEndian(t.floats, 4)); // raw_data, as neurite writes
  } else if (t.int8s !== undefined) {
    w.bytes(9, new Uint8Array(t.int8s.buffer, t.int8s.byteOffset, t.int8s.byteLength));
  } else if (t.ints !== undefined) {
    w.packedInts(t.dataType === DataType.INT32 ? 5 : 7, t.ints);
  }
}

function attribute(w: WireWriter, a: OnnxAttribute): void {
  w.string(1, a.name);
  w.int(20, a.type);
  if (a.f !== undefined) w.float(2, a.f);
  if (a.i !== undefined) w.int(3, a.i);
  if (a.s !== undefined) w.string(4, a.s);
  if (a.t !== undefined) w.message(5, (c) => tensor(c, a.t!));
  for (const f of a.floats ?? []) w.float(7, f);
  for (const i of a.ints ?? []) w.int(8, i);
}

function node(w: WireWriter, n: OnnxNode): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  if (n.domain !== '') w.string(7, n.domain);
  for (const a of n.attributes) w.message(5, (c) => attribute(c, a));
}

function valueInfo(w: WireWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  // TypeProto.tensor_type(1) → elem_type(1), shape(2) → dim(1) → dim_value(1) | dim_param(2).
  w.message(2, (type) =>
    type.message(1, (t) => {
      if (v.elemType !== undefined) t.int(1, v.elemType);
      if (v.shape !== undefined) {
        const shape = v.shape;
        t.message(2, (s) => {
          for (const d of shape) {
            s.message(1, (dim) => {
              if (typeof d === 'number') dim.int(1, d);
              else if (typeof d === 'string') dim.string(2, d);
            });
          }
        });
      }
    }),
  );
}

function graph(w: WireWriter, g: OnnxGraph): void {
  for (const n of g.nodes) w.message(1, (c) => node(c, n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, (c) => tensor(c, t));
  if (g.docString !== undefined) w.string(10, g.docString);
  for (const v of g.inputs) w.message(11, (c) => valueInfo(c, v));
  for (const v of g.outputs) w.message(12, (c) => valueInfo(c, v));
}

/** Serialises a model as an ONNX protobuf (`ModelProto`). */
export function encodeModel(m: OnnxModel): Uint8Array {
  const w = new WireWriter();
  w.int(1, m.irVersion);
  for (const o of m.opsetImport) {
    w.message(8, (c) => {
      if (o.domain !== '') c.string(1, o.domain);
      c.int(2, o.version);
    });
  }
  w.string(2, m.producerName);
  w.string(3, m.producerVersion);
  if (m.docString !== undefined) w.string(6, m.docString);
  w.message(7, (c) => graph(c, m.graph));
  for (const p of m.metadataProps) {
    w.message(14, (c) => {
      c.string(1, p.key);
      c.string(2, p.value);
    });
  }
  return w.finish();
}
