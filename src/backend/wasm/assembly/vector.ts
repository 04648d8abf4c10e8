// @ts-nocheck -- AssemblyScript (compiled by asc, not tsc).
//
// Elementwise and reduction kernels over flat f32 arrays, 4 lanes at a time plus a scalar tail.
import { at } from './addressing';

/** Z rows = bias (the affine product then accumulates into them with beta = 1). */
export function fillRows(m: i32, n: i32, bias: usize, z: usize): void {
  const w = (<usize>n) << 2;
  for (let r = 0; r < m; r++) memory.copy(z + <usize>r * w, bias, w);
}

/** out[j] = beta·out[j] + Σ_i x[i·n + j]. */
export function colSum(m: i32, n: i32, x: usize, beta: f32, out: usize): void {
  let j = 0;
  const bv = f32x4.splat(beta);
  for (; j + 4 <= n; j += 4) {
    let s = beta == 0 ? f32x4.splat(0) : f32x4.mul(bv, v128.load(at(out, j)));
    for (let i = 0; i < m; i++) s = f32x4.add(s, v128.load(at(x, i * n + j)));
    v128.store(at(out, j), s);
  }
  for (; j < n; j++) {
    let s: f32 = beta == 0 ? 0 : beta * load<f32>(at(out, j));
    for (let i = 0; i < m; i++) s += load<f32>(at(x, i * n + j));
    store<f32>(at(out, j), s);
  }
}

export function mul(n: i32, x: usize, m: usize, y: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.mul(v128.load(at(x, i)), v128.load(at(m, i))));
  for (; i < n; i++) store<f32>(at(y, i), load<f32>(at(x, i)) * load<f32>(at(m, i)));
}

export function axpy(n: i32, alpha: f32, x: usize, y: usize): void {
  let i = 0;
  const av = f32x4.splat(alpha);
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.add(v128.load(at(y, i)), f32x4.mul(av, v128.load(at(x, i)))));
  for (; i < n; i++) store<f32>(at(y, i), load<f32>(at(y, i)) + alpha * load<f32>(at(x, i)));
}

export function scale(n: i32, alpha: f32, x: usize): void {
  let i = 0;
  const av = f32x4.splat(alpha);
  for (; i + 4 <= n; i += 4) v128.store(at(x, i), f32x4.mul(av, v128.load(at(x, i))));
  for (; i < n; i++) store<f32>(at(x, i), alpha * load<f32>(at(x, i)));
}

/** Clamp to [lo, hi]; NaN stays NaN (both comparisons are false for it). */
export function clip(n: i32, lo: f32, hi: f32, x: usize): void {
  let i = 0;
  const lv = f32x4.splat(lo);
  const hv = f32x4.splat(hi);
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(at(x, i));
    const c = v128.bitselect(lv, v, f32x4.lt(v, lv));
    v128.store(at(x, i), v128.bitselect(hv, c, f32x4.gt(v, hv)));
  }
  for (; i < n; i++) {
    const v = load<f32>(at(x, i));
    store<f32>(at(x, i), v < lo ? lo : v > hi ? hi : v);
  }
}

/** Σ x² accumulated in f64 (the squares of f32 values are exact there), like the JS reference. */
export function sumSquares(n: i32, x: usize): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(at(x, i));
    const lo = f64x2.promote_low_f32x4(v);
    const hi = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
    s0 = f64x2.add(s0, f64x2.mul(lo, lo));
    s1 = f64x2.add(s1, f64x2.mul(hi, hi));
  }
  const s = f64x2.add(s0, s1);
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) {
    const v = <f64>load<f32>(at(x, i));
    t += v * v;
  }
  return t;
}

/** dst row r = src row idx[r] for r < count (idx: i32 row numbers). */
export function gatherRows(count: i32, cols: i32, idx: usize, src: usize, dst: usize): void {
  const w = (<usize>cols) << 2;
  for (let r = 0; r < count; r++) {
    memory.copy(dst + <usize>r * w, src + <usize>load<i32>(idx + ((<usize>r) << 2)) * w, w);
  }
}

/** Positions [lo, hi) of y = x (arrays: the i32 byte offsets of x and y): the `copy` kernel. */
export function copyRange(lo: i32, hi: i32, arrays: usize, attrs: usize): void {
  const x = <usize>load<i32>(arrays);
  const y = <usize>load<i32>(arrays + 4);
  memory.copy(y + ((<usize>lo) << 2), x + ((<usize>lo) << 2), (<usize>(hi - lo)) << 2);
}

/**
 * Index of the first NaN or ±Infinity in x[0, n), or -1. Tests the exponent bits (all ones), 16
 * values per step; a hit stops the vector loop and the scalar loop names the element.
 */
export function firstNonFinite(n: i32, x: usize): i32 {
  const e = i32x4.splat(0x7f800000);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = at(x, i);
    const h0 = i32x4.eq(v128.and(v128.load(p), e), e);
    const h1 = i32x4.eq(v128.and(v128.load(p, 16), e), e);
    const h2 = i32x4.eq(v128.and(v128.load(p, 32), e), e);
    const h3 = i32x4.eq(v128.and(v128.load(p, 48), e), e);
    if (v128.any_true(v128.or(v128.or(h0, h1), v128.or(h2, h3)))) break;
  }
  for (; i < n; i++) if ((load<i32>(at(x, i)) & 0x7f800000) == 0x7f800000) return i;
  return -1;
}
