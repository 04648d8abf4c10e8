import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../../src/backend/js/index.js';
import type { FloatArray } from '../../src/core/matrix.js';
import { getLoss, LOSS_NAMES } from '../../src/nn/losses.js';
import { BACKENDS, fillRandom } from './backends.js';

const SIZES = [0, 1, 3, 4, 5, 17, 67, 1000];
const ref = createJsBackend({ precision: 'float64' });

function near(got: FloatArray, want: FloatArray, n: number, what: string, tol = 1e-5): void {
  for (let i = 0; i < n; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w)) expect(Number.isNaN(g), `${what}[${i}]`).toBe(true);
    else expect(Math.abs(g - w), `${what}[${i}] n=${n}: ${g} vs ${w}`).toBeLessThanOrEqual(tol * (Math.abs(w) + 1e-6));
  }
}

describe.each(BACKENDS)('vector kernels on $label', ({ backend }) => {
  const rand = (n: number, seed: number, lo = -1, hi = 1): [FloatArray, Float64Array] => {
    const a = backend.alloc(n);
    fillRandom(a, seed, lo, hi);
    return [a, Float64Array.from(a)];
  };

  it('mul, axpy, scale, clip, sumSquares match float64', () => {
    for (const n of SIZES) {
      const [x, x64] = rand(n, 1);
      const [m, m64] = rand(n, 2);
      const [y, y64] = rand(n, 3);
      backend.mul(n, x, m, y);
      ref.mul(n, x64, m64, y64);
      near(y, y64, n, 'mul');
      backend.axpy(n, -0.3, x, y);
      ref.axpy(n, -0.3, x64, y64);
      near(y, y64, n, 'axpy', 1e-5 * 4);
      backend.scale(n, 1.7, y);
      ref.scale(n, 1.7, y64);
      near(y, y64, n, 'scale', 1e-5 * 4);
      x[0 % Math.max(n, 1)] = Number.NaN;
      x64[0] = Number.NaN;
      backend.clip(n, -0.25, 0.5, x);
      ref.clip(n, -0.25, 0.5, x64);
      near(x, x64, n, 'clip');
      const s = backend.sumSquares(n, m);
      const s64 = ref.sumSquares(n, m64);
      expect(Math.abs(s - s64)).toBeLessThanOrEqual(1e-6 * s64);
    }
  });

  it('firstNonFinite finds the first NaN or ±Infinity wherever it is, and nothing in finite data', () => {
    for (const n of [...SIZES, 4099]) {
      const [x] = rand(n, 7, -3e38, 3e38);
      if (n > 2) x[1] = 1e-45; // subnormal: finite
      expect(backend.firstNonFinite(n, x), `n=${n}`).toBe(-1);
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        for (const at of new Set([0, n >> 1, n - 1, Math.max(0, n - 17), Math.min(n - 1, 16)])) {
          if (at < 0 || at >= n) continue;
          const keep = x[at]!;
          x[at] = bad;
          if (at + 3 < n) x[at + 3] = Number.NaN; // a later one must not win
          expect(backend.firstNonFinite(n, x), `n=${n} at=${at} ${bad}`).toBe(at);
          expect(backend.firstNonFinite(at, x), `prefix before ${at}`).toBe(-1);
          x[at] = keep;
          if (at + 3 < n) x[at + 3] = 0;
        }
      }
    }
  });

  it('firstNonFinite on a caller’s array outside backend memory (the wasm backend streams it by blocks)', () => {
    const n = 3 * 16384 + 123;
    const x = new Float32Array(n);
    fillRandom(x, 9, -3e38, 3e38);
    expect(backend.firstNonFinite(n, x)).toBe(-1);
    for (const at of [0, 16383, 16384, 16385, 40000, n - 1]) {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        x[at] = bad;
        if (at + 16384 < n) x[at + 16384] = Number.NaN; // a later one, in a later block, must not win
        expect(backend.firstNonFinite(n, x), `at=${at} ${bad}`).toBe(at);
        expect(backend.firstNonFinite(at, x), `prefix before ${at}`).toBe(-1);
        x[at] = 0;
        if (at + 16384 < n) x[at + 16384] = 0;
      }
    }
  });

  it('colSum with beta 0 and 1 matches float64', () => {
    for (const [m, n] of [
      [0, 3],
      [1, 1],
      [3, 5],
      [64, 128],
      [67, 17],
    ] as const) {
      const [x, x64] = rand(m * n, m + n);
      const [out, out64] = rand(n, 5);
      for (const beta of [0, 1]) {
        backend.colSum(m, n, x, beta, out);
        ref.colSum(m, n, x64, beta, out64);
        near(out, out64, n, `colSum beta=${beta}`, 1e-5 * Math.max(1, m));
      }
    }
  });

  it('gatherRows copies the indexed rows', () => {
    const [rows, cols] = [50, 13];
    const [src] = rand(rows * cols, 7);
    const idx = Int32Array.from({ length: 40 }, (_, i) => (i * 17) % rows);
    for (const [count, start] of [
      [0, 0],
      [1, 3],
      [32, 5],
    ] as const) {
      const dst = backend.alloc(count * cols);
      backend.gatherRows(count, cols, idx, start, src, dst);
      for (let r = 0; r < count; r++)
        expect(Array.from(dst.subarray(r * cols, (r + 1) * cols))).toEqual(
          Array.from(src.subarray(idx[start + r]! * cols, (idx[start + r]! + 1) * cols)),
        );
    }
  });

  it.each(LOSS_NAMES)('loss %s (plain and fused gradient) matches float64', (name) => {
    const loss = getLoss(name);
    for (const n of SIZES) {
      const [p, p64] = rand(n, 11, 0.01, 0.99);
      const [t, t64] = rand(n, 12, 0, 1);
      const g = backend.alloc(n);
      const g64 = new Float64Array(n);
      for (const fused of [false, true]) {
        const v = backend.loss(loss, n, p, t, 0.5, fused, g);
        const v64 = ref.loss(loss, n, p64, t64, 0.5, fused, g64);
        expect(Math.abs(v - v64)).toBeLessThanOrEqual(1e-5 * (Math.abs(v64) + 1e-6));
        near(g, g64, n, `${name} grad fused=${String(fused)}`);
      }
    }
  });
});
