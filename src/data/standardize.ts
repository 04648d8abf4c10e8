import { NeuriteError, assertMatrix, describe, matrix, type Matrix } from '../core/index.js';
import { meanStd } from './moments.js';

/** Per-column statistics from {@link standardize}; plain arrays so they go straight into JSON. */
export interface StandardizeStats {
  /** Mean of each column over the fitted rows. */
  readonly mean: number[];
  /** Population standard deviation of each column; 1 for a constant column. */
  readonly std: number[];
}

/**
 * Fits standardisation statistics (mean and population standard deviation per column) on the
 * rows given, which should be the training rows only, so nothing about the test rows leaks into
 * the model. A constant column gets `std = 1` instead of 0, so applying the statistics gives 0
 * for that column rather than NaN.
 *
 * @example
 * ```ts
 * const stats = standardize(train.x);
 * const xTrain = applyStandardize(train.x, stats);
 * const xTest = applyStandardize(test.x, stats); // same transform, training statistics
 * ```
 */
export function standardize(x: Matrix): StandardizeStats {
  assertMatrix(x, 'standardize x');
  if (x.rows === 0) throw new NeuriteError('EMPTY_DATA', 'standardize needs at least one row to fit on');
  const mean: number[] = [];
  const std: number[] = [];
  const column = new Float64Array(x.rows);
  for (let c = 0; c < x.cols; c++) {
    for (let r = 0; r < x.rows; r++) column[r] = x.data[r * x.cols + c] as number;
    const m = meanStd(column);
    mean.push(m.mean);
    std.push(m.std);
  }
  return { mean, std };
}

/**
 * Applies fitted statistics: `(x - mean) / std` per column, into a new matrix.
 *
 * @example
 * ```ts
 * applyStandardize(x, { mean: [2], std: [0.5] }); // 3 → 2, 1 → -2
 * ```
 */
export function applyStandardize(x: Matrix, stats: StandardizeStats): Matrix {
  checkStats(x, stats, ['mean', 'std'], 'standardize');
  const out = matrix(x.rows, x.cols);
  for (let i = 0; i < x.data.length; i++) {
    const c = i % x.cols;
    out.data[i] = ((x.data[i] as number) - (stats.mean[c] as number)) / (stats.std[c] as number);
  }
  return out;
}

/**
 * Undoes {@link applyStandardize}: `z * std + mean` per column (e.g. to report regression
 * predictions in the original units).
 *
 * @example
 * ```ts
 * invertStandardize(applyStandardize(x, stats), stats); // ≈ x
 * ```
 */
export function invertStandardize(z: Matrix, stats: StandardizeStats): Matrix {
  checkStats(z, stats, ['mean', 'std'], 'standardize');
  const out = matrix(z.rows, z.cols);
  for (let i = 0; i < z.data.length; i++) {
    const c = i % z.cols;
    out.data[i] = (z.data[i] as number) * (stats.std[c] as number) + (stats.mean[c] as number);
  }
  return out;
}

/**
 * Throws unless `x` is a Matrix and `stats` holds, under each of `keys`, an array of numbers with
 * one entry per column of `x` (`SHAPE_MISMATCH`; `INVALID_OPTION` when `stats` is not such a record).
 */
export function checkStats(x: unknown, stats: unknown, keys: readonly [string, string], what: string): void {
  assertMatrix(x, `${what} data`);
  for (const k of keys) {
    const v = typeof stats === 'object' && stats !== null ? (stats as Record<string, unknown>)[k] : undefined;
    if (!Array.isArray(v) || v.some((e) => typeof e !== 'number')) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `${what} statistics must be { ${keys.join(', ')} } arrays of numbers (from ${what}()), got ${describe(stats)} with ${k} ${describe(v)}`,
      );
    }
    if (v.length !== x.cols) {
      throw new NeuriteError(
        'SHAPE_MISMATCH',
        `${what} statistics have ${String(v.length)} columns but the data has ${String(x.cols)}`,
      );
    }
  }
}
