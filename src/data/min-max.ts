import { NeuriteError, assertMatrix, matrix, type Matrix } from '../core/index.js';
import { checkStats } from './standardize.js';

/** Per-column range from {@link minMax}; plain arrays so they go straight into JSON. */
export interface MinMaxStats {
  /** Smallest value of each column over the fitted rows. */
  readonly min: number[];
  /** Largest value of each column over the fitted rows. */
  readonly max: number[];
}

/**
 * Fits min–max scaling statistics on the rows given (the training rows only).
 *
 * @example
 * ```ts
 * const stats = minMax(train.x);
 * applyMinMax(test.x, stats); // training range mapped to [0, 1]
 * ```
 */
export function minMax(x: Matrix): MinMaxStats {
  assertMatrix(x, 'minMax x');
  if (x.rows === 0) throw new NeuriteError('EMPTY_DATA', 'minMax needs at least one row to fit on');
  const min = new Array<number>(x.cols).fill(Infinity);
  const max = new Array<number>(x.cols).fill(-Infinity);
  for (let i = 0; i < x.data.length; i++) {
    const c = i % x.cols;
    const v = x.data[i] as number;
    if (v < (min[c] as number)) min[c] = v;
    if (v > (max[c] as number)) max[c] = v;
  }
  return { min, max };
}

/**
 * Maps each column's fitted `[min, max]` to `[0, 1]`. A constant column (range 0) maps to 0
 * instead of NaN. Values outside the fitted range land outside `[0, 1]`; they are not clipped.
 *
 * @example
 * ```ts
 * applyMinMax(x, { min: [0], max: [10] }); // 5 → 0.5
 * ```
 */
export function applyMinMax(x: Matrix, stats: MinMaxStats): Matrix {
  checkStats(x, stats, ['min', 'max'], 'minMax');
  const out = matrix(x.rows, x.cols);
  for (let i = 0; i < x.data.length; i++) {
    const c = i % x.cols;
    out.data[i] = ((x.data[i] as number) - (stats.min[c] as number)) / span(stats, c);
  }
  return out;
}

/**
 * Undoes {@link applyMinMax}.
 *
 * @example
 * ```ts
 * invertMinMax(applyMinMax(x, stats), stats); // ≈ x
 * ```
 */
export function invertMinMax(z: Matrix, stats: MinMaxStats): Matrix {
  checkStats(z, stats, ['min', 'max'], 'minMax');
  const out = matrix(z.rows, z.cols);
  for (let i = 0; i < z.data.length; i++) {
    const c = i % z.cols;
    out.data[i] = (z.data[i] as number) * span(stats, c) + (stats.min[c] as number);
  }
  return out;
}

/** Column c's max − min, or 1 for a constant column (which then maps to 0 and back). */
function span(stats: MinMaxStats, c: number): number {
  const range = (stats.max[c] as number) - (stats.min[c] as number);
  return range > 0 ? range : 1;
}
