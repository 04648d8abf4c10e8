import { describe, expect, it } from 'vitest';
import { dot, dot2 } from '../../../src/backend/js/gemm.js';
import { Rng } from '../../../src/core/rng.js';

// dot2 is dot over two rows at once (the population pass): every output must be the bias plus
// dot's sum bit for bit, or 'exact' population outputs would drift from the per-network path.
describe('dot2', () => {
  it.each([Float32Array, Float64Array])('equals c + dot per row on %o, every width 0-13', (Type) => {
    const rng = new Rng(12);
    for (let k = 0; k <= 13; k++) {
      const a = new Type(3 + 2 * k).map(() => rng.normal(0, 3));
      const b = new Type(1 + k).map(() => rng.normal(0, 3));
      // A cancellation only dot's order of partial sums, (s0 + s1) + (s2 + s3), survives: any
      // other order gives a visibly different sum, not just another rounding.
      if (k >= 4) b.set([2 ** 60, -(2 ** 60)], 1);
      if (k >= 4) a.set([1, 1, 1, 1], 3);
      const c = rng.normal(0, 1);
      const out = new Type(7);
      dot2(a, 3, b, 1, k, c, out, 2, 3);
      // Stored as the output array stores them (float32 rounds once, at the store).
      const want = new Type([c + dot(a, 3, b, 1, k), c + dot(a, 3 + k, b, 1, k)]);
      expect([out[2], out[5]]).toEqual(Array.from(want));
      expect([out[0], out[1], out[3], out[4], out[6]]).toEqual([0, 0, 0, 0, 0]);
    }
  });

  it('keeps signed zeros as dot does (partial sums start at +0)', () => {
    const a = Float32Array.from([1, 1, 1, 1, 2, 2, 2, 2]);
    const b = Float32Array.from([-0, -0, -0, -0]);
    const out = new Float32Array(2);
    dot2(a, 0, b, 0, 4, -0, out, 0, 1);
    expect(Object.is(out[0], -0 + dot(a, 0, b, 0, 4))).toBe(true);
    expect(Object.is(out[0], 0)).toBe(true);
    expect(Object.is(out[1], 0)).toBe(true);
  });
});
