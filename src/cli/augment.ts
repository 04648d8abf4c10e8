import { matrix } from '../index.js';
import type { XY } from './data.js';

/** One-pixel shifts, in the order copies are added: right, left, down, up, then the diagonals. */
const SHIFTS: readonly (readonly [number, number])[] = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [1, 1],
  [-1, -1],
  [1, -1],
  [-1, 1],
];

/** Most copies {@link shiftAugment} can add. */
export const MAX_SHIFTS = SHIFTS.length;

/**
 * Adds `copies` shifted copies (by one pixel; up to {@link MAX_SHIFTS}) of every image to a training
 * set of `rows` × `cols` images stored one per row; pixels shifted in are 0. On 8,000 MNIST digits
 * this is the cheapest way past 95% test accuracy for a plain MLP: the network sees each digit at
 * several positions instead of memorising one (Simard et al. 2003, "Best practices for CNNs
 * applied to visual document analysis", who used elastic distortions for the same reason).
 */
export function shiftAugment(data: XY, rows: number, cols: number, copies: number): XY {
  const n = data.x.rows;
  const size = rows * cols;
  const shifts = SHIFTS.slice(0, Math.min(copies, MAX_SHIFTS));
  const total = n * (shifts.length + 1);
  const x = matrix(total, size);
  const y = matrix(total, data.y.cols);
  x.data.set(data.x.data);
  y.data.set(data.y.data);
  shifts.forEach(([dx, dy], s) => {
    for (let r = 0; r < n; r++) {
      const dst = ((s + 1) * n + r) * size;
      const src = r * size;
      for (let i = 0; i < rows; i++) {
        const si = i - dy;
        if (si < 0 || si >= rows) continue;
        for (let j = 0; j < cols; j++) {
          const sj = j - dx;
          if (sj >= 0 && sj < cols) x.data[dst + i * cols + j] = data.x.data[src + si * cols + sj] as number;
        }
      }
      y.data.set(data.y.data.subarray(r * data.y.cols, (r + 1) * data.y.cols), ((s + 1) * n + r) * data.y.cols);
    }
  });
  return { x, y };
}
