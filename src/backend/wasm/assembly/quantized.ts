// @ts-nocheck -- AssemblyScript (compiled by asc, not tsc).
//
// Native version of the `quantizedAffine` kernel (reference and the arithmetic it defines:
// src/backend/js/quantized-affine.ts). Rows [lo, hi) of the batch: each row is quantized to int8
// with its own scale, multiplied by the int8 weights with exact integer sums, and dequantized as
// z = f32(acc)·(sx·sw) + b. Integer sums do not depend on order, and every float step is one f32
// operation as in the reference, so the output is bit-identical to it, whichever product runs:
//
// - wide (any weights, any build): a tile's quantized rows widened to int16 in place (their
//   scratch rows are 2·kp bytes), the weights as they are loaded (`load8x8_s`, one x64
//   instruction), and `i32x4.dot_i16x8_s`: 8 multiply-adds per multiplier instruction.
// - narrow (relaxed SIMD build, weights within ±64, a tile of rows with no negative value, i.e.
//   after ReLU or on pixels): `i16x8.relaxed_dot_i8x16_i7x16_s` (x64 `pmaddubsw`, 16 products
//   summed in pairs to int16; exact and deterministic while the i7 operand is in [0, 127]), two
//   of them added in int16 (|4·127·64| = 32512 < 2^15), then widened by a pairwise add to int32:
//   32 multiply-adds per 3 multiplier instructions. `i32x4.relaxed_dot_i8x16_i7x16_add_s` would do
//   it in one, but gave wrong sums on Node 20 (bench/RESULTS.md, 2026-12-05), so it is not used.
//
// arrays: x (rows × k f32), q (rows × 2·kp bytes of scratch: int8 rows, widened in place), sx (rows f32 scratch), w (n × kp i8),
// sw (n f32), b (n f32), z (rows × n f32). attrs: k, kp (k rounded up to 16), n, wmax (an upper
// bound of |w|: the narrow product needs ≤ 64).
import { arr, at as f32at, attrInt, i8at } from './addressing';

/** Rows whose largest magnitude is below this quantize to zeros (127/max would overflow f32). */
const TINY: f32 = 1e-30;

/** 1.5·2^23: adding it to |v| ≤ 2^22 rounds v to an integer (half to even) in the low mantissa bits. */
const MAGIC: f32 = 12582912;
const MAGIC_BITS: i32 = 0x4b400000;

/** Weights within ±NARROW_MAX allow the narrow product (see the top of this file). */
const NARROW_MAX: i32 = 64;

/** Packs 16 i32 lanes (four vectors, each value in [-127, 127]) into 16 int8 lanes. */
function pack8(a: v128, b: v128, c: v128, d: v128): v128 {
  return i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(a, b), i16x8.narrow_i32x4_s(c, d));
}

/**
 * Quantizes one row of k floats into kp int8 lanes (zero padded); returns its scale. The max
 * uses `pmax` (one instruction; `max` is about seven on x64 for its NaN rules) and the rounding
 * adds {@link MAGIC}, which gives `nearest` exactly for |v| ≤ 127 (two instructions instead of
 * `nearest` + `trunc_sat`, about nine): together ~3× faster. A row holding NaN or ±Infinity takes
 * {@link quantizeRowExact}, which follows the reference's rules for them.
 */
function quantizeRow(x: usize, k: i32, q: usize, kp: i32): f32 {
  let mv = f32x4.splat(0);
  let nan = v128.splat<i32>(0);
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const v = v128.load(f32at(x, p));
    mv = f32x4.pmax(mv, f32x4.abs(v));
    nan = v128.or(nan, f32x4.ne(v, v));
  }
  let m = Mathf.max(
    Mathf.max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)),
    Mathf.max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)),
  );
  for (; p < k; p++) m = Mathf.max(m, Mathf.abs(load<f32>(f32at(x, p))));
  if (v128.any_true(nan) || !(m <= F32.MAX_VALUE)) return quantizeRowExact(x, k, q, kp);
  const small = m < TINY;
  const inv: f32 = small ? 0 : <f32>127 / m;
  const iv = f32x4.splat(inv);
  const mg = f32x4.splat(MAGIC);
  const mb = i32x4.splat(MAGIC_BITS);
  p = 0;
  for (; p + 16 <= k; p += 16) {
    const a = i32x4.sub(f32x4.add(f32x4.mul(v128.load(f32at(x, p)), iv), mg), mb);
    const b = i32x4.sub(f32x4.add(f32x4.mul(v128.load(f32at(x, p + 4)), iv), mg), mb);
    const c = i32x4.sub(f32x4.add(f32x4.mul(v128.load(f32at(x, p + 8)), iv), mg), mb);
    const d = i32x4.sub(f32x4.add(f32x4.mul(v128.load(f32at(x, p + 12)), iv), mg), mb);
    v128.store(i8at(q, p), pack8(a, b, c, d));
  }
  for (; p < k; p++) store<i8>(i8at(q, p), <i8>(<i32>nearest<f32>(load<f32>(f32at(x, p)) * inv)));
  for (; p < kp; p++) store<i8>(i8at(q, p), 0);
  return small ? 0 : m / <f32>127;
}

/** {@link quantizeRow} with wasm's NaN-propagating `max` and saturating conversion: any row. */
function quantizeRowExact(x: usize, k: i32, q: usize, kp: i32): f32 {
  let mv = f32x4.splat(0);
  let p = 0;
  for (; p + 4 <= k; p += 4) mv = f32x4.max(mv, f32x4.abs(v128.load(f32at(x, p))));
  let m = Mathf.max(
    Mathf.max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)),
    Mathf.max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)),
  );
  for (; p < k; p++) m = Mathf.max(m, Mathf.abs(load<f32>(f32at(x, p))));
  const small = m < TINY;
  const inv: f32 = small ? 0 : <f32>127 / m;
  const iv = f32x4.splat(inv);
  p = 0;
  for (; p + 16 <= k; p += 16) {
    const a = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(f32at(x, p)), iv)));
    const b = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(f32at(x, p + 4)), iv)));
    const c = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(f32at(x, p + 8)), iv)));
    const d = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(f32at(x, p + 12)), iv)));
    v128.store(i8at(q, p), pack8(a, b, c, d));
  }
  for (; p < k; p++) store<i8>(i8at(q, p), <i8>(<i32>nearest<f32>(load<f32>(f32at(x, p)) * inv)));
  for (; p < kp; p++) store<i8>(i8at(q, p), 0);
  return small ? 0 : m / <f32>127;
}

function hsum(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

/** z = f32(acc)·(sx·sw) + b, each a single f32 operation (the reference's rounding). */
function put(z: usize, acc: i32, sx: f32, sw: f32, b: f32): void {
  store<f32>(z, <f32>acc * (sx * sw) + b);
}

/** Products of signed w (int8) by x in [0, 127]: pairs summed to int16 (exact, see the top). */
function dot7(w: v128, x: v128): v128 {
  return i16x8.relaxed_dot_i8x16_i7x16_s(w, x);
}

/**
 * acc + the int16 lanes of t summed in pairs to int32, as a product by `ones` (i16x8.splat(1))
 * held in a register: `extadd_pairwise` is the same x64 instruction, but V8 reloads its constant
 * on every use.
 */
function widen(ones: v128, acc: v128, t: v128): v128 {
  return i32x4.add(acc, i32x4.dot_i16x8_s(t, ones));
}

/** Whether none of the kp int8 values of a quantized row is negative (kp a multiple of 16). */
function unsigned(q: usize, kp: i32): bool {
  let o = v128.splat<i32>(0);
  for (let p = 0; p < kp; p += 16) o = v128.or(o, v128.load(q + <usize>p));
  return i8x16.bitmask(o) == 0;
}

/**
 * Widens a quantized row in place: its kp int8 values become kp int16 lanes filling the row's
 * 2·kp bytes. From the end, so every 16 bytes are read before anything is written over them.
 */
function widenRow(q: usize, kp: i32): void {
  for (let p = kp - 16; p >= 0; p -= 16) {
    const v = v128.load(q + <usize>p);
    v128.store(q + ((<usize>p) << 1), i16x8.extend_low_i8x16_s(v));
    v128.store(q + ((<usize>p) << 1), i16x8.extend_high_i8x16_s(v), 16);
  }
}

/** Sum of a widened row (int16 lanes) times an int8 weight row (widened as loaded). */
function dotWide(x: usize, w: usize, kp: i32): i32 {
  let s = i32x4.splat(0);
  for (let p = 0; p < kp; p += 8)
    s = i32x4.add(s, i32x4.dot_i16x8_s(v128.load(x + ((<usize>p) << 1)), v128.load8x8_s(w + <usize>p)));
  return hsum(s);
}

/** Sum of an int8 row in [0, 127] times a weight row within ±64 (relaxed SIMD build only). */
function dotNarrow(x: usize, w: usize, kp: i32): i32 {
  const ones = i16x8.splat(1);
  let s = i32x4.splat(0);
  let p = 0;
  for (; p + 32 <= kp; p += 32) {
    const t = dot7(v128.load(w + <usize>p), v128.load(x + <usize>p));
    s = widen(ones, s, i16x8.add(t, dot7(v128.load(w + <usize>p, 16), v128.load(x + <usize>p, 16))));
  }
  if (p < kp) s = widen(ones, s, dot7(v128.load(w + <usize>p), v128.load(x + <usize>p)));
  return hsum(s);
}

/**
 * Rows r … r+3 by the wide product, their quantized rows (stride 2·kp bytes, from q0) widened
 * in place first; 4 rows × 2 weight rows at a time, the weights widened as loaded: 8
 * accumulators and the operands stay in the 15 vector registers V8 allocates.
 */
function tileWide(q0: usize, sx: usize, z0: usize, w: usize, sw: usize, b: usize, n: i32, kp: i32): void {
  const qs = (<usize>kp) << 1;
  for (let i = 0; i < 4; i++) widenRow(q0 + <usize>i * qs, kp);
  const s0 = load<f32>(sx);
  const s1 = load<f32>(sx, 4);
  const s2 = load<f32>(sx, 8);
  const s3 = load<f32>(sx, 12);
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    let a00 = i32x4.splat(0);
    let a01 = a00;
    let a10 = a00;
    let a11 = a00;
    let a20 = a00;
    let a21 = a00;
    let a30 = a00;
    let a31 = a00;
    let xp = q0;
    let wp = i8at(w, j * kp);
    const end = q0 + qs;
    for (; xp < end; xp += 16, wp += 8) {
      const v0 = v128.load8x8_s(wp);
      const v1 = v128.load8x8_s(wp + <usize>kp);
      let xa = v128.load(xp);
      a00 = i32x4.add(a00, i32x4.dot_i16x8_s(xa, v0));
      a01 = i32x4.add(a01, i32x4.dot_i16x8_s(xa, v1));
      xa = v128.load(xp + qs);
      a10 = i32x4.add(a10, i32x4.dot_i16x8_s(xa, v0));
      a11 = i32x4.add(a11, i32x4.dot_i16x8_s(xa, v1));
      xa = v128.load(xp + 2 * qs);
      a20 = i32x4.add(a20, i32x4.dot_i16x8_s(xa, v0));
      a21 = i32x4.add(a21, i32x4.dot_i16x8_s(xa, v1));
      xa = v128.load(xp + 3 * qs);
      a30 = i32x4.add(a30, i32x4.dot_i16x8_s(xa, v0));
      a31 = i32x4.add(a31, i32x4.dot_i16x8_s(xa, v1));
    }
    const t0 = load<f32>(f32at(sw, j));
    const t1 = load<f32>(f32at(sw, j + 1));
    const b0 = load<f32>(f32at(b, j));
    const b1 = load<f32>(f32at(b, j + 1));
    put(f32at(z0, j), hsum(a00), s0, t0, b0);
    put(f32at(z0, j + 1), hsum(a01), s0, t1, b1);
    put(f32at(z0, n + j), hsum(a10), s1, t0, b0);
    put(f32at(z0, n + j + 1), hsum(a11), s1, t1, b1);
    put(f32at(z0, 2 * n + j), hsum(a20), s2, t0, b0);
    put(f32at(z0, 2 * n + j + 1), hsum(a21), s2, t1, b1);
    put(f32at(z0, 3 * n + j), hsum(a30), s3, t0, b0);
    put(f32at(z0, 3 * n + j + 1), hsum(a31), s3, t1, b1);
  }
  for (; j < n; j++) {
    const wj = i8at(w, j * kp);
    const t = load<f32>(f32at(sw, j));
    const bj = load<f32>(f32at(b, j));
    for (let i = 0; i < 4; i++)
      put(f32at(z0, i * n + j), dotWide(q0 + <usize>i * qs, wj, kp), load<f32>(f32at(sx, i)), t, bj);
  }
}

/**
 * Rows r, r+1 by the narrow product (relaxed SIMD build only), 2 rows × 2 weight rows, 32 bytes
 * a step: 4 accumulators, 8 operands and `ones` fit V8's 15 vector registers (V8 loads every
 * operand of a step first: 4 × 2 and 3 × 2 tiles spilled accumulators on every step, and ran no
 * faster than the wide product).
 */
function tileNarrow(q0: usize, sx: usize, z0: usize, w: usize, sw: usize, b: usize, n: i32, kp: i32): void {
  const qs = (<usize>kp) << 1;
  const ws = <usize>kp;
  const s0 = load<f32>(sx);
  const s1 = load<f32>(sx, 4);
  const ones = i16x8.splat(1);
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    let a00 = i32x4.splat(0);
    let a01 = a00;
    let a10 = a00;
    let a11 = a00;
    let xp = q0;
    let wp = i8at(w, j * kp);
    const end = q0 + ws;
    for (; xp + 32 <= end; xp += 32, wp += 32) {
      const v0 = v128.load(wp);
      const u0 = v128.load(wp, 16);
      const v1 = v128.load(wp + ws);
      const u1 = v128.load(wp + ws, 16);
      const xa = v128.load(xp);
      const xb = v128.load(xp, 16);
      const ya = v128.load(xp + qs);
      const yb = v128.load(xp + qs, 16);
      a00 = widen(ones, a00, i16x8.add(dot7(v0, xa), dot7(u0, xb)));
      a01 = widen(ones, a01, i16x8.add(dot7(v1, xa), dot7(u1, xb)));
      a10 = widen(ones, a10, i16x8.add(dot7(v0, ya), dot7(u0, yb)));
      a11 = widen(ones, a11, i16x8.add(dot7(v1, ya), dot7(u1, yb)));
    }
    if (xp < end) {
      const v0 = v128.load(wp);
      const v1 = v128.load(wp + ws);
      const xa = v128.load(xp);
      const ya = v128.load(xp + qs);
      a00 = widen(ones, a00, dot7(v0, xa));
      a01 = widen(ones, a01, dot7(v1, xa));
      a10 = widen(ones, a10, dot7(v0, ya));
      a11 = widen(ones, a11, dot7(v1, ya));
    }
    const t0 = load<f32>(f32at(sw, j));
    const t1 = load<f32>(f32at(sw, j + 1));
    const b0 = load<f32>(f32at(b, j));
    const b1 = load<f32>(f32at(b, j + 1));
    put(f32at(z0, j), hsum(a00), s0, t0, b0);
    put(f32at(z0, j + 1), hsum(a01), s0, t1, b1);
    put(f32at(z0, n + j), hsum(a10), s1, t0, b0);
    put(f32at(z0, n + j + 1), hsum(a11), s1, t1, b1);
  }
  for (; j < n; j++) {
    const wj = i8at(w, j * kp);
    const t = load<f32>(f32at(sw, j));
    const bj = load<f32>(f32at(b, j));
    put(f32at(z0, j), dotNarrow(q0, wj, kp), s0, t, bj);
    put(f32at(z0, n + j), dotNarrow(q0 + qs, wj, kp), s1, t, bj);
  }
}

export function quantizedAffine(lo: i32, hi: i32, arrays: usize, attrs: usize): void {
  const x = arr(arrays, 0);
  const q = arr(arrays, 1);
  const sx = arr(arrays, 2);
  const w = arr(arrays, 3);
  const sw = arr(arrays, 4);
  const b = arr(arrays, 5);
  const z = arr(arrays, 6);
  const k = attrInt(attrs, 0);
  const kp = attrInt(attrs, 1);
  const n = attrInt(attrs, 2);
  const narrow = ASC_FEATURE_RELAXED_SIMD && attrInt(attrs, 3) <= NARROW_MAX;
  const qs = kp << 1;
  for (let r = lo; r < hi; r++) store<f32>(f32at(sx, r), quantizeRow(f32at(x, r * k), k, i8at(q, r * qs), kp));
  let r = lo;
  while (r < hi) {
    const qr = i8at(q, r * qs);
    if (narrow && r + 2 <= hi && unsigned(qr, kp) && unsigned(qr + <usize>qs, kp)) {
      tileNarrow(qr, f32at(sx, r), f32at(z, r * n), w, sw, b, n, kp);
      r += 2;
    } else if (r + 4 <= hi) {
      tileWide(qr, f32at(sx, r), f32at(z, r * n), w, sw, b, n, kp);
      r += 4;
    } else {
      const s = load<f32>(f32at(sx, r));
      const fast = narrow && unsigned(qr, kp);
      if (!fast) widenRow(qr, kp);
      for (let j = 0; j < n; j++) {
        const wj = i8at(w, j * kp);
        const acc = fast ? dotNarrow(qr, wj, kp) : dotWide(qr, wj, kp);
        put(f32at(z, r * n + j), acc, s, load<f32>(f32at(sw, j)), load<f32>(f32at(b, j)));
      }
      r++;
    }
  }
}
