import type { FloatArray } from '../../core/matrix.js';
import type { Kernel } from '../types.js';

const f = Math.fround;

/**
 * Scalars of a {@link quantizedAffine} call: inputs per row, that rounded up to 16, outputs per
 * row, and an upper bound of the weights' magnitudes (see {@link maxMagnitude}).
 */
export type QuantizedAffineAttrs = { k: number; kp: number; n: number; wmax: number };

/** Rows whose largest magnitude is below this quantize to zeros (127/max would overflow float32). */
export const QUANT_TINY = 1e-30;

/** Levels on each side of zero for quantized activations: values in [-127, 127]. */
export const ACTIVATION_LEVELS = 127;

/**
 * Levels on each side of zero for quantized weights: values in [-64, 64]. With activations in
 * [0, 127] (after ReLU, or pixels), four products then sum within int16 (4·127·64 = 32512), which
 * lets a native kernel add two 16-lane byte products before widening (see the wasm build);
 * weights quantized to more levels still run, on its slower product.
 */
export const WEIGHT_LEVELS = 64;

/** `k` rounded up to whole 16-lane int8 vectors: the row stride of quantized rows and weights. */
export function quantizedStride(k: number): number {
  return (k + 15) & ~15;
}

/**
 * Bytes of the `w` array of a {@link quantizedAffine} call with n outputs and stride kp: the
 * weights row by row, then a group-major copy (see {@link packQuantizedWeights}).
 */
export function quantizedWeightBytes(n: number, kp: number): number {
  return n * kp + kp * ((n + 3) & ~3);
}

/**
 * Lays out n rows of k int8 weights (row j at `rows[j·stride …]`) as the `w` array of a
 * {@link quantizedAffine} call (`into`, {@link quantizedWeightBytes} long): row j at j·kp, zero
 * past k; then the same weights group-major, for the sparse product of a native build: for each
 * group of 4 inputs (kp/4 of them), np = n rounded up to 4 outputs × that group's 4 weights, so
 * one input group broadcast against 16 bytes gives 4 outputs' products (zero for outputs past n).
 * The reference reads only the first part.
 */
export function packQuantizedWeights(
  n: number,
  k: number,
  rows: ArrayLike<number>,
  stride: number,
  into: Int8Array,
): void {
  const kp = quantizedStride(k);
  const np = (n + 3) & ~3;
  into.fill(0, 0, quantizedWeightBytes(n, kp));
  const t = n * kp;
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < k; p++) {
      const v = rows[j * stride + p] as number;
      into[j * kp + p] = v;
      into[t + (p >> 2) * np * 4 + j * 4 + (p & 3)] = v;
    }
  }
}

/** The int8 lanes of an array the kernels were handed as floats (`backend.alloc` gives float arrays). */
export function int8View(a: FloatArray): Int8Array {
  return new Int8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** The largest |v| in a: the `wmax` attribute of {@link quantizedAffine} for weights `a`. */
export function maxMagnitude(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

/** Round half to even, as WebAssembly's `f32.nearest` (Math.round rounds halves up). */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && (r & 1) !== 0 ? r - 1 : r;
}

/**
 * Symmetric quantization of `k` values (`x[xo…]`) into `q[qo…]` on `levels` levels each side of
 * zero: scale = max|x| / levels and q = roundHalfEven(f32(x · f32(levels / max))), every step one
 * float32 operation. Returns the scale (0 for an all-zero or vanishingly small row, whose values
 * all quantize to 0).
 */
export function quantizeRow(
  k: number,
  x: ArrayLike<number>,
  xo: number,
  q: Int16Array | Int8Array,
  qo: number,
  levels = ACTIVATION_LEVELS,
): number {
  let m = 0;
  for (let p = 0; p < k; p++) m = Math.max(m, Math.abs(x[xo + p] as number));
  const small = m < QUANT_TINY;
  const inv = small ? 0 : f(levels / m);
  for (let p = 0; p < k; p++) q[qo + p] = roundHalfEven(f((x[xo + p] as number) * inv));
  return small ? 0 : f(m / levels);
}

/**
 * One quantized dense layer over rows of a batch: each row of x is quantized with its own scale
 * sx ({@link quantizeRow}) into int8 values, multiplied by int8 weights (one scale sw per output
 * neuron) with an exact integer accumulator, and dequantized as
 * z = f32(f32(acc) · f32(sx · sw)) + b, rounded to float32 at every step.
 *
 * arrays: `x` (rows × k floats), `q` (rows × 2·kp bytes of scratch: each row's kp int8 values, with room to widen them to int16), `sx` (rows floats, scratch: the
 * row scales), `w` (n × kp int8 weights, zero past k, then
 * a group-major copy: {@link packQuantizedWeights}), `sw` (n weight scales), `b` (n biases),
 * `z` (rows × n outputs). The int8 arrays are float arrays from `backend.alloc` read through
 * {@link int8View}. `wmax` must bound every |w| (a native kernel picks its product by it).
 * Positions are rows, so a pool may split them. This scalar definition is the exact integer
 * arithmetic a native version must reproduce bit for bit (the wasm build does, with
 * `i32x4.dot_i16x8_s` or, for narrow weights, relaxed SIMD's byte products).
 */
export const quantizedAffine: Kernel<QuantizedAffineAttrs> = {
  name: 'quantizedAffine',
  arrays: ['x', 'q', 'sx', 'w', 'sw', 'b', 'z'],
  reference(rows, list, { k, kp, n }) {
    const x = list[0] as FloatArray;
    const q = int8View(list[1] as FloatArray);
    const sx = list[2] as FloatArray;
    const w = int8View(list[3] as FloatArray);
    const sw = list[4] as FloatArray;
    const b = list[5] as FloatArray;
    const z = list[6] as FloatArray;
    for (let r = 0; r < rows; r++) {
      const qo = 2 * r * kp;
      sx[r] = quantizeRow(k, x, r * k, q, qo);
      for (let p = k; p < kp; p++) q[qo + p] = 0;
      const s = sx[r] as number;
      for (let j = 0; j < n; j++) {
        const wo = j * kp;
        // |acc| ≤ 127² · k: exact in a double (and in int32) for any k a network can have.
        let acc = 0;
        for (let p = 0; p < k; p++) acc += (q[qo + p] as number) * (w[wo + p] as number);
        z[r * n + j] = f(f(f(acc) * f(s * (sw[j] as number))) + (b[j] as number));
      }
    }
  },
};
