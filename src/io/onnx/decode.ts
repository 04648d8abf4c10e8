// Protobuf bytes → ONNX model records. Field numbers from onnx/onnx.in.proto; fields neurite does
// not use are skipped. Every tensor's data is checked against its dims before anything is built
// from them, and no allocation is larger than the bytes it decodes.
import { Wire, WireReader, corrupt } from './wire.js';
import { DataType } from './proto.js';
import type { OnnxAttribute, OnnxGraph, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from './proto.js';

/** Calls `onField` for each field of the message `r` reads. */
function eachField(r: WireReader, onField: (field: number, wire: number) => void): void {
  while (!r.done) {
    const { field, wire } = r.tag();
    onField(field, wire);
  }
}

function str(r: WireReader, wire: number, name: string): string {
  r.expect(wire, Wire.Bytes, name);
  return r.string();
}

function int(r: WireReader, wire: number, name: string): number {
  r.expect(wire, Wire.Varint, name);
  return r.varint();
}

function elementCount(dims: readonly number[], name: string): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw corrupt(`tensor ${JSON.stringify(name)} has dimension ${String(d)}`);
    n *= d;
  }
  return n;
}

function rawValues(raw: Uint8Array, size: number, read: (v: DataView, at: number) => number): number[] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const out: number[] = [];
  for (let at = 0; at + size <= raw.length; at += size) out.push(read(view, at));
  return out;
}

function tensor(r: WireReader): OnnxTensor {
  const t: OnnxTensor = { name: '', dims: [], dataType: 0 };
  let raw: Uint8Array | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  eachField(r, (field, wire) => {
    if (field === 1) r.varints(wire, t.dims);
    else if (field === 2) t.dataType = int(r, wire, 'data_type');
    else if (field === 4) r.floats(wire, floats);
    else if (field === 5 || field === 7) r.varints(wire, ints);
    else if (field === 8) t.name = str(r, wire, 'name');
    else if (field === 9) {
      r.expect(wire, Wire.Bytes, 'raw_data');
      raw = r.bytes();
    } else if (field === 10) r.doubles(wire, floats);
    else if (field === 14) t.external = int(r, wire, 'data_location') === 1;
    else r.skip(wire);
  });
  if (t.external === true) return t;
  if (t.dataType === DataType.INT8 && raw !== undefined) {
    const expected = elementCount(t.dims, t.name);
    if (raw.length !== expected) {
      throw corrupt(
        `tensor ${JSON.stringify(t.name)} of shape [${t.dims.join(', ')}] holds ${String(raw.length)} int8 values, not ${String(expected)}`,
      );
    }
    t.int8s = new Int8Array(raw.length);
    t.int8s.set(new Int8Array(raw.buffer, raw.byteOffset, raw.length));
    return t;
  }
  const size = t.dataType === DataType.FLOAT || t.dataType === DataType.INT32 ? 4 : 8;
  const known = [DataType.FLOAT, DataType.DOUBLE, DataType.INT32, DataType.INT64] as number[];
  if (!known.includes(t.dataType)) return t;
  if (raw !== undefined && raw.length % size !== 0) {
    throw corrupt(
      `tensor ${JSON.stringify(t.name)} has ${String(raw.length)} bytes of raw data, not a multiple of ${String(size)}`,
    );
  }
  const isFloat = t.dataType === DataType.FLOAT || t.dataType === DataType.DOUBLE;
  const count = raw !== undefined ? raw.length / size : isFloat ? floats.length : ints.length;
  const expected = elementCount(t.dims, t.name);
  if (count !== expected) {
    throw corrupt(
      `tensor ${JSON.stringify(t.name)} of shape [${t.dims.join(', ')}] holds ${String(count)} values, not ${String(expected)}`,
    );
  }
  if (isFloat) {
    const values =
      raw === undefined
        ? floats
        : t.dataType === DataType.FLOAT
          ? rawValues(raw, 4, (v, at) => v.getFloat32(at, true))
          : rawValues(raw, 8, (v, at) => v.getFloat64(at, true));
    t.floats = Float32Array.from(values);
  } else {
    t.ints =
      raw === undefined
        ? ints
        : t.dataType === DataType.INT32
          ? rawValues(raw, 4, (v, at) => v.getInt32(at, true))
          : rawValues(raw, 8, (v, at) => Number(v.getBigInt64(at, true)));
  }
  return t;
}

function attribute(r: WireReader): OnnxAttribute {
  const a: OnnxAttribute = { name: '', type: 0 };
  eachField(r, (field, wire) => {
    if (field === 1) a.name = str(r, wire, 'name');
    else if (field === 20) a.type = int(r, wire, 'type');
    else if (field === 2) {
      r.expect(wire, Wire.Fixed32, 'f');
      a.f = r.float();
    } else if (field === 3) a.i = int(r, wire, 'i');
    else if (field === 4) a.s = str(r, wire, 's');
    else if (field === 5) a.t = tensor(r.field(wire, 'TensorProto'));
    else if (field === 7) r.floats(wire, (a.floats ??= []));
    else if (field === 8) r.varints(wire, (a.ints ??= []));
    else r.skip(wire);
  });
  return a;
}

function node(r: WireReader): OnnxNode {
  const n: OnnxNode = { inputs: [], outputs: [], name: '', opType: '', domain: '', attributes: [] };
  eachField(r, (field, wire) => {
    if (field === 1) n.inputs.push(str(r, wire, 'input'));
    else if (field === 2) n.outputs.push(str(r, wire, 'output'));
    else if (field === 3) n.name = str(r, wire, 'name');
    else if (field === 4) n.opType = str(r, wire, 'op_type');
    else if (field === 7) n.domain = str(r, wire, 'domain');
    else if (field === 5) n.attributes.push(attribute(r.field(wire, 'AttributeProto')));
    else r.skip(wire);
  });
  return n;
}

function shape(r: WireReader): (number | string | undefined)[] {
  const dims: (number | string | undefined)[] = [];
  eachField(r, (field, wire) => {
    if (field !== 1) return r.skip(wire);
    const d = r.field(wire, 'TensorShapeProto.Dimension');
    let value: number | string | undefined;
    eachField(d, (f, w) => {
      if (f === 1) value = int(d, w, 'dim_value');
      else if (f === 2) value = str(d, w, 'dim_param');
      else d.skip(w);
    });
    dims.push(value);
  });
  return dims;
}

function valueInfo(r: WireReader): OnnxValueInfo {
  const v: OnnxValueInfo = { name: '' };
  eachField(r, (field, wire) => {
    if (field === 1) v.name = str(r, wire, 'name');
    else if (field === 2) {
      const type = r.field(wire, 'TypeProto');
      eachField(type, (f, w) => {
        if (f !== 1) return type.skip(w);
        const t = type.field(w, 'TypeProto.Tensor');
        eachField(t, (tf, tw) => {
          if (tf === 1) v.elemType = int(t, tw, 'elem_type');
          else if (tf === 2) v.shape = shape(t.field(tw, 'TensorShapeProto'));
          else t.skip(tw);
        });
      });
    } else r.skip(wire);
  });
  return v;
}

function graph(r: WireReader): OnnxGraph {
  const g: OnnxGraph = { name: '', nodes: [], initializers: [], inputs: [], outputs: [] };
  eachField(r, (field, wire) => {
    const sub = (what: string): WireReader => r.field(wire, what);
    if (field === 1) g.nodes.push(node(sub('NodeProto')));
    else if (field === 2) g.name = str(r, wire, 'name');
    else if (field === 5) g.initializers.push(tensor(sub('TensorProto')));
    else if (field === 10) g.docString = str(r, wire, 'doc_string');
    else if (field === 11) g.inputs.push(valueInfo(sub('ValueInfoProto')));
    else if (field === 12) g.outputs.push(valueInfo(sub('ValueInfoProto')));
    else r.skip(wire);
  });
  return g;
}

/** Parses an ONNX `ModelProto`; a truncated or corrupt file fails with `INVALID_MODEL`. */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  const r = new WireReader(bytes, 'ModelProto');
  const m: OnnxModel = {
    irVersion: 0,
    opsetImport: [],
    producerName: '',
    producerVersion: '',
    metadataProps: [],
    graph: { name: '', nodes: [], initializers: [], inputs: [], outputs: [] },
  };
  let sawGraph = false;
  eachField(r, (field, wire) => {
    const sub = (what: string): WireReader => r.field(wire, what);
    if (field === 1) m.irVersion = int(r, wire, 'ir_version');
    else if (field === 2) m.producerName = str(r, wire, 'producer_name');
    else if (field === 3) m.producerVersion = str(r, wire, 'producer_version');
    else if (field === 6) m.docString = str(r, wire, 'doc_string');
    else if (field === 7) {
      m.graph = graph(sub('GraphProto'));
      sawGraph = true;
    } else if (field === 8) {
      const o = sub('OperatorSetIdProto');
      const opset = { domain: '', version: 0 };
      eachField(o, (f, w) => {
        if (f === 1) opset.domain = str(o, w, 'domain');
        else if (f === 2) opset.version = int(o, w, 'version');
        else o.skip(w);
      });
      m.opsetImport.push(opset);
    } else if (field === 14) {
      const e = sub('StringStringEntryProto');
      const entry = { key: '', value: '' };
      eachField(e, (f, w) => {
        if (f === 1) entry.key = str(e, w, 'key');
        else if (f === 2) entry.value = str(e, w, 'value');
        else e.skip(w);
      });
      m.metadataProps.push(entry);
    } else r.skip(wire);
  });
  if (!sawGraph) throw corrupt('it has no graph');
  return m;
}
