import { describe, expect, it } from 'vitest';
import { BACKENDS, fillRandom, fillSparse } from './backends.js';

const SIZES = [0, 1, 3, 4, 5, 17, 67];
// Bigger than one cache block in every dimension (MC=64, KC=256, NC=512) and with odd tails.
const BIG: [number, number, number][] = [
  [130, 530, 300],
  [1, 1000, 700],
  [2, 600, 300],
  [3, 257, 513],
  [200, 9, 70],
];
const TRANSPOSES: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

/** float64 C = alpha·op(A)·op(B) + beta·C, and the magnitude Σ|terms| each error is scaled by. */
function reference(
  ta: boolean,
  tb: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  b: Float32Array,
  beta: number,
  c: Float32Array,
): { value: Float64Array; scale: Float64Array } {
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let mag = 0;
      for (let p = 0; p < k; p++) {
        const t = (ta ? a[p * m + i]! : a[i * k + p]!) * (tb ? b[j * k + p]! : b[p * n + j]!);
        s += t;
        mag += Math.abs(t);
      }
      const old = beta === 0 ? 0 : beta * c[i * n + j]!;
      value[i * n + j] = alpha * s + old;
      scale[i * n + j] = Math.abs(alpha) * mag + Math.abs(old);
    }
  }
  return { value, scale };
}

/** Index of the first element with |got − want| > tol·scale, or -1. */
function firstBad(got: Float32Array, want: Float64Array, scale: Float64Array, count: number, tol: number): number {
  for (let i = 0; i < count; i++) {
    if (!(Math.abs(got[i]! - want[i]!) <= tol * scale[i]! + 1e-30)) return i;
  }
  return -1;
}

describe.each(BACKENDS)('gemm on $label', ({ backend }) => {
  function check(
    ta: boolean,
    tb: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    beta: number,
    fromAlloc: boolean,
  ): void {
    const mk = (len: number): Float32Array => (fromAlloc ? backend.alloc(len) : new Float32Array(len)) as Float32Array;
    // Arrays are longer than needed: kernels must only touch the prefix.
    const a = mk(m * k + 3);
    const b = mk(k * n + 5);
    const c = mk(m * n + 7);
    fillRandom(a, m * 131 + k);
    fillRandom(b, n * 7 + k * 3);
    fillRandom(c, m + n);
    const { value, scale } = reference(ta, tb, m, n, k, alpha, a, b, beta, c);
    const tail = Array.from(c.subarray(m * n));
    backend.gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
    const bad = firstBad(c, value, scale, m * n, 1e-5);
    expect(bad, `m=${m} n=${n} k=${k} ta=${String(ta)} tb=${String(tb)} at ${bad}: ${c[bad]} vs ${value[bad]}`).toBe(
      -1,
    );
    expect(Array.from(c.subarray(m * n))).toEqual(tail);
    if (fromAlloc) for (const x of [a, b, c]) backend.free?.(x);
  }

  it.each(TRANSPOSES)('matches float64 on every small shape (transA=%s, transB=%s)', (ta, tb) => {
    let v = 0;
    for (const m of SIZES)
      for (const n of SIZES)
        for (const k of SIZES) {
          const alpha = [1, 0.5, -2][v % 3]!;
          const beta = [0, 1, 0.25][Math.floor(v / 3) % 3]!;
          check(ta, tb, m, n, k, alpha, beta, true);
          v++;
        }
  });

  it.each(TRANSPOSES)('matches float64 across cache blocks (transA=%s, transB=%s)', (ta, tb) => {
    for (const [m, n, k] of BIG) check(ta, tb, m, n, k, 0.75, 0.5, true);
  });

  it('accepts arrays it did not allocate', () => {
    for (const [ta, tb] of TRANSPOSES) {
      check(ta, tb, 67, 17, 5, 1, 0, false);
      check(ta, tb, 130, 530, 300, 1, 1, false);
    }
  });

  it('ignores the old C when beta = 0, even NaN', () => {
    const a = backend.alloc(40 * 30);
    const b = backend.alloc(30 * 20);
    const c = backend.alloc(40 * 20);
    fillRandom(a, 1);
    fillRandom(b, 2);
    c.fill(Number.NaN);
    backend.gemm(false, false, 40, 20, 30, 1, a, b, 0, c);
    expect(c.every((x) => Number.isFinite(x))).toBe(true);
  });

  it('propagates NaN from A and B into the rows and columns it touches', () => {
    const [m, n, k] = [9, 11, 37];
    const a = backend.alloc(m * k);
    const b = backend.alloc(k * n);
    const c = backend.alloc(m * n);
    fillRandom(a, 3);
    fillRandom(b, 4);
    a[2 * k + 5] = Number.NaN; // row 2 of C
    b[7 * n + 6] = Number.NaN; // column 6 of C
    backend.gemm(false, false, m, n, k, 1, a, b, 0, c);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) expect(Number.isNaN(c[i * n + j]!), `(${i},${j})`).toBe(i === 2 || j === 6);
  });

  it('computes affine = X·Wᵀ + bias', () => {
    for (const [m, n, k] of [
      [1, 3, 2],
      [5, 17, 67],
      [64, 128, 784],
      [1, 128, 784],
    ] as const) {
      const x = backend.alloc(m * k) as Float32Array;
      const w = backend.alloc(n * k) as Float32Array;
      const bias = backend.alloc(n) as Float32Array;
      const z = backend.alloc(m * n) as Float32Array;
      fillRandom(x, 5);
      fillRandom(w, 6);
      fillRandom(bias, 7);
      z.fill(Number.NaN);
      backend.affine(m, n, k, x, w, bias, z);
      const zero = new Float32Array(m * n);
      const { value, scale } = reference(false, true, m, n, k, 1, x, w, 0, zero);
      for (let i = 0; i < m * n; i++) {
        const want = value[i]! + bias[i % n]!;
        expect(Math.abs(z[i]! - want)).toBeLessThanOrEqual(1e-5 * (scale[i]! + Math.abs(bias[i % n]!)));
      }
    }
  });
});

describe.each(BACKENDS.filter((b) => b.label.startsWith('wasm')))('gemm on $label with zero steps', ({ backend }) => {
  // [m, n, k]: several k blocks (k > 256), several row blocks (m > 64), several column blocks
  // (n > 512), edge tiles, and n or m below the size where zero steps are looked for.
  const SHAPES: [number, number, number][] = [
    [64, 128, 784],
    [128, 784, 64],
    [130, 530, 300],
    [67, 33, 600],
    [33, 67, 257],
    [40, 20, 90],
    [9, 31, 100],
    [300, 40, 17],
  ];

  /** op(X) stored the other way round: the cols × rows transpose of a rows × cols matrix. */
  function transposed(x: Float32Array, rows: number, cols: number): Float32Array {
    const t = backend.alloc(rows * cols) as Float32Array;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j]!;
    return t;
  }

  function firstDiff(x: Float32Array, y: Float32Array, count: number): number {
    for (let i = 0; i < count; i++) if (!Object.is(x[i], y[i])) return i;
    return -1;
  }

  // A stored m×k (along k) is where zero steps of A are skipped; stored k×m (transA) it is not,
  // yet its packed panels hold the same values, so the two must agree bit for bit. Same for B
  // stored k×n against n×k.
  it.each(SHAPES)('skips zero steps of A bit for bit (m=%i n=%i k=%i)', (m, n, k) => {
    for (const tb of [false, true]) {
      const a = backend.alloc(m * k) as Float32Array;
      const b = backend.alloc(k * n) as Float32Array;
      fillSparse(a, m, k, m + n);
      fillRandom(b, k + 3);
      const at = transposed(a, m, k);
      const c1 = backend.alloc(m * n) as Float32Array;
      fillRandom(c1, 9);
      // Zero rows of A add +0 to C: -0 there must become +0 either way.
      c1.fill(-0, 0, Math.min(m, 20) * n);
      const c2 = backend.alloc(m * n) as Float32Array;
      c2.set(c1);
      backend.gemm(false, tb, m, n, k, 0.5, a, b, 1, c1);
      backend.gemm(true, tb, m, n, k, 0.5, at, b, 1, c2);
      expect(firstDiff(c1, c2, m * n), `tb=${String(tb)}`).toBe(-1);
      const { value, scale } = reference(true, tb, m, n, k, 0.5, at, b, 0, new Float32Array(m * n));
      backend.gemm(false, tb, m, n, k, 0.5, a, b, 0, c1);
      expect(firstBad(c1, value, scale, m * n, 1e-5)).toBe(-1);
      for (const x of [a, b, at, c1, c2]) backend.free?.(x);
    }
  });

  it.each(SHAPES)('skips zero steps of B bit for bit (m=%i n=%i k=%i)', (m, n, k) => {
    const a = backend.alloc(m * k) as Float32Array;
    const b = backend.alloc(k * n) as Float32Array;
    fillRandom(a, m + 5);
    fillSparse(b, k, n, k + n);
    const bt = transposed(b, k, n);
    const c1 = backend.alloc(m * n) as Float32Array;
    const c2 = backend.alloc(m * n) as Float32Array;
    c1.fill(-0);
    c2.fill(-0);
    // A (stored k×m, transA) is not skipped, so B's steps are; Bᵀ (transB) skips nothing.
    backend.gemm(true, false, m, n, k, 1, a, b, 1, c1);
    backend.gemm(true, true, m, n, k, 1, a, bt, 1, c2);
    expect(firstDiff(c1, c2, m * n)).toBe(-1);
    const { value, scale } = reference(true, false, m, n, k, 1, a, b, 0, new Float32Array(m * n));
    expect(firstBad(c1, value, scale, m * n, 1e-5)).toBe(-1);
    for (const x of [a, b, bt, c1, c2]) backend.free?.(x);
  });
});
