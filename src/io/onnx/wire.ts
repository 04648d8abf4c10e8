// Protocol Buffers wire format (https://protobuf.dev/programming-guides/encoding/), the part ONNX
// files use: varints, 32/64-bit fixed fields and length-delimited fields. The reader checks every
// length against the bytes left before it slices or allocates, so a corrupt file fails with
// INVALID_MODEL instead of reading past its end or asking for gigabytes.
import { NeuriteError } from '../../core/errors.js';

/** Wire types: varint, fixed64, length-delimited, fixed32 (3 and 4, groups, are not used by ONNX). */
export const Wire = { Varint: 0, Fixed64: 1, Bytes: 2, Fixed32: 5 } as const;

/** `INVALID_MODEL` for a file that is not a well-formed ONNX protobuf. */
export function corrupt(what: string): NeuriteError {
  return new NeuriteError('INVALID_MODEL', `invalid ONNX file: ${what}; the file is truncated or not an ONNX model`);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Reads the fields of one message, between `pos` and `end` of `buf`. */
export class WireReader {
  private pos: number;

  /** A reader over `buf[start, end)`; `what` names the message in error messages. */
  constructor(
    private readonly buf: Uint8Array,
    readonly what: string,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  /** True when every field has been read. */
  get done(): boolean {
    return this.pos >= this.end;
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wire: number } {
    const t = this.varint();
    const field = Math.floor(t / 8);
    if (field < 1 || field > 0x1fffffff) throw corrupt(`field number ${String(field)} in ${this.what}`);
    return { field, wire: t % 8 };
  }

  private byte(): number {
    if (this.pos >= this.end) throw corrupt(`a number in ${this.what} runs past the end`);
    return this.buf[this.pos++]!;
  }

  /** A varint as a number: int64 values beyond 2^53 lose precision, negatives come out negative. */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    // Past 49 bits (negative int64s take ten bytes): finish in BigInt and read a signed int64.
    let big = BigInt(result);
    for (let i = 7; i < 10; i++) {
      const b = this.byte();
      big += BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) return Number(BigInt.asIntN(64, big));
    }
    throw corrupt(`a number in ${this.what} is longer than 10 bytes`);
  }

  /** The payload of a length-delimited field, as a view (no copy). */
  bytes(): Uint8Array {
    const n = this.varint();
    if (n < 0 || n > this.end - this.pos) {
      throw corrupt(`a field of ${this.what} claims ${String(n)} bytes where ${String(this.end - this.pos)} remain`);
    }
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A reader over the next length-delimited field (a nested message). */
  message(what: string): WireReader {
    const b = this.bytes();
    return new WireReader(b, what);
  }

  /** A length-delimited UTF-8 string. */
  string(): string {
    return utf8.decode(this.bytes());
  }

  /** A fixed32 float. */
  float(): number {
    const b = this.fixed(4);
    return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
  }

  /** A fixed64 double. */
  double(): number {
    const b = this.fixed(8);
    return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
  }

  private fixed(n: number): Uint8Array {
    if (this.end - this.pos < n) throw corrupt(`a ${String(8 * n)}-bit value in ${this.what} runs past the end`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads repeated floats, packed or not, appending to `out`. */
  floats(wire: number, out: number[]): void {
    if (wire === Wire.Fixed32) out.push(this.float());
    else if (wire === Wire.Bytes) {
      const b = this.bytes();
      if (b.length % 4 !== 0) throw corrupt(`packed floats in ${this.what} are ${String(b.length)} bytes long`);
      const view = new DataView(b.buffer, b.byteOffset, b.length);
      for (let i = 0; i < b.length; i += 4) out.push(view.getFloat32(i, true));
    } else throw this.wrongWire(wire, 'floats');
  }

  /** Reads repeated doubles, packed or not, appending to `out`. */
  doubles(wire: number, out: number[]): void {
    if (wire === Wire.Fixed64) out.push(this.double());
    else if (wire === Wire.Bytes) {
      const b = this.bytes();
      if (b.length % 8 !== 0) throw corrupt(`packed doubles in ${this.what} are ${String(b.length)} bytes long`);
      const view = new DataView(b.buffer, b.byteOffset, b.length);
      for (let i = 0; i < b.length; i += 8) out.push(view.getFloat64(i, true));
    } else throw this.wrongWire(wire, 'doubles');
  }

  /** Reads repeated varints, packed or not, appending to `out`. */
  varints(wire: number, out: number[]): void {
    if (wire === Wire.Varint) out.push(this.varint());
    else if (wire === Wire.Bytes) {
      const inner = this.message(this.what);
      while (!inner.done) out.push(inner.varint());
    } else throw this.wrongWire(wire, 'integers');
  }

  /** Checks a singular field's wire type. */
  expect(wire: number, expected: number, field: string): void {
    if (wire !== expected) throw this.wrongWire(wire, field);
  }

  /** A nested message field, after checking its wire type. */
  field(wire: number, what: string): WireReader {
    this.expect(wire, Wire.Bytes, what);
    return this.message(what);
  }

  /** Skips a field this decoder does not read. */
  skip(wire: number): void {
    if (wire === Wire.Varint) this.varint();
    else if (wire === Wire.Fixed64) this.fixed(8);
    else if (wire === Wire.Bytes) this.bytes();
    else if (wire === Wire.Fixed32) this.fixed(4);
    else throw corrupt(`wire type ${String(wire)} in ${this.what}`);
  }

  private wrongWire(wire: number, field: string): NeuriteError {
    return corrupt(`${this.what}.${field} has wire type ${String(wire)}`);
  }
}

const utf8Encoder = new TextEncoder();

/** `values` as little-endian float32 (`size` 4) or float64 (8), whatever the machine's byte order. */
export function littleEndian(values: ArrayLike<number>, size: 4 | 8): Uint8Array {
  const raw = new Uint8Array(values.length * size);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) {
    if (size === 4) view.setFloat32(size * i, values[i]!, true);
    else view.setFloat64(size * i, values[i]!, true);
  }
  return raw;
}

/** Writes one message's fields; nested messages are written by a child writer and length-prefixed. */
export class WireWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private rawVarint(v: number): void {
    this.reserve(10);
    if (v < 0) {
      // int64 two's complement: ten bytes.
      let big = BigInt.asUintN(64, BigInt(v));
      for (let i = 0; i < 9; i++) {
        this.buf[this.len++] = Number(big & 0x7fn) | 0x80;
        big >>= 7n;
      }
      this.buf[this.len++] = Number(big);
      return;
    }
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  /** An integer field (int32, int64, enum). */
  int(field: number, v: number): this {
    this.tag(field, Wire.Varint);
    this.rawVarint(v);
    return this;
  }

  /** A float field. */
  float(field: number, v: number): this {
    this.tag(field, Wire.Fixed32);
    this.reserve(4);
    new DataView(this.buf.buffer).setFloat32(this.len, v, true);
    this.len += 4;
    return this;
  }

  /** A bytes field. */
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, Wire.Bytes);
    this.rawVarint(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, s: string): this {
    return this.bytes(field, utf8Encoder.encode(s));
  }

  /** A nested message, written by `fill` into a child writer. */
  message(field: number, fill: (w: WireWriter) => void): this {
    const child = new WireWriter();
    fill(child);
    return this.bytes(field, child.finish());
  }

  /** A packed repeated float (4 bytes) or double (8 bytes) field. */
  packedFloats(field: number, values: ArrayLike<number>, size: 4 | 8): this {
    return this.bytes(field, littleEndian(values, size));
  }

  /** A packed repeated integer field. */
  packedInts(field: number, values: readonly number[]): this {
    const child = new WireWriter();
    for (const v of values) child.rawVarint(v);
    return this.bytes(field, child.finish());
  }

  /** The bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
