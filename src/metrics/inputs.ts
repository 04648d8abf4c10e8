import { NeuriteError, describe } from '../core/errors.js';
import { isMatrix, type Matrix } from '../core/matrix.js';

/**
 * What the metrics accept for targets and predictions:
 * - a 1-D array (`number[]`, `Float32Array`, `Int32Array`…): class indices for label metrics,
 *   positive-class scores for {@link rocAucScore}/{@link logLoss}, values for regression;
 * - a 2-D input (neurite's `Matrix`, `number[][]`, an array of `Float32Array` rows): one-hot
 *   targets or per-class scores/probabilities (label metrics take the argmax of each row, or a 0.5
 *   threshold when there is one column), or one column per output for regression.
 */
export type MetricInput = Matrix | ArrayLike<number> | readonly ArrayLike<number>[];

/** A validated 2-D view in float64: `data[r * cols + c]`. `f32` remembers a float32 source (log loss clips by its epsilon). */
export interface Table {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
  readonly oneDimensional: boolean;
  readonly f32: boolean;
}

/** Class indices per row and how many classes the input's shape implies. */
export interface Labels {
  readonly labels: Int32Array;
  /** Columns of a score matrix (2 for one column), or the largest label + 1 for a 1-D input. */
  readonly classes: number;
}

function isRows(x: unknown): x is readonly ArrayLike<number>[] {
  return Array.isArray(x) && x.length > 0 && typeof x[0] === 'object' && x[0] !== null;
}

/** Validates any {@link MetricInput} into a float64 table; `what` names it in errors ("yTrue"). */
export function toTable(x: MetricInput, what: string): Table {
  if (isMatrix(x)) {
    if (x.data.length !== x.rows * x.cols) {
      throw new NeuriteError(
        'SHAPE_MISMATCH',
        `${what} is a ${String(x.rows)}×${String(x.cols)} matrix but its data holds ${String(x.data.length)} values`,
      );
    }
    return checked(what, x.rows, x.cols, Float64Array.from(x.data), false, true);
  }
  if (isRows(x)) {
    const cols = x[0]?.length ?? 0;
    const data = new Float64Array(x.length * cols);
    let f32 = true;
    x.forEach((r, i) => {
      if (typeof r !== 'object' || r === null || r.length !== cols) {
        throw new NeuriteError(
          'SHAPE_MISMATCH',
          `${what}[${String(i)}] must be a row of ${String(cols)} numbers (like ${what}[0]), got ${describe(r)}${typeof r === 'object' && r !== null ? ` with ${String(r.length)} values` : ''}`,
        );
      }
      f32 &&= r instanceof Float32Array;
      for (let c = 0; c < cols; c++) data[i * cols + c] = r[c] as number;
    });
    return checked(what, x.length, cols, data, false, f32);
  }
  if (typeof x !== 'object' || x === null || typeof (x as { length?: unknown }).length !== 'number') {
    throw new NeuriteError(
      'SHAPE_MISMATCH',
      `${what} must be an array of numbers, an array of rows or a Matrix, got ${describe(x)}`,
    );
  }
  const v = x as ArrayLike<number>;
  return checked(what, v.length, 1, Float64Array.from(v), true, v instanceof Float32Array);
}

function checked(what: string, rows: number, cols: number, data: Float64Array, oneD: boolean, f32: boolean): Table {
  if (rows === 0) throw new NeuriteError('EMPTY_DATA', `${what} is empty: a metric needs at least one sample`);
  if (cols === 0) throw new NeuriteError('EMPTY_DATA', `${what} has rows with no values: expected at least one column`);
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isFinite(v)) {
      const at = oneD ? `[${String(i)}]` : `[${String(Math.floor(i / cols))}][${String(i % cols)}]`;
      throw new NeuriteError('NON_FINITE', `${what}${at} is ${String(v)}: metrics need finite numbers`, { index: i });
    }
  }
  return { rows, cols, data, oneDimensional: oneD, f32 };
}

/** Class index per row: a 1-D input must hold non-negative integers; a 2-D one gives argmax (0.5 threshold for one column). */
export function tableLabels(t: Table, what: string): Labels {
  const labels = new Int32Array(t.rows);
  if (t.oneDimensional) {
    let max = 0;
    for (let i = 0; i < t.rows; i++) {
      const v = t.data[i] as number;
      if (!Number.isInteger(v) || v < 0) {
        throw new NeuriteError(
          'INVALID_DATA',
          `${what}[${String(i)}] is ${String(v)}: expected a class index (an integer >= 0); pass scores or probabilities as a matrix with one column per class`,
          { index: i },
        );
      }
      labels[i] = v;
      max = Math.max(max, v);
    }
    return { labels, classes: max + 1 };
  }
  for (let r = 0; r < t.rows; r++) {
    const o = r * t.cols;
    if (t.cols === 1) {
      labels[r] = (t.data[o] as number) >= 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let c = 1; c < t.cols; c++) if ((t.data[o + c] as number) > (t.data[o + best] as number)) best = c;
    labels[r] = best;
  }
  return { labels, classes: Math.max(2, t.cols) };
}

/** {@link tableLabels} of a raw input. */
export function toLabels(x: MetricInput, what: string): Labels {
  return tableLabels(toTable(x, what), what);
}

/** Throws `SHAPE_MISMATCH` unless the two inputs have the same number of rows. */
export function sameRows(a: { readonly rows: number }, b: { readonly rows: number }, what = 'yPred'): void {
  if (a.rows !== b.rows) {
    throw new NeuriteError(
      'SHAPE_MISMATCH',
      `yTrue has ${String(a.rows)} samples but ${what} has ${String(b.rows)}: pass one prediction per target row`,
    );
  }
}

/** Targets and predicted labels of the same length, as class indices. */
export function labelPair(yTrue: MetricInput, yPred: MetricInput): { t: Labels; p: Labels } {
  const t = toLabels(yTrue, 'yTrue');
  const p = toLabels(yPred, 'yPred');
  sameRows({ rows: t.labels.length }, { rows: p.labels.length });
  return { t, p };
}
