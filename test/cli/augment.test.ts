import { describe, expect, it } from 'vitest';
import { shiftAugment } from '../../src/cli/augment.js';
import { matrix } from '../../src/index.js';
import { Rng } from '../../src/core/rng.js';

/** The definition, pixel by pixel: copy s shifts every image by SHIFTS[s]; pixels shifted in are 0. */
function reference(x: Float32Array, n: number, rows: number, cols: number, shifts: [number, number][]): Float32Array {
  const size = rows * cols;
  const out = new Float32Array(n * size * (shifts.length + 1));
  out.set(x);
  shifts.forEach(([dx, dy], s) => {
    for (let r = 0; r < n; r++)
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) {
          const si = i - dy;
          const sj = j - dx;
          if (si >= 0 && si < rows && sj >= 0 && sj < cols)
            out[((s + 1) * n + r) * size + i * cols + j] = x[r * size + si * cols + sj] as number;
        }
  });
  return out;
}

describe('shiftAugment', () => {
  it('adds each one-pixel shift of every image, and its label, exactly as the pixel-by-pixel definition', () => {
    const rng = new Rng(3);
    const [n, rows, cols] = [4, 5, 7];
    const x = matrix(n, rows * cols);
    for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next() + 0.5;
    const y = matrix(n, 3);
    for (let r = 0; r < n; r++) y.data[r * 3 + (r % 3)] = 1;
    // Written out again, not imported: the order augment.ts documents (right, left, down, up, then
    // the diagonals) is part of what is checked.
    const shifts: [number, number][] = [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
      [1, 1],
      [-1, -1],
      [1, -1],
      [-1, 1],
    ];
    for (let copies = 0; copies <= shifts.length; copies++) {
      const out = shiftAugment({ x, y }, rows, cols, copies);
      expect(out.x.rows).toBe(n * (copies + 1));
      expect(Array.from(out.x.data)).toEqual(Array.from(reference(x.data, n, rows, cols, shifts.slice(0, copies))));
      for (let c = 0; c <= copies; c++)
        expect(Array.from(out.y.data.subarray(c * n * 3, (c + 1) * n * 3))).toEqual(Array.from(y.data));
    }
  });
});
