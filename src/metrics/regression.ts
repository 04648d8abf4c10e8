import { NeuriteError } from '../core/errors.js';
import { sameRows, toTable, type MetricInput } from './inputs.js';

/** Regression scores per output column. */
export interface OutputErrors {
  readonly r2: readonly number[];
  readonly mse: readonly number[];
  readonly rmse: readonly number[];
  readonly mae: readonly number[];
}

/**
 * R², MSE, RMSE and MAE of each output column (scikit-learn's `multioutput='raw_values'`). R² is
 * undefined for fewer than two rows (`INVALID_DATA`); for a constant target it is 1 when the
 * predictions are exact and 0 otherwise (scikit-learn's `force_finite=True`).
 */
export function outputErrors(yTrue: MetricInput, yPred: MetricInput, needR2 = true): OutputErrors {
  const t = toTable(yTrue, 'yTrue');
  const p = toTable(yPred, 'yPred');
  sameRows(t, p);
  if (t.cols !== p.cols) {
    throw new NeuriteError(
      'SHAPE_MISMATCH',
      `yTrue has ${String(t.cols)} output column(s) but yPred has ${String(p.cols)}: pass one prediction per target`,
    );
  }
  if (needR2 && t.rows < 2) {
    throw new NeuriteError('INVALID_DATA', 'R² is undefined for fewer than two samples: score at least two rows');
  }
  const n = t.rows;
  const out = { r2: [] as number[], mse: [] as number[], rmse: [] as number[], mae: [] as number[] };
  for (let c = 0; c < t.cols; c++) {
    let mean = 0;
    for (let r = 0; r < n; r++) mean += t.data[r * t.cols + c] as number;
    mean /= n;
    let ss = 0;
    let tot = 0;
    let abs = 0;
    for (let r = 0; r < n; r++) {
      const y = t.data[r * t.cols + c] as number;
      const d = y - (p.data[r * t.cols + c] as number);
      ss += d * d;
      abs += Math.abs(d);
      tot += (y - mean) * (y - mean);
    }
    out.r2.push(tot === 0 ? (ss === 0 ? 1 : 0) : 1 - ss / tot);
    out.mse.push(ss / n);
    out.rmse.push(Math.sqrt(ss / n));
    out.mae.push(abs / n);
  }
  return out;
}

const mean = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length;

/**
 * Coefficient of determination, 1 − SS_res / SS_tot: 1 is perfect, 0 is no better than predicting
 * the mean, negative is worse. Several outputs: the uniform average (scikit-learn's `r2_score`).
 *
 * @example
 * ```ts
 * r2Score([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.9486
 * ```
 */
export function r2Score(yTrue: MetricInput, yPred: MetricInput): number {
  return mean(outputErrors(yTrue, yPred).r2);
}

/**
 * Mean squared error; several outputs: the uniform average (scikit-learn's `mean_squared_error`).
 *
 * @example
 * ```ts
 * meanSquaredError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.375
 * ```
 */
export function meanSquaredError(yTrue: MetricInput, yPred: MetricInput): number {
  return mean(outputErrors(yTrue, yPred, false).mse);
}

/**
 * Root mean squared error, in the target's units; several outputs: the mean of the per-output
 * RMSEs (scikit-learn's `mean_squared_error(squared=False)`).
 *
 * @example
 * ```ts
 * rootMeanSquaredError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.6124
 * ```
 */
export function rootMeanSquaredError(yTrue: MetricInput, yPred: MetricInput): number {
  return mean(outputErrors(yTrue, yPred, false).rmse);
}

/**
 * Mean absolute error, in the target's units; several outputs: the uniform average (scikit-learn's
 * `mean_absolute_error`).
 *
 * @example
 * ```ts
 * meanAbsoluteError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.5
 * ```
 */
export function meanAbsoluteError(yTrue: MetricInput, yPred: MetricInput): number {
  return mean(outputErrors(yTrue, yPred, false).mae);
}
