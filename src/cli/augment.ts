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
  // Each copy as one flat copy of all the images, offset by the shift (dy rows and dx pixels), then
  // the pixels that came from outside the image (a wrapped column, the rows shifted in, the next
  // image) set back to 0. For `npm start`'s 8,000 digits and 4 copies: 436 ms pixel by pixel, 342–
  // 374 ms so, nearly all of it the first touch of the 125 MB result (page faults on the bench VM).
  const block = n * size;
  shifts.forEach(([dx, dy], s) => {
    const base = (s + 1) * block;
    const k = dy * cols + dx;
    if (k >= 0) x.data.set(data.x.data.subarray(0, block - k), base + k);
    else x.data.set(data.x.data.subarray(-k, block), base);
    for (let r = 0; r < n; r++) {
      const image = base + r * size;
      for (let i = 0; i < rows; i++) {
        const row = image + i * cols;
        if (i - dy < 0 || i - dy >= rows) x.data.fill(0, row, row + cols);
        else for (let j = dx > 0 ? 0 : cols + dx; j < (dx > 0 ? dx : cols); j++) x.data[row + j] = 0;
      }
    }
    y.data.set(data.y.data, (s + 1) * n * data.y.cols);
  });
  return { x, y };
}
