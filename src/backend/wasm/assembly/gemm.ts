// @ts-nocheck -- AssemblyScript (compiled by asc, not tsc); the TS project only type-strips it away.
//
// Packed, register- and cache-blocked SGEMM (Goto/BLIS loop order). Measured on a 2-core EPYC:
// a 4×8 micro-kernel over packed A and B with a `do {} while (--n)` inner loop is ~96% of the same
// kernel in C; bigger tiles or manual unrolling lose 10–35% (V8 runs out of registers).
//
// The relaxed-SIMD build uses a 5×8 tile: ten accumulator chains instead of eight hide more of
// the FMA latency (a bare 8-chain FMA loop runs at ~91% of a 12-chain one here). V8 hoists a loop
// body's loads to its top, so five `load32_splat`s would need 17 xmm registers (15 allocatable)
// and spill; rows 0–3 are instead one `v128.load` broadcast with `i32x4.shuffle` at the point of
// use (15 registers, no spills). Plain SIMD needs a temporary per multiply-add, which that tile
// does not have room for (it halved the plain build's speed), so the plain build stays 4×8.
//
// Determinism across threads: every C element is computed by the same sequence of operations
// whatever tile or thread it lands in (edge tiles are zero-padded and computed in full, k blocks
// are always visited in order), so splitting rows or columns between threads changes nothing.
//
// Zero k steps: a packed A panel's k step whose MR values are all zero (or a B panel's whose NR
// values are) adds nothing to any sum of the tile, so the panel's nonzero steps are listed and
// the kernel runs over the listed steps of both panels only. The remaining terms keep their order
// and the accumulators start at +0, to which ±0 adds nothing, so every element is bit for bit
// what the full loop gives (as long as the other operand is finite: 0·∞ is skipped, not NaN).
// MNIST rows: 59% of 5-row steps and 60% of 8-column steps are zero. The decision depends on the
// panel's data and the product's shape only, so threads still agree.

import { directNN, directNT } from './gemm-direct';
import { madd } from './madd';

const WIDE: bool = ASC_FEATURE_RELAXED_SIMD;
const MR: i32 = WIDE ? 5 : 4;
const NR: i32 = 8;
const MC: i32 = WIDE ? 60 : 64;
const KC: i32 = 256;
const NC: i32 = 512;
/** Micro-panels per packed block of A and of B. */
const PA: i32 = MC / MR;
const PB: i32 = NC / NR;
/** Zero steps are looked for only where a panel is reused by this many columns (or rows) of C. */
const SPARSE_MIN: i32 = 32;

/**
 * Bytes of per-thread scratch the packed product needs: packed A and B, one edge tile, and for
 * zero-step skipping each panel's kept-step count and offset list.
 */
export function gemmScratchBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR + (PA + PB) * (KC + 1)) * 4;
}

// Stores the 4×4 transpose of v0..v3 (four consecutive k values of four rows or columns) as
// four k steps, `stride` bytes apart: packing a panel whose source runs along k, 4 steps a time.
function storeT4(dst: usize, stride: usize, v0: v128, v1: v128, v2: v128, v3: v128): void {
  const a = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
  const b = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
  const c = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
  const d = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(a, b, 0, 1, 4, 5));
  v128.store(dst + stride, i32x4.shuffle(a, b, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, i32x4.shuffle(c, d, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, i32x4.shuffle(c, d, 2, 3, 6, 7));
}

// Packs rows [i, i+mc) × cols [p, p+kc) of op(A) (element (r, q) at a + 4(r·rs + q·cs)) into
// MR-row micro-panels, k-major, scaled by alpha, zero-padded to a multiple of MR rows.
function packA(dst: usize, a: usize, rs: i32, cs: i32, i: i32, p: i32, mc: i32, kc: i32, alpha: f32): void {
  const av = f32x4.splat(alpha);
  for (let r0 = 0; r0 < mc; r0 += MR) {
    const rows = min(MR, mc - r0);
    let q = 0;
    if (cs == 1 && rows == MR) {
      // Rows run along k (A not transposed): transpose 4×4 blocks instead of 16 scalar moves.
      const rsb = (<usize>rs) << 2;
      const src = a + ((<usize>((i + r0) * rs + p)) << 2);
      for (; q + 4 <= kc; q += 4) {
        const s = src + ((<usize>q) << 2);
        const v0 = f32x4.mul(av, v128.load(s));
        const v1 = f32x4.mul(av, v128.load(s + rsb));
        const v2 = f32x4.mul(av, v128.load(s + 2 * rsb));
        const v3 = f32x4.mul(av, v128.load(s + 3 * rsb));
        storeT4(dst, MR << 2, v0, v1, v2, v3);
        if (WIDE) {
          const s4 = s + 4 * rsb;
          store<f32>(dst, alpha * load<f32>(s4), 16);
          store<f32>(dst, alpha * load<f32>(s4, 4), 16 + (MR << 2));
          store<f32>(dst, alpha * load<f32>(s4, 8), 16 + 2 * (MR << 2));
          store<f32>(dst, alpha * load<f32>(s4, 12), 16 + 3 * (MR << 2));
        }
        dst += 4 * (MR << 2);
      }
    } else if (rs == 1 && rows == MR) {
      // A transposed (e.g. dZᵀ of a weight gradient): each k step's first 4 rows are one vector.
      const csb = (<usize>cs) << 2;
      let src = a + ((<usize>(i + r0 + p * cs)) << 2);
      for (; q < kc; q++) {
        v128.store(dst, f32x4.mul(av, v128.load(src)));
        if (WIDE) store<f32>(dst, alpha * load<f32>(src, 16), 16);
        src += csb;
        dst += MR << 2;
      }
    }
    for (; q < kc; q++) {
      const src = a + ((<usize>((i + r0) * rs + (p + q) * cs)) << 2);
      let r = 0;
      for (; r < rows; r++) store<f32>(dst + ((<usize>r) << 2), alpha * load<f32>(src + ((<usize>(r * rs)) << 2)));
      for (; r < MR; r++) store<f32>(dst + ((<usize>r) << 2), 0);
      dst += MR << 2;
    }
  }
}

// Packs rows [p, p+kc) × cols [j, j+nc) of op(B) into NR-column micro-panels, zero-padded.
function packB(dst: usize, b: usize, rs: i32, cs: i32, p: i32, j: i32, kc: i32, nc: i32): void {
  for (let c0 = 0; c0 < nc; c0 += NR) {
    const cols = min(NR, nc - c0);
    if (cs == 1 && cols == NR) {
      // Row-major B: each k step of the panel is two contiguous vectors.
      let src = b + ((<usize>(p * rs + j + c0)) << 2);
      const step = (<usize>rs) << 2;
      for (let q = 0; q < kc; q++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += step;
        dst += NR << 2;
      }
      continue;
    }
    let q = 0;
    if (rs == 1 && cols == NR) {
      // B stored n×k (a weight matrix): columns run along k, so transpose 4×4 blocks.
      const csb = (<usize>cs) << 2;
      const src = b + ((<usize>(p + (j + c0) * cs)) << 2);
      for (; q + 4 <= kc; q += 4) {
        const s = src + ((<usize>q) << 2);
        storeT4(dst, NR << 2, v128.load(s), v128.load(s + csb), v128.load(s + 2 * csb), v128.load(s + 3 * csb));
        const t = s + 4 * csb;
        storeT4(dst + 16, NR << 2, v128.load(t), v128.load(t + csb), v128.load(t + 2 * csb), v128.load(t + 3 * csb));
        dst += 4 * (NR << 2);
      }
    }
    for (; q < kc; q++) {
      const src = b + ((<usize>((p + q) * rs + (j + c0) * cs)) << 2);
      let c = 0;
      for (; c < cols; c++) store<f32>(dst + ((<usize>c) << 2), load<f32>(src + ((<usize>(c * cs)) << 2)));
      for (; c < NR; c++) store<f32>(dst + ((<usize>c) << 2), 0);
      dst += NR << 2;
    }
  }
}

// Writes the nonzero k steps q of the panel at p (kc steps of `bytes`) to `list` as q·4, in
// order, and returns how many there are, or kc (no list) when fewer than an eighth are zero:
// then the plain kernel, which reads no list, is faster. Branch-free: every step is written and
// the count moves past the nonzero ones.
function nonzeroSteps(p: usize, kc: i32, bytes: i32, list: usize): i32 {
  let kept = 0;
  if (bytes == 16) {
    for (let q = 0; q < kc; q++) {
      store<i32>(list + ((<usize>kept) << 2), q << 2);
      kept += <i32>v128.any_true(v128.load(p + <usize>(q << 4)));
    }
  } else if (bytes == 20) {
    for (let q = 0; q < kc; q++) {
      const s = p + <usize>(q * 20);
      store<i32>(list + ((<usize>kept) << 2), q << 2);
      kept += (<i32>v128.any_true(v128.load(s))) | (<i32>(load<i32>(s, 16) != 0));
    }
  } else {
    for (let q = 0; q < kc; q++) {
      const s = p + <usize>(q << 5);
      store<i32>(list + ((<usize>kept) << 2), q << 2);
      kept += <i32>v128.any_true(v128.or(v128.load(s), v128.load(s, 16)));
    }
  }
  return kept * 8 > kc * 7 ? kc : kept;
}

// Lists the nonzero steps (see nonzeroSteps) of each `width`-wide micro-panel of a packed block
// `extent` rows (A) or columns (B) wide: panel i's list at lists + i·KC·4, its count at kept[i].
function listPanels(p: usize, extent: i32, width: i32, kc: i32, kept: usize, lists: usize): void {
  for (let r = 0, i = 0; r < extent; r += width, i++) {
    const panel = p + ((<usize>(r * kc)) << 2);
    store<i32>(kept + ((<usize>i) << 2), nonzeroSteps(panel, kc, width << 2, lists + ((<usize>(i * KC)) << 2)));
  }
}

// C[MR×8] += Ap·Bp over n steps. A partial tile goes through `tile` so that its elements see
// exactly the same arithmetic as full ones. With L = bool, the steps are those `list` names (q·4
// each, see nonzeroSteps), and n = 0 adds +0 to C as kc zero steps would; with any other L, the
// n ≥ 1 steps of both panels in order. `isBoolean<L>()` is decided at compile time, so each
// instance keeps only its own addressing (the plain one compiles to the loop it always was).
function kernel<L>(
  n: i32,
  ap: usize,
  bp: usize,
  list: usize,
  c: usize,
  ldc: i32,
  rows: i32,
  cols: i32,
  tile: usize,
): void {
  const listed = isBoolean<L>();
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0),
    c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0),
    c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0),
    c41 = f32x4.splat(0);
  if (listed && n == 0) {
    // nothing to accumulate
  } else {
    do {
      let sa = ap;
      let sb = bp;
      if (listed) {
        const o = <usize>load<i32>(list);
        sa = ap + o * MR;
        sb = bp + (o << 3);
      }
      const b0 = v128.load(sb);
      const b1 = v128.load(sb, 16);
      if (WIDE) {
        const a03 = v128.load(sa);
        let a = i32x4.shuffle(a03, a03, 0, 0, 0, 0);
        c00 = madd(a, b0, c00);
        c01 = madd(a, b1, c01);
        a = i32x4.shuffle(a03, a03, 1, 1, 1, 1);
        c10 = madd(a, b0, c10);
        c11 = madd(a, b1, c11);
        a = i32x4.shuffle(a03, a03, 2, 2, 2, 2);
        c20 = madd(a, b0, c20);
        c21 = madd(a, b1, c21);
        a = i32x4.shuffle(a03, a03, 3, 3, 3, 3);
        c30 = madd(a, b0, c30);
        c31 = madd(a, b1, c31);
        a = v128.load32_splat(sa, 16);
        c40 = madd(a, b0, c40);
        c41 = madd(a, b1, c41);
      } else {
        let a = v128.load32_splat(sa);
        c00 = madd(a, b0, c00);
        c01 = madd(a, b1, c01);
        a = v128.load32_splat(sa, 4);
        c10 = madd(a, b0, c10);
        c11 = madd(a, b1, c11);
        a = v128.load32_splat(sa, 8);
        c20 = madd(a, b0, c20);
        c21 = madd(a, b1, c21);
        a = v128.load32_splat(sa, 12);
        c30 = madd(a, b0, c30);
        c31 = madd(a, b1, c31);
      }
      if (listed) {
        list += 4;
      } else {
        ap += MR << 2;
        bp += 32;
      }
    } while (--n);
  }
  flush(c, ldc, rows, cols, tile, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41);
}

// Adds the accumulators to C (through `tile` for a partial tile).
function flush(
  c: usize,
  ldc: i32,
  rows: i32,
  cols: i32,
  tile: usize,
  c00: v128,
  c01: v128,
  c10: v128,
  c11: v128,
  c20: v128,
  c21: v128,
  c30: v128,
  c31: v128,
  c40: v128,
  c41: v128,
): void {
  const ld = (<usize>ldc) << 2;
  if (rows == MR && cols == NR) {
    v128.store(c, f32x4.add(v128.load(c), c00));
    v128.store(c, f32x4.add(v128.load(c, 16), c01), 16);
    c += ld;
    v128.store(c, f32x4.add(v128.load(c), c10));
    v128.store(c, f32x4.add(v128.load(c, 16), c11), 16);
    c += ld;
    v128.store(c, f32x4.add(v128.load(c), c20));
    v128.store(c, f32x4.add(v128.load(c, 16), c21), 16);
    c += ld;
    v128.store(c, f32x4.add(v128.load(c), c30));
    v128.store(c, f32x4.add(v128.load(c, 16), c31), 16);
    if (WIDE) {
      c += ld;
      v128.store(c, f32x4.add(v128.load(c), c40));
      v128.store(c, f32x4.add(v128.load(c, 16), c41), 16);
    }
    return;
  }
  v128.store(tile, c00);
  v128.store(tile, c01, 16);
  v128.store(tile, c10, 32);
  v128.store(tile, c11, 48);
  v128.store(tile, c20, 64);
  v128.store(tile, c21, 80);
  v128.store(tile, c30, 96);
  v128.store(tile, c31, 112);
  if (WIDE) {
    v128.store(tile, c40, 128);
    v128.store(tile, c41, 144);
  }
  for (let r = 0; r < rows; r++) {
    const cr = c + <usize>r * ld;
    const tr = tile + ((<usize>(r * NR)) << 2);
    for (let q = 0; q < cols; q++) {
      const o = (<usize>q) << 2;
      store<f32>(cr + o, load<f32>(cr + o) + load<f32>(tr + o));
    }
  }
}

function packed(
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  ars: i32,
  acs: i32,
  b: usize,
  brs: i32,
  bcs: i32,
  c: usize,
  i0: i32,
  i1: i32,
  j0: i32,
  j1: i32,
  scratch: usize,
): void {
  const pa = scratch;
  const pb = scratch + ((<usize>(MC * KC)) << 2);
  const tile = pb + ((<usize>(KC * NC)) << 2);
  // Zero-step skipping (see the top of the file) on the side stored along k, where it is reused
  // by enough panels of the other side to pay for the scan.
  const sparseA = acs == 1 && n >= SPARSE_MIN;
  const sparseB = !sparseA && bcs == 1 && m >= SPARSE_MIN;
  const keptA = tile + ((<usize>(MR * NR)) << 2);
  const listA = keptA + ((<usize>PA) << 2);
  const keptB = listA + ((<usize>(PA * KC)) << 2);
  const listB = keptB + ((<usize>PB) << 2);
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    // Equal k blocks (784 = 4 × 196, not 3 × 256 + 16): a short last block would pay a full
    // C-tile load and store for little work. Depends on k only, so every thread agrees.
    const kstep = (k + (k + KC - 1) / KC - 1) / ((k + KC - 1) / KC);
    for (let pc = 0; pc < k; pc += kstep) {
      const kc = min(kstep, k - pc);
      packB(pb, b, brs, bcs, pc, jc, kc, nc);
      if (sparseB) listPanels(pb, nc, NR, kc, keptB, listB);
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
        packA(pa, a, ars, acs, ic, pc, mc, kc, alpha);
        if (sparseA) listPanels(pa, mc, MR, kc, keptA, listA);
        for (let jr = 0; jr < nc; jr += NR) {
          const bp = pb + ((<usize>(jr * kc)) << 2);
          const cols = min(NR, nc - jr);
          const nb = sparseB ? load<i32>(keptB + ((<usize>(jr / NR)) << 2)) : kc;
          for (let ir = 0; ir < mc; ir += MR) {
            const cp = c + ((<usize>((ic + ir) * n + jc + jr)) << 2);
            const ap = pa + ((<usize>(ir * kc)) << 2);
            const rows = min(MR, mc - ir);
            const na = sparseA ? load<i32>(keptA + ((<usize>(ir / MR)) << 2)) : kc;
            if (na < kc) {
              kernel<bool>(na, ap, bp, listA + ((<usize>((ir / MR) * KC)) << 2), cp, n, rows, cols, tile);
            } else if (nb < kc) {
              kernel<bool>(nb, ap, bp, listB + ((<usize>((jr / NR) * KC)) << 2), cp, n, rows, cols, tile);
            } else {
              kernel<i32>(kc, ap, bp, 0, cp, n, rows, cols, tile);
            }
          }
        }
      }
    }
  }
}

// C rows [i0,i1) × cols [j0,j1) = beta · C.
function scaleBlock(n: i32, beta: f32, c: usize, i0: i32, i1: i32, j0: i32, j1: i32): void {
  const w = j1 - j0;
  for (let i = i0; i < i1; i++) {
    const cp = c + ((<usize>(i * n + j0)) << 2);
    if (beta == 0) {
      memory.fill(cp, 0, (<usize>w) << 2);
      continue;
    }
    if (beta == 1) continue;
    const bv = f32x4.splat(beta);
    let j = 0;
    for (; j + 4 <= w; j += 4) v128.store(cp + ((<usize>j) << 2), f32x4.mul(bv, v128.load(cp + ((<usize>j) << 2))));
    for (; j < w; j++) store<f32>(cp + ((<usize>j) << 2), beta * load<f32>(cp + ((<usize>j) << 2)));
  }
}

/** True when the product with these shapes streams B directly instead of packing (see directNN/NT). */
export function gemmIsDirect(transA: i32, transB: i32, m: i32): i32 {
  return <i32>(m < 4 && (transB == 0 || transA == 0 || m == 1));
}

/** Rows of the micro-tile (5 in the relaxed-SIMD build, 4 otherwise): row splits align to it. */
export function gemmTileRows(): i32 {
  return MR;
}

/**
 * The block rows [i0,i1) × cols [j0,j1) of C = alpha·op(A)·op(B) + beta·C. Threads call it on
 * disjoint blocks of the same product, each with its own `scratch` of gemmScratchBytes().
 */
export function gemmBlock(
  transA: i32,
  transB: i32,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  b: usize,
  beta: f32,
  c: usize,
  i0: i32,
  i1: i32,
  j0: i32,
  j1: i32,
  scratch: usize,
): void {
  if (i0 >= i1 || j0 >= j1) return;
  scaleBlock(n, beta, c, i0, i1, j0, j1);
  if (k == 0 || alpha == 0) return;
  const ars = transA ? 1 : k;
  const acs = transA ? m : 1;
  if (gemmIsDirect(transA, transB, m)) {
    if (transB) directNT(n, k, alpha, a, b, c, i0, i1, j0, j1);
    else directNN(n, k, alpha, a, ars, acs, b, c, i0, i1, j0, j1);
    return;
  }
  packed(m, n, k, alpha, a, ars, acs, b, transB ? 1 : n, transB ? k : 1, c, i0, i1, j0, j1, scratch);
}
