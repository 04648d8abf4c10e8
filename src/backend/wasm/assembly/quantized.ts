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
// - narrow (relaxed SIMD build, weights within ±64, a pair of rows with no negative value, i.e.
//   after ReLU or on pixels): `i16x8.relaxed_dot_i8x16_i7x16_s` (x64 `pmaddubsw`, 16 products
//   summed in pairs to int16; exact and deterministic while the i7 operand is in [0, 127]), two
//   of them added in int16 (|4·127·64| = 32512 < 2^15), then widened by a pairwise add to int32:
//   32 multiply-adds per 3 multiplier instructions, over only the 16-byte steps where one of the
//   two rows is nonzero (a zero step adds nothing to an integer sum).
//   `i32x4.relaxed_dot_i8x16_i7x16_add_s` is not used: on Node 20 (V8 11.3, x64 with AVX-VNNI)
//   its baseline (Liftoff) code ignores the accumulator and doubles the product, which every
//   kernel runs before it tiers up; its optimized (TurboFan) code is exact but is `pmaddubsw` +
//   `pmaddwd` + `paddd`, 16 multiply-adds per 2 multiplier instructions: 45 G/s in a 2 × 2 tile
//   against 75 G/s for the product above (2026-12-05).
// - sparse (the narrow product's conditions, one row whose nonzero 4-value groups are few: a
//   digit's pixels): only those groups, each broadcast against the group-major copy of the
//   weights, 4 outputs per byte product (see `rowSparse`).
//
// arrays: x (rows × k f32), q (rows × 2·kp bytes of scratch: int8 rows, widened in place), sx
// (rows f32 scratch), w (n × kp i8, then their group-major copy: packQuantizedWeights), sw (n f32),
// b (n f32), z (rows × n f32). attrs: k, kp (k rounded up to 16), n, wmax (an upper bound of |w|:
// the narrow and sparse products need ≤ 64).
import { actForward, softmaxRows } from './activations';
import { arr, at as f32at, attrInt, i8at } from './addressing';

/** The softmax activation id (`ActId.softmax`): by rows, not elementwise. */
const SOFTMAX: i32 = 8;

/** Rows whose largest magnitude is below this quantize to zeros (127/max would overflow f32). */
const TINY: f32 = 1e-30;

/** 1.5·2^23: adding it to |v| ≤ 2^22 rounds v to an integer (half to even) in the low mantissa bits. */
const MAGIC: f32 = 12582912;
const MAGIC_BITS: i32 = 0x4b400000;

/** The bits of +Infinity: the bits of |v| reach them only for ±Infinity and NaN. */
const INFINITY_BITS: i32 = 0x7f800000;

/** Weights within ±NARROW_MAX allow the narrow product (see the top of this file). */
const NARROW_MAX: i32 = 64;

/** Packs 16 i32 lanes (four vectors, each value in [-127, 127]) into 16 int8 lanes. */
function pack8(a: v128, b: v128, c: v128, d: v128): v128 {
  return i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(a, b), i16x8.narrow_i32x4_s(c, d));
}

/**
 * Quantizes one row of k floats into kp int8 lanes (zero padded); returns its scale. The max is
 * taken on the bits of |v| as integers (`i32x4.max_s`, one instruction, four independent chains):
 * for non-negative floats integer order is numeric order, and ±Infinity and NaN sit above every
 * finite value, so one comparison of the max sends a row holding any of them to
 * {@link quantizeRowExact}, which follows the reference's rules for them. The rounding adds
 * {@link MAGIC}, which gives `nearest` exactly for |v| ≤ 127 (two instructions instead of
 * `nearest` + `trunc_sat`, about nine).
 */
function quantizeRow(x: usize, k: i32, q: usize, kp: i32): f32 {
  const abs = i32x4.splat(0x7fffffff);
  let m0 = i32x4.splat(0);
  let m1 = m0;
  let m2 = m0;
  let m3 = m0;
  let p = 0;
  for (; p + 16 <= k; p += 16) {
    m0 = i32x4.max_s(m0, v128.and(v128.load(f32at(x, p)), abs));
    m1 = i32x4.max_s(m1, v128.and(v128.load(f32at(x, p + 4)), abs));
    m2 = i32x4.max_s(m2, v128.and(v128.load(f32at(x, p + 8)), abs));
    m3 = i32x4.max_s(m3, v128.and(v128.load(f32at(x, p + 12)), abs));
  }
  for (; p + 4 <= k; p += 4) m0 = i32x4.max_s(m0, v128.and(v128.load(f32at(x, p)), abs));
  const mv = i32x4.max_s(i32x4.max_s(m0, m1), i32x4.max_s(m2, m3));
  let bits = max(
    max(i32x4.extract_lane(mv, 0), i32x4.extract_lane(mv, 1)),
    max(i32x4.extract_lane(mv, 2), i32x4.extract_lane(mv, 3)),
  );
  for (; p < k; p++) bits = max(bits, load<i32>(f32at(x, p)) & 0x7fffffff);
  if (bits >= INFINITY_BITS) return quantizeRowExact(x, k, q, kp);
  const m = reinterpret<f32>(bits);
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

/** [Σa, Σb, Σc, Σd]: the lane sums of four int32 accumulators, in 6 shuffles and 3 adds. */
function sum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = i32x4.add(i32x4.shuffle(a, b, 0, 4, 1, 5), i32x4.shuffle(a, b, 2, 6, 3, 7));
  const cd = i32x4.add(i32x4.shuffle(c, d, 0, 4, 1, 5), i32x4.shuffle(c, d, 2, 6, 3, 7));
  return i32x4.add(i32x4.shuffle(ab, cd, 0, 1, 4, 5), i32x4.shuffle(ab, cd, 2, 3, 6, 7));
}

/**
 * {@link put} for two rows × weight rows j, j+1 at once: `acc` holds the sums [r j, r j+1, r+1 j,
 * r+1 j+1] and `sxv` the row scales [s_r, s_r, s_r+1, s_r+1]; z0 is row r's output and zs the
 * row stride in bytes. Lane by lane the same f32 operations as `put`, so the same bits.
 */
function put4(z0: usize, zs: usize, j: i32, acc: v128, sxv: v128, sw: usize, b: usize): void {
  const scale = f32x4.mul(sxv, v128.load64_splat(f32at(sw, j)));
  const v = f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(acc), scale), v128.load64_splat(f32at(b, j)));
  v128.store64_lane(f32at(z0, j), v, 0);
  v128.store64_lane(f32at(z0, j) + zs, v, 1);
}

/** [s0, s0, s1, s1] for {@link put4}: the scales of rows r and r+1 (at sx, sx + 4). */
function rowScales(sx: usize): v128 {
  return f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(load<f32>(sx)), 2, load<f32>(sx, 4)), 3, load<f32>(sx, 4));
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
  const s01 = rowScales(sx);
  const s23 = rowScales(sx + 8);
  const zs = (<usize>n) << 2;
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
    put4(z0, zs, j, sum4(a00, a01, a10, a11), s01, sw, b);
    put4(z0 + 2 * zs, zs, j, sum4(a20, a21, a30, a31), s23, sw, b);
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
 * Writes at `list` the byte offsets of the 16-byte steps (kp/16 of them) where row q0 or row q1
 * holds a nonzero value, in order; returns how many. A step where both rows are zero adds nothing
 * to any integer sum, so a product may skip it: 31% of the 2-row steps of MNIST's test digits
 * (pixels are mostly background), fewer after ReLU. Branch-free: every offset is stored, and the
 * count advances past the ones that stay.
 */
function nonzeroSteps(q0: usize, q1: usize, kp: i32, list: usize): i32 {
  let c = 0;
  for (let p = 0; p < kp; p += 16) {
    store<i32>(list + ((<usize>c) << 2), p);
    c += <i32>v128.any_true(v128.or(v128.load(q0 + <usize>p), v128.load(q1 + <usize>p)));
  }
  return c;
}

/**
 * Rows r, r+1 by the narrow product (relaxed SIMD build only), 2 rows × 2 weight rows, two 16-byte
 * steps at a time, over the steps {@link nonzeroSteps} lists (kept in the unused second half of
 * row r's scratch: a narrow row is never widened). 4 accumulators, 8 operands and `ones` fit V8's
 * 15 vector registers (V8 loads every operand of a step first: 4 × 2 and 3 × 2 tiles spilled
 * accumulators on every step, and ran no faster than the wide product).
 */
function tileNarrow(q0: usize, sx: usize, z0: usize, w: usize, sw: usize, b: usize, n: i32, kp: i32): void {
  const qs = (<usize>kp) << 1;
  const ws = <usize>kp;
  const q1 = q0 + qs;
  const list = q0 + ws;
  const steps = nonzeroSteps(q0, q1, kp, list);
  const pairs = list + ((<usize>(steps & ~1)) << 2);
  const s01 = rowScales(sx);
  const zs = (<usize>n) << 2;
  const ones = i16x8.splat(1);
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    let a00 = i32x4.splat(0);
    let a01 = a00;
    let a10 = a00;
    let a11 = a00;
    const w0 = i8at(w, j * kp);
    const w1 = w0 + ws;
    let l = list;
    for (; l < pairs; l += 8) {
      const o = <usize>load<i32>(l);
      const u = <usize>load<i32>(l, 4);
      const v0 = v128.load(w0 + o);
      const u0 = v128.load(w0 + u);
      const v1 = v128.load(w1 + o);
      const u1 = v128.load(w1 + u);
      const xa = v128.load(q0 + o);
      const xb = v128.load(q0 + u);
      const ya = v128.load(q1 + o);
      const yb = v128.load(q1 + u);
      a00 = widen(ones, a00, i16x8.add(dot7(v0, xa), dot7(u0, xb)));
      a01 = widen(ones, a01, i16x8.add(dot7(v1, xa), dot7(u1, xb)));
      a10 = widen(ones, a10, i16x8.add(dot7(v0, ya), dot7(u0, yb)));
      a11 = widen(ones, a11, i16x8.add(dot7(v1, ya), dot7(u1, yb)));
    }
    if (steps & 1) {
      const o = <usize>load<i32>(l);
      const v0 = v128.load(w0 + o);
      const v1 = v128.load(w1 + o);
      const xa = v128.load(q0 + o);
      const ya = v128.load(q1 + o);
      a00 = widen(ones, a00, dot7(v0, xa));
      a01 = widen(ones, a01, dot7(v1, xa));
      a10 = widen(ones, a10, dot7(v0, ya));
      a11 = widen(ones, a11, dot7(v1, ya));
    }
    put4(z0, zs, j, sum4(a00, a01, a10, a11), s01, sw, b);
  }
  for (; j < n; j++) {
    const wj = i8at(w, j * kp);
    const t = load<f32>(f32at(sw, j));
    const bj = load<f32>(f32at(b, j));
    put(f32at(z0, j), dotNarrow(q0, wj, kp), load<f32>(sx), t, bj);
    put(f32at(z0, n + j), dotNarrow(q1, wj, kp), load<f32>(sx, 4), t, bj);
  }
}

/**
 * Writes at `list` the byte offsets (multiples of 4) of the 4-value groups of quantized row q (kp
 * values) that hold a nonzero value, in order; returns how many, or -1 when the row has a negative
 * value (the sparse product needs x in [0, 127]). The list takes at most kp bytes (the second half
 * of the row's scratch). A zero group adds nothing to an integer sum: 72% of the groups of MNIST's
 * test digits are zero, against 31% of the 16-value steps of a pair of rows (what the narrow tile
 * skips).
 */
function nonzeroGroups(q: usize, kp: i32, list: usize): i32 {
  const zero = i32x4.splat(0);
  let o = zero;
  let c = 0;
  for (let p = 0; p < kp; p += 16) {
    const v = v128.load(q + <usize>p);
    o = v128.or(o, v);
    const m = i32x4.bitmask(i32x4.ne(v, zero));
    // Branch-free (whether a step is zero is a coin toss on pixels: a branch on it cost more than
    // the rest of the list): every group's offset is stored, at the count of nonzero groups
    // before it, so a zero group's entry is overwritten by the next one or left past the end.
    const e = list + ((<usize>c) << 2);
    store<i32>(e, p);
    store<i32>(e + ((<usize>(m & 1)) << 2), p + 4);
    store<i32>(e + ((<usize>popcnt(m & 3)) << 2), p + 8);
    store<i32>(e + ((<usize>popcnt(m & 7)) << 2), p + 12);
    c += popcnt(m);
  }
  return i8x16.bitmask(o) == 0 ? c : -1;
}

/**
 * Rows whose nonzero 4-value groups are at most this many 64ths of their groups take the sparse
 * product; the others the narrow tile (per useful group the sparse product costs about what the
 * narrow tile costs per 16-value step of a pair, which it skips when both rows are zero there).
 */
const SPARSE_64THS = 40;

/**
 * z for outputs j … j+3 of one row from their sums (`lanes` of them, 1–4): lane by lane the f32
 * operations of {@link put}.
 */
function put4Out(z: usize, acc: v128, sv: v128, sw: usize, b: usize, lanes: i32): void {
  if (lanes == 4) {
    v128.store(z, f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(acc), f32x4.mul(sv, v128.load(sw))), v128.load(b)));
    return;
  }
  // Past n, sw and b may end: lane by lane.
  const s = f32x4.extract_lane(sv, 0);
  put(z, i32x4.extract_lane(acc, 0), s, load<f32>(sw), load<f32>(b));
  if (lanes > 1) put(z + 4, i32x4.extract_lane(acc, 1), s, load<f32>(sw, 4), load<f32>(b, 4));
  if (lanes > 2) put(z + 8, i32x4.extract_lane(acc, 2), s, load<f32>(sw, 8), load<f32>(b, 8));
}

/**
 * Sparse product of one row (relaxed SIMD build only; x in [0, 127], weights within ±64): over
 * the `c` nonzero 4-value groups listed at `list` (byte offsets p), each group's 4 values broadcast
 * against the group-major weights (`wt`: for group p/4, np outputs × its 4 weights, np·4 bytes), 4
 * outputs per vector: `relaxed_dot_i8x16_i7x16_s` sums the products in pairs to int16, two groups
 * are added in int16 (|4·127·64| < 2^15) and a pairwise add widens them into each output's int32
 * sum. Outputs 16 at a time, then 4 (the last block stores only the outputs below n): V8 loads
 * all of a step's weight vectors before any product, so 16 outputs (8 loads, 4 accumulators, both
 * broadcasts, `ones`) fill its 15 vector registers but one spilled accumulator; 32 at a time spilled
 * 8 loads and 5 accumulators each step and ran 13% slower on W3.
 */
function rowSparse(q: usize, list: usize, c: i32, s: f32, z: usize, wt: usize, sw: usize, b: usize, n: i32): void {
  const np = (n + 3) & ~3;
  const sv = f32x4.splat(s);
  const pairs = list + ((<usize>(c & ~1)) << 2);
  const ones = i16x8.splat(1);
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    let a0 = i32x4.splat(0);
    let a1 = a0;
    let a2 = a0;
    let a3 = a0;
    const wj = wt + ((<usize>j) << 2);
    let l = list;
    for (; l < pairs; l += 8) {
      const pa = <usize>load<i32>(l);
      const pb = <usize>load<i32>(l, 4);
      const xa = v128.load32_splat(q + pa);
      const xb = v128.load32_splat(q + pb);
      const wa = wj + pa * <usize>np;
      const wb = wj + pb * <usize>np;
      a0 = widen(ones, a0, i16x8.add(dot7(v128.load(wa), xa), dot7(v128.load(wb), xb)));
      a1 = widen(ones, a1, i16x8.add(dot7(v128.load(wa, 16), xa), dot7(v128.load(wb, 16), xb)));
      a2 = widen(ones, a2, i16x8.add(dot7(v128.load(wa, 32), xa), dot7(v128.load(wb, 32), xb)));
      a3 = widen(ones, a3, i16x8.add(dot7(v128.load(wa, 48), xa), dot7(v128.load(wb, 48), xb)));
    }
    if (c & 1) {
      const pa = <usize>load<i32>(l);
      const xa = v128.load32_splat(q + pa);
      const wa = wj + pa * <usize>np;
      a0 = widen(ones, a0, dot7(v128.load(wa), xa));
      a1 = widen(ones, a1, dot7(v128.load(wa, 16), xa));
      a2 = widen(ones, a2, dot7(v128.load(wa, 32), xa));
      a3 = widen(ones, a3, dot7(v128.load(wa, 48), xa));
    }
    const zj = f32at(z, j);
    const swj = f32at(sw, j);
    const bj = f32at(b, j);
    put4Out(zj, a0, sv, swj, bj, 4);
    put4Out(zj + 16, a1, sv, swj + 16, bj + 16, 4);
    put4Out(zj + 32, a2, sv, swj + 32, bj + 32, 4);
    put4Out(zj + 48, a3, sv, swj + 48, bj + 48, 4);
  }
  for (; j < n; j += 4) {
    let a0 = i32x4.splat(0);
    const wj = wt + ((<usize>j) << 2);
    let l = list;
    for (; l < pairs; l += 8) {
      const pa = <usize>load<i32>(l);
      const pb = <usize>load<i32>(l, 4);
      const t = dot7(v128.load(wj + pa * <usize>np), v128.load32_splat(q + pa));
      a0 = widen(ones, a0, i16x8.add(t, dot7(v128.load(wj + pb * <usize>np), v128.load32_splat(q + pb))));
    }
    if (c & 1) {
      const pa = <usize>load<i32>(l);
      a0 = widen(ones, a0, dot7(v128.load(wj + pa * <usize>np), v128.load32_splat(q + pa)));
    }
    put4Out(f32at(z, j), a0, sv, f32at(sw, j), f32at(b, j), min(4, n - j));
  }
}

/**
 * Rows [lo, hi) of one quantized layer (see the top of this file): quantizes each row of x into q
 * (stride 2·kp bytes) with its scale in sx, then z = the dequantized integer products plus b.
 */
function affineRows(
  lo: i32,
  hi: i32,
  x: usize,
  q: usize,
  sx: usize,
  w: usize,
  sw: usize,
  b: usize,
  z: usize,
  k: i32,
  kp: i32,
  n: i32,
  wmax: i32,
): void {
  const narrow = ASC_FEATURE_RELAXED_SIMD && wmax <= NARROW_MAX;
  const qs = kp << 1;
  const wt = w + <usize>n * <usize>kp;
  const sparseMax = ((kp >> 2) * SPARSE_64THS) >> 6;
  for (let r = lo; r < hi; r++) store<f32>(f32at(sx, r), quantizeRow(f32at(x, r * k), k, i8at(q, r * qs), kp));
  let r = lo;
  while (r < hi) {
    const qr = i8at(q, r * qs);
    if (narrow) {
      const list = qr + <usize>kp;
      const c = nonzeroGroups(qr, kp, list);
      if (c >= 0 && c <= sparseMax) {
        rowSparse(qr, list, c, load<f32>(f32at(sx, r)), f32at(z, r * n), wt, sw, b, n);
        r++;
        continue;
      }
    }
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

export function quantizedAffine(lo: i32, hi: i32, arrays: usize, attrs: usize): void {
  affineRows(
    lo,
    hi,
    arr(arrays, 0),
    arr(arrays, 1),
    arr(arrays, 2),
    arr(arrays, 3),
    arr(arrays, 4),
    arr(arrays, 5),
    arr(arrays, 6),
    attrInt(attrs, 0),
    attrInt(attrs, 1),
    attrInt(attrs, 2),
    attrInt(attrs, 3),
  );
}

/** Rows a `quantizedForward` call takes through every layer before the next rows (intermediates stay in cache). */
const BLOCK = 32;

/** Per layer: six f32s in the plan (k, kp, n, wmax, activation id, its parameter), then six arrays. */
const PLAN = 6;
const LAYER_ARRAYS = 6;

/**
 * `quantizedForward` (reference: src/quant/quantized-forward.ts): rows [lo, hi) through every
 * layer of a quantized network, each layer as {@link quantizedAffine} then its activation, in
 * blocks of {@link BLOCK} rows. The same functions on the same values as the layer-by-layer
 * calls, so the same bits; one call (one split job for a pool) instead of two per layer.
 *
 * arrays: x (rows × k0 f32), q (scratch as for quantizedAffine, for the widest layer), plan (f32,
 * {@link PLAN} per layer), then per layer sx (rows), w, sw, b, z (rows × n), y (rows × n).
 * attrs: the layer count. Activation ids are those of `actForward`, and 8 (softmax, by rows); the
 * caller passes only ids this build runs.
 */
export function quantizedForward(lo: i32, hi: i32, arrays: usize, attrs: usize): void {
  const layers = attrInt(attrs, 0);
  const x0 = arr(arrays, 0);
  const q = arr(arrays, 1);
  const plan = arr(arrays, 2);
  // Each row owns the widest layer's stretch of q. Indexed by each layer's own width instead, a
  // block's rows in a narrow layer overlap other rows' stretch in a wide one, which another thread
  // may be filling at that moment (a pool splits these rows between threads).
  let qsMax = 0;
  for (let l = 0; l < layers; l++) qsMax = max(qsMax, (<i32>load<f32>(f32at(plan, l * PLAN), 4)) << 1);
  for (let r0 = lo; r0 < hi; r0 += BLOCK) {
    const r1 = min(hi, r0 + BLOCK);
    let x = x0;
    for (let l = 0; l < layers; l++) {
      const pl = f32at(plan, l * PLAN);
      const n = <i32>load<f32>(pl, 8);
      const a = 3 + l * LAYER_ARRAYS;
      const z = arr(arrays, a + 4);
      const y = arr(arrays, a + 5);
      // affineRows puts row r at q + r·qs: shifted so the block's rows start at q + r0·qsMax.
      const qs = (<i32>load<f32>(pl, 4)) << 1;
      affineRows(
        r0,
        r1,
        x,
        q + <usize>r0 * <usize>(qsMax - qs),
        arr(arrays, a),
        arr(arrays, a + 1),
        arr(arrays, a + 2),
        arr(arrays, a + 3),
        z,
        <i32>load<f32>(pl),
        <i32>load<f32>(pl, 4),
        n,
        <i32>load<f32>(pl, 12),
      );
      const act = <i32>load<f32>(pl, 16);
      if (act == SOFTMAX) softmaxRows(r1 - r0, n, f32at(z, r0 * n), f32at(y, r0 * n));
      else actForward(act, load<f32>(pl, 20), (r1 - r0) * n, f32at(z, r0 * n), f32at(y, r0 * n));
      x = y;
    }
  }
}
