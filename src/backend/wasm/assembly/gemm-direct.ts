// @ts-nocheck -- AssemblyScript (compiled by asc, not tsc); the TS project only type-strips it away.
//
// The unpacked paths of gemm.ts, for products of 1–3 rows (see gemmIsDirect).

import { madd } from './madd';

// Few rows (a matrix–vector product in disguise): packing B would cost as much as the product,
// so stream B directly. op(A)(i, p) is at a + 4(i·ars + p·acs).
export function directNN(
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  ars: i32,
  acs: i32,
  b: usize,
  c: usize,
  i0: i32,
  i1: i32,
  j0: i32,
  j1: i32,
): void {
  const ldb = (<usize>n) << 2;
  for (let i = i0; i < i1; i++) {
    const arow = a + ((<usize>(i * ars)) << 2);
    const crow = c + ((<usize>(i * n)) << 2);
    let j = j0;
    for (; j + 16 <= j1; j += 16) {
      const cp = crow + ((<usize>j) << 2);
      let s0 = v128.load(cp),
        s1 = v128.load(cp, 16),
        s2 = v128.load(cp, 32),
        s3 = v128.load(cp, 48);
      let bp = b + ((<usize>j) << 2);
      for (let p = 0; p < k; p++) {
        const av = f32x4.splat(alpha * load<f32>(arow + ((<usize>(p * acs)) << 2)));
        s0 = madd(av, v128.load(bp), s0);
        s1 = madd(av, v128.load(bp, 16), s1);
        s2 = madd(av, v128.load(bp, 32), s2);
        s3 = madd(av, v128.load(bp, 48), s3);
        bp += ldb;
      }
      v128.store(cp, s0);
      v128.store(cp, s1, 16);
      v128.store(cp, s2, 32);
      v128.store(cp, s3, 48);
    }
    // Tails run one lane group (or one scalar) at a time, with the same per-element arithmetic.
    for (; j + 4 <= j1; j += 4) {
      const cp = crow + ((<usize>j) << 2);
      let s = v128.load(cp);
      let bp = b + ((<usize>j) << 2);
      for (let p = 0; p < k; p++) {
        s = madd(f32x4.splat(alpha * load<f32>(arow + ((<usize>(p * acs)) << 2))), v128.load(bp), s);
        bp += ldb;
      }
      v128.store(cp, s);
    }
    for (; j < j1; j++) {
      const cp = crow + ((<usize>j) << 2);
      let s = f32x4.splat(load<f32>(cp));
      let bp = b + ((<usize>j) << 2);
      for (let p = 0; p < k; p++) {
        s = madd(f32x4.splat(alpha * load<f32>(arow + ((<usize>(p * acs)) << 2))), v128.load32_splat(bp), s);
        bp += ldb;
      }
      store<f32>(cp, f32x4.extract_lane(s, 0));
    }
  }
}

function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// Dot of a contiguous A row with one contiguous B row; the same code serves every j. Four
// accumulators, because one would serialise on the add latency (~4× slower for m = 1 predicts).
function dotRow(ap: usize, bp: usize, k: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  let p = 0;
  for (; p + 16 <= k; p += 16) {
    const o = (<usize>p) << 2;
    s0 = madd(v128.load(ap + o), v128.load(bp + o), s0);
    s1 = madd(v128.load(ap + o, 16), v128.load(bp + o, 16), s1);
    s2 = madd(v128.load(ap + o, 32), v128.load(bp + o, 32), s2);
    s3 = madd(v128.load(ap + o, 48), v128.load(bp + o, 48), s3);
  }
  for (; p + 4 <= k; p += 4) {
    const o = (<usize>p) << 2;
    s0 = madd(v128.load(ap + o), v128.load(bp + o), s0);
  }
  let t = hsum(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
  for (; p < k; p++) t += load<f32>(ap + ((<usize>p) << 2)) * load<f32>(bp + ((<usize>p) << 2));
  return t;
}

// Few rows, B stored n×k: each C element is a dot of two contiguous rows (A row contiguous).
export function directNT(
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  b: usize,
  c: usize,
  i0: i32,
  i1: i32,
  j0: i32,
  j1: i32,
): void {
  const ldk = (<usize>k) << 2;
  for (let i = i0; i < i1; i++) {
    const ap = a + <usize>i * ldk;
    const crow = c + ((<usize>(i * n)) << 2);
    for (let j = j0; j < j1; j++) {
      const cp = crow + ((<usize>j) << 2);
      store<f32>(cp, load<f32>(cp) + alpha * dotRow(ap, b + <usize>j * ldk, k));
    }
  }
}
