import { describe, expect, it } from 'vitest';
import { gatherRows } from '../../../src/backend/js/gather.js';

/** Row `r` of an array of `cols`-wide rows, as plain numbers. */
function row(a: Float32Array | Float64Array, cols: number, r: number): number[] {
  return Array.from(a.subarray(r * cols, (r + 1) * cols));
}

// The three ways the reference copies a row (element loop, a view per row, copyWithin inside one
// buffer) must agree bit for bit, at widths on both sides of the view cut-off.
describe.each([Float32Array, Float64Array])('gatherRows on %o', (Type) => {
  const rows = 20;
  const idx = Int32Array.from({ length: 12 }, (_, i) => (i * 7 + 3) % rows);

  it.each([1, 13, 47, 48, 100])('copies %i-wide rows between buffers and inside one buffer', (cols) => {
    const src = new Type(rows * cols);
    for (let i = 0; i < src.length; i++) src[i] = Math.fround(Math.sin(i) * 1e3);
    // Inside one buffer: the source after a leading gap, the batch after it.
    const shared = new Type(1 + rows * cols + 10 * cols + 2);
    const inside = shared.subarray(1, 1 + rows * cols);
    inside.set(src);
    const into = shared.subarray(1 + rows * cols, 1 + rows * cols + 10 * cols);
    const apart = new Type(10 * cols);
    gatherRows(10, cols, idx, 2, src, apart);
    gatherRows(10, cols, idx, 2, inside, into);
    for (let r = 0; r < 10; r++) {
      const want = row(src, cols, idx[2 + r] as number);
      expect(row(apart, cols, r)).toEqual(want);
      expect(row(into, cols, r)).toEqual(want);
    }
    // Nothing outside the batch was written.
    expect(shared[0]).toBe(0);
    expect(Array.from(shared.subarray(shared.length - 2))).toEqual([0, 0]);
    expect(Array.from(inside)).toEqual(Array.from(src));
  });
});

it('converts between float32 and float64 rows', () => {
  const src = Float64Array.from({ length: 60 * 2 }, (_, i) => i / 3);
  const dst = new Float32Array(60);
  gatherRows(1, 60, Int32Array.of(1), 0, src, dst);
  expect(Array.from(dst)).toEqual(Array.from(src.subarray(60), Math.fround));
});
