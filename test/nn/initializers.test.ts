import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/index.js';
import { INITIALIZER_NAMES, initialize } from '../../src/nn/initializers.js';
import { EXPECTED } from './initializer-expectations.js';

const SHAPES = [
  [7, 3],
  [40, 90],
];

describe('initialisers draw from the distribution they are named for', () => {
  for (const name of INITIALIZER_NAMES) {
    for (const [fanIn, fanOut] of SHAPES as [number, number][]) {
      it(`${name} over ${String(fanIn)} inputs, ${String(fanOut)} units: mean, variance and limits`, () => {
        // 200k draws: the sample variance is within ~1% of the true one (4 standard errors ≈ 1.3%).
        const w = new Float64Array(200_000);
        initialize(name, w, fanIn, fanOut, new Rng(fanIn * 1000 + fanOut));
        const n = w.length;
        const mean = w.reduce((s, v) => s + v, 0) / n;
        const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
        const max = w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const e = EXPECTED[name](fanIn, fanOut);
        if (e.uniform !== undefined) {
          const limit = e.uniform;
          // U(−l, l): variance l²/3, every draw inside the bound and the extremes close to it.
          expect(max).toBeLessThanOrEqual(limit);
          expect(max).toBeGreaterThan(0.999 * limit);
          expect(Math.abs(variance / ((limit * limit) / 3) - 1)).toBeLessThan(0.02);
          expect(Math.abs(mean)).toBeLessThan((4 * limit) / Math.sqrt(3 * n));
        } else if (e.std !== undefined) {
          const std = e.std;
          expect(Math.abs(variance / (std * std) - 1)).toBeLessThan(0.02);
          expect(Math.abs(mean)).toBeLessThan((4 * std) / Math.sqrt(n));
          // A normal, not a uniform of the same variance: draws beyond 3σ exist (0.27% of them).
          const tail = w.filter((v) => Math.abs(v) > 3 * std).length / n;
          expect(tail).toBeGreaterThan(0.002);
          expect(tail).toBeLessThan(0.0035);
        } else {
          expect(max).toBe(0);
        }
      });
    }
  }
});
