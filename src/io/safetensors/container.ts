// The safetensors container (huggingface/safetensors): an 8-byte little-endian header length, a
// JSON header naming each tensor's dtype, shape and byte range, then the raw little-endian data.
// The reader checks every range against the file before it decodes anything.
import { NeuriteError, describe } from '../../core/errors.js';
import { halfToFloat } from '../half-float.js';

/** A tensor to write: float32 values and their shape. */
export interface NamedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A tensor read from a file, converted to float32 (from F32, F64, F16 or BF16). */
export interface ReadTensor {
  readonly shape: readonly number[];
  /** Undefined for dtypes that hold no floats (integers, booleans). */
  readonly values: Float32Array | undefined;
  readonly dtype: string;
}

/** safetensors caps the header at 100 MB; so does the reader, before decoding it. */
const MAX_HEADER = 100_000_000;
const WIDTH: Record<string, number> = {
  F32: 4,
  F64: 8,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

const invalid = (msg: string): NeuriteError => new NeuriteError('INVALID_MODEL', `safetensors: ${msg}`);

/** Encodes tensors (F32) and string metadata as a safetensors file. */
export function encodeSafetensors(
  tensors: readonly NamedTensor[],
  metadata: Readonly<Record<string, string>>,
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.length * 4] };
    offset += t.data.length * 4;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  // The reference writer pads the header with spaces so the data starts 8-byte aligned.
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  out.set(json, 8);
  let o = 8 + json.length;
  for (const t of tensors) {
    for (const v of t.data) {
      view.setFloat32(o, v, true);
      o += 4;
    }
  }
  return out;
}

function decodeValues(view: DataView, at: number, n: number, dtype: string): Float32Array | undefined {
  const out = new Float32Array(n);
  const scratch = new DataView(new ArrayBuffer(4));
  for (let i = 0; i < n; i++) {
    if (dtype === 'F32') out[i] = view.getFloat32(at + 4 * i, true);
    else if (dtype === 'F64') out[i] = view.getFloat64(at + 8 * i, true);
    else if (dtype === 'F16') out[i] = halfToFloat(view.getUint16(at + 2 * i, true));
    else if (dtype === 'BF16') {
      scratch.setUint32(0, view.getUint16(at + 2 * i, true) << 16);
      out[i] = scratch.getFloat32(0);
    } else return undefined;
  }
  return out;
}

/** Decodes a safetensors file; `INVALID_MODEL` for anything truncated, overlapping or malformed. */
export function decodeSafetensors(bytes: Uint8Array): {
  tensors: Map<string, ReadTensor>;
  metadata: Record<string, string>;
} {
  if (!(bytes instanceof Uint8Array)) throw invalid(`expected the file's bytes (a Uint8Array), got ${describe(bytes)}`);
  if (bytes.length < 8)
    throw invalid(`the file has ${String(bytes.length)} bytes, fewer than the 8 of its header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (length > bytes.length - 8 || length > MAX_HEADER) {
    throw invalid(
      `the header claims ${String(length)} bytes but the file has ${String(bytes.length - 8)} after the length`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + length)));
  } catch (e) {
    throw invalid(`the header is not UTF-8 JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw invalid('the header is not a JSON object');
  const dataStart = 8 + length;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const ranges: [number, number, string][] = [];
  const tensors = new Map<string, ReadTensor>();
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null) throw invalid('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v !== 'string') throw invalid(`__metadata__.${k} must be a string, got ${describe(v)}`);
        metadata[k] = v;
      }
      continue;
    }
    const e = entry as Record<string, unknown> | null;
    const dtype = e?.['dtype'];
    const shape = e?.['shape'];
    const offsets = e?.['data_offsets'];
    const width = typeof dtype === 'string' && Object.hasOwn(WIDTH, dtype) ? WIDTH[dtype] : undefined;
    if (width === undefined) throw invalid(`tensor ${JSON.stringify(name)} has dtype ${describe(dtype)}`);
    if (!Array.isArray(shape) || !Array.isArray(offsets) || offsets.length !== 2) {
      throw invalid(`tensor ${JSON.stringify(name)} needs a shape and two data_offsets`);
    }
    const [begin, end] = offsets as unknown[];
    if (
      typeof begin !== 'number' ||
      typeof end !== 'number' ||
      !Number.isInteger(begin) ||
      !Number.isInteger(end) ||
      begin < 0 ||
      end < begin ||
      end > dataLength
    ) {
      throw invalid(
        `tensor ${JSON.stringify(name)} has data_offsets ${JSON.stringify(offsets)} outside the ${String(dataLength)} data bytes`,
      );
    }
    let size = 1;
    const dims = Array.from(shape as unknown[], (d) => {
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0)
        throw invalid(`tensor ${JSON.stringify(name)} has shape ${JSON.stringify(shape)}`);
      size *= d;
      return d;
    });
    if (size * width !== end - begin) {
      throw invalid(
        `tensor ${JSON.stringify(name)} of shape ${JSON.stringify(dims)} needs ${String(size * width)} bytes, its offsets give ${String(end - begin)}`,
      );
    }
    ranges.push([begin, end, name]);
    tensors.set(name, {
      shape: dims,
      dtype: dtype as string,
      values: decodeValues(view, dataStart + begin, size, dtype as string),
    });
  }
  // The format requires the tensors to tile the data exactly: no gaps, overlaps or trailing bytes.
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let at = 0;
  for (const [begin, end, name] of ranges) {
    if (begin !== at)
      throw invalid(
        `tensor ${JSON.stringify(name)} starts at byte ${String(begin)}, expected ${String(at)} (a gap or an overlap)`,
      );
    at = end;
  }
  if (at !== dataLength) throw invalid(`the tensors cover ${String(at)} of the ${String(dataLength)} data bytes`);
  return { tensors, metadata };
}
