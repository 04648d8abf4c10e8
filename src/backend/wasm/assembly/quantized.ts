// @ts-nocheck -- AssemblyScript (compiled by asc, not tsc).
//
// Native version of the `quantizedAffine` kernel (reference and the arithmetic it defines:
// src/backend/js/quantized-affine.ts). Rows [lo, hi) of the batch: each row is quantized to int16
// lanes holding int8 values with its own scale, then multiplied by the int16-widened int8 weights
// with `i32x4.dot_i16x8_s` (8 multiply-adds per instruction, exact in int32), and dequantized as
// z = f32(acc)·(sx·sw) + b. Integer sums do not depend on order, and every float step is one f32
// operation as in the reference, so the output is bit-identical to it.
//
// arrays: x (rows × k f32), q (rows × kp i16 scratch), sx (rows f32 scratch), w (n × kp i16),
// sw (n f32), b (n f32), z (rows × n f32). attrs: k, kp (k rounded up to 8), n.

function arr(arrays: usize, k: i32): usize {
  return <usize>load<i32>(arrays + ((<usize>k) << 2));
}

function attr(attrs: usize, k: i32): i32 {
  return <i32>load<f64>(attrs + ((<usize>k) << 3));
}

function f32at(p: usize, i: i32): usize {
  return p + ((<usize>i) << 2);
}

function i16at(p: usize, i: i32): usize {
  return p + ((<usize>i) << 1);
}

/** Rows whose largest magnitude is below this quantize to zeros (127/max would overflow f32). */
const TINY: f32 = 1e-30;

/** 1.5·2^23: adding it to |v| ≤ 2^22 rounds v to an integer (half to even) in the low mantissa bits. */
const MAGIC: f32 = 12582912;
const MAGIC_BITS: i32 = 0x4b400000;

/**
 * Quantizes one row of k floats into kp int16 lanes (zero padded); returns its scale. The max
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
  for (; p + 8 <= k; p += 8) {
    const lo = i32x4.sub(f32x4.add(f32x4.mul(v128.load(f32at(x, p)), iv), mg), mb);
    const hi = i32x4.sub(f32x4.add(f32x4.mul(v128.load(f32at(x, p + 4)), iv), mg), mb);
    v128.store(i16at(q, p), i16x8.narrow_i32x4_s(lo, hi));
  }
  for (; p < k; p++) store<i16>(i16at(q, p), <i16>(<i32>nearest<f32>(load<f32>(f32at(x, p)) * inv)));
  for (; p < kp; p++) store<i16>(i16at(q, p), 0);
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
  for (; p + 8 <= k; p += 8) {
    const lo = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(f32at(x, p)), iv)));
    const hi = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(f32at(x, p + 4)), iv)));
    v128.store(i16at(q, p), i16x8.narrow_i32x4_s(lo, hi));
  }
  for (; p < k; p++) store<i16>(i16at(q, p), <i16>(<i32>nearest<f32>(load<f32>(f32at(x, p)) * inv)));
  for (; p < kp; p++) store<i16>(i16at(q, p), 0);
  return small ? 0 : m / <f32>127;
}

function hsum(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

/** z = f32(acc)·(sx·sw) + b, each a single f32 operation (the reference's rounding). */
function put(z: usize, acc: i32, sx: f32, sw: f32, b: f32): void {
  store<f32>(z, <f32>acc * (sx * sw) + b);
}

function dot(a: usize, b: usize, kp: i32): i32 {
  let s = i32x4.splat(0);
  for (let p = 0; p < kp; p += 8) s = i32x4.add(s, i32x4.dot_i16x8_s(v128.load(i16at(a, p)), v128.load(i16at(b, p))));
  return hsum(s);
}

export function quantizedAffine(lo: i32, hi: i32, arrays: usize, attrs: usize): void {
  const x = arr(arrays, 0);
  const q = arr(arrays, 1);
  const sx = arr(arrays, 2);
  const w = arr(arrays, 3);
  const sw = arr(arrays, 4);
  const b = arr(arrays, 5);
  const z = arr(arrays, 6);
  const k = attr(attrs, 0);
  const kp = attr(attrs, 1);
  const n = attr(attrs, 2);
  for (let r = lo; r < hi; r++) store<f32>(f32at(sx, r), quantizeRow(f32at(x, r * k), k, i16at(q, r * kp), kp));
  const rowBytes = (<usize>kp) << 1;
  let r = lo;
  // 4 rows × 2 weight rows per tile: 8 accumulators + 6 operands stay in 16 vector registers.
  for (; r + 4 <= hi; r += 4) {
    const q0 = i16at(q, r * kp);
    const s0 = load<f32>(f32at(sx, r));
    const s1 = load<f32>(f32at(sx, r + 1));
    const s2 = load<f32>(f32at(sx, r + 2));
    const s3 = load<f32>(f32at(sx, r + 3));
    const z0 = f32at(z, r * n);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const w0 = i16at(w, j * kp);
      let a00 = i32x4.splat(0);
      let a01 = a00;
      let a10 = a00;
      let a11 = a00;
      let a20 = a00;
      let a21 = a00;
      let a30 = a00;
      let a31 = a00;
      let xp = q0;
      let wp = w0;
      const end = q0 + rowBytes;
      for (; xp < end; xp += 16, wp += 16) {
        const v0 = v128.load(wp);
        const v1 = v128.load(wp + rowBytes);
        const x0 = v128.load(xp);
        const x1 = v128.load(xp + rowBytes);
        const x2 = v128.load(xp + 2 * rowBytes);
        const x3 = v128.load(xp + 3 * rowBytes);
        a00 = i32x4.add(a00, i32x4.dot_i16x8_s(x0, v0));
        a01 = i32x4.add(a01, i32x4.dot_i16x8_s(x0, v1));
        a10 = i32x4.add(a10, i32x4.dot_i16x8_s(x1, v0));
        a11 = i32x4.add(a11, i32x4.dot_i16x8_s(x1, v1));
        a20 = i32x4.add(a20, i32x4.dot_i16x8_s(x2, v0));
        a21 = i32x4.add(a21, i32x4.dot_i16x8_s(x2, v1));
        a30 = i32x4.add(a30, i32x4.dot_i16x8_s(x3, v0));
        a31 = i32x4.add(a31, i32x4.dot_i16x8_s(x3, v1));
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
      const wj = i16at(w, j * kp);
      const t = load<f32>(f32at(sw, j));
      const bj = load<f32>(f32at(b, j));
      put(f32at(z0, j), dot(q0, wj, kp), s0, t, bj);
      put(f32at(z0, n + j), dot(q0 + rowBytes, wj, kp), s1, t, bj);
      put(f32at(z0, 2 * n + j), dot(q0 + 2 * rowBytes, wj, kp), s2, t, bj);
      put(f32at(z0, 3 * n + j), dot(q0 + 3 * rowBytes, wj, kp), s3, t, bj);
    }
  }
  for (; r < hi; r++) {
    const qr = i16at(q, r * kp);
    const s = load<f32>(f32at(sx, r));
    for (let j = 0; j < n; j++)
      put(f32at(z, r * n + j), dot(qr, i16at(w, j * kp), kp), s, load<f32>(f32at(sw, j)), load<f32>(f32at(b, j)));
  }
}
