import { NeuriteError, matrix, type Matrix } from '../core/index.js';

/** What a dataset's targets mean: class labels (one-hot) or real values. */
export type Task = 'classification' | 'regression';

/**
 * A table of samples ready for training: inputs `x` and targets `y`, one sample per row, with the
 * names a report or a model file needs.
 *
 * For classification, `classes` names the label of each one-hot column of `y`. The one exception
 * is a binary target kept in a single 0/1 column (the seed examples): there `y.cols === 1` and
 * `classes` holds two labels, `[label for 0, label for 1]`.
 *
 * @example
 * ```ts
 * const ds = circles({ n: 200, seed: 1 });
 * ds.x.cols; // 2
 * ds.classes; // ['0', '1']
 * ```
 */
export interface Dataset {
  /** Short identifier, e.g. `'iris'` or the CSV file name. */
  readonly name: string;
  /** Inputs, one sample per row. */
  readonly x: Matrix;
  /** Targets, one sample per row (one-hot for classification). */
  readonly y: Matrix;
  /** One name per column of `x`. */
  readonly featureNames: string[];
  /** One name per column of `y`. */
  readonly targetNames: string[];
  /** Classification only: the label of each one-hot column (see the interface note for binary). */
  readonly classes?: string[];
  /** Whether `y` holds classes or real values. */
  readonly task: Task;
}

/**
 * Copies the given rows of `m` (in the given order) into a new matrix.
 *
 * @example
 * ```ts
 * takeRows(matrix(3, 1, new Float32Array([1, 2, 3])), [2, 0]).data; // Float32Array [3, 1]
 * ```
 */
export function takeRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = matrix(indices.length, m.cols);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i] as number;
    if (!Number.isInteger(r) || r < 0 || r >= m.rows) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `row index must be an integer in [0, ${String(m.rows - 1)}], got ${String(r)} at position ${String(i)}`,
      );
    }
    out.data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return out;
}

/**
 * The dataset restricted to the given rows (copied, in the given order); names and classes are kept.
 *
 * @example
 * ```ts
 * subset(iris(), [0, 50, 100]).x.rows; // 3
 * ```
 */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  return { ...ds, x: takeRows(ds.x, indices), y: takeRows(ds.y, indices) };
}

/**
 * Throws `SHAPE_MISMATCH` unless `x` and `y` have the same number of rows, and `EMPTY_DATA` if
 * they have none. Used by every function that takes inputs and targets together.
 */
export function assertPaired(x: Matrix, y: Matrix): void {
  if (x.rows !== y.rows) {
    throw new NeuriteError(
      'SHAPE_MISMATCH',
      `inputs and targets must have the same number of rows, got ${String(x.rows)} inputs and ${String(y.rows)} targets`,
    );
  }
  if (x.rows === 0) throw new NeuriteError('EMPTY_DATA', 'dataset is empty: expected at least one row');
}
