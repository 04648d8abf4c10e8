import { NeuriteError, assertMatrix, describe, matrix, type Matrix } from '../core/index.js';

/** Result of {@link oneHot}: the one-hot matrix and the label of each column. */
export interface OneHot {
  /** One row per label, a single 1 in the column of its class. */
  readonly y: Matrix;
  /** The label of each column. */
  readonly classes: string[];
}

/**
 * Sorts class labels: numerically when every label is a number, otherwise by code unit, so the
 * same set of labels always gives the same column order whatever order the rows came in.
 */
export function sortClasses(labels: Iterable<string>): string[] {
  const distinct = [...new Set(labels)];
  const numeric = distinct.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return numeric
    ? distinct.sort((a, b) => Number(a) - Number(b))
    : distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const isStringArray = (x: unknown): x is readonly string[] =>
  Array.isArray(x) && x.every((c: unknown) => typeof c === 'string');

/**
 * One-hot encodes labels. Without `classes` the columns are the distinct labels, sorted (see
 * {@link sortClasses}); with `classes` a label outside the list throws `INVALID_DATA`.
 *
 * @example
 * ```ts
 * const { y, classes } = oneHot(['cat', 'dog', 'cat']);
 * classes; // ['cat', 'dog']
 * y.data; // Float32Array [1, 0, 0, 1, 1, 0]
 * ```
 */
export function oneHot(labels: readonly (string | number)[], classes?: readonly string[]): OneHot {
  if (!Array.isArray(labels)) {
    throw new NeuriteError(
      'INVALID_DATA',
      `oneHot labels must be an array of strings or numbers, got ${describe(labels)}`,
    );
  }
  labels.forEach((l: unknown, r) => {
    if (typeof l !== 'string' && !(typeof l === 'number' && Number.isFinite(l)))
      throw new NeuriteError(
        'INVALID_DATA',
        `oneHot label at row ${String(r)} must be a string or a finite number, got ${describe(l)}`,
        { sample: r },
      );
  });
  if (classes !== undefined && !isStringArray(classes)) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `oneHot classes must be an array of the column labels as strings (e.g. ['0', '1', '2']), got ${describe(classes)}${typeof classes === 'number' ? '; the number of classes follows from the labels' : ''}`,
    );
  }
  const asText = labels.map(String);
  const cls = classes === undefined ? sortClasses(asText) : [...classes];
  if (cls.length === 0) throw new NeuriteError('EMPTY_DATA', 'oneHot needs at least one label or class');
  const index = new Map(cls.map((c, i) => [c, i]));
  if (index.size !== cls.length) {
    throw new NeuriteError('INVALID_OPTION', `classes must be distinct, got ${JSON.stringify(cls)}`);
  }
  const y = matrix(asText.length, cls.length);
  asText.forEach((label, r) => {
    const c = index.get(label);
    if (c === undefined) {
      throw new NeuriteError(
        'INVALID_DATA',
        `label ${describe(label)} at row ${String(r)} is not a known class; expected one of: ${cls.join(', ')}`,
        { sample: r },
      );
    }
    y.data[r * cls.length + c] = 1;
  });
  return { y, classes: cls };
}

/**
 * Index of the largest value in each row (the first one on ties). A single-column matrix is read
 * as a binary probability: index 1 when the value is ≥ 0.5, else 0.
 *
 * @example
 * ```ts
 * argmax(matrix(2, 3, new Float32Array([0.1, 0.7, 0.2, 0.5, 0.3, 0.2]))); // Int32Array [1, 0]
 * ```
 */
export function argmax(y: Matrix): Int32Array {
  assertMatrix(y, 'argmax y');
  const out = new Int32Array(y.rows);
  if (y.cols === 0) throw new NeuriteError('EMPTY_DATA', 'argmax needs at least one column');
  for (let r = 0; r < y.rows; r++) {
    const base = r * y.cols;
    if (y.cols === 1) {
      out[r] = (y.data[base] as number) >= 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    let bestValue = y.data[base] as number;
    for (let c = 1; c < y.cols; c++) {
      const v = y.data[base + c] as number;
      if (v > bestValue) {
        best = c;
        bestValue = v;
      }
    }
    out[r] = best;
  }
  return out;
}

/**
 * Decodes one-hot rows (or probabilities) back to class labels, the inverse of {@link oneHot}.
 * A single column with two classes is read as binary (see {@link argmax}).
 *
 * @example
 * ```ts
 * const { y, classes } = oneHot(['b', 'a']);
 * decodeLabels(y, classes); // ['b', 'a']
 * ```
 */
export function decodeLabels(y: Matrix, classes: readonly string[]): string[] {
  assertMatrix(y, 'decodeLabels y');
  if (!Array.isArray(classes))
    throw new NeuriteError(
      'INVALID_OPTION',
      `decodeLabels classes must be an array of labels, got ${describe(classes)}`,
    );
  // One class one-hot encodes to a single column of ones; that is not the binary 0/1 layout.
  if (y.cols === 1 && classes.length === 1) return new Array<string>(y.rows).fill(classes[0] as string);
  const expected = y.cols === 1 ? 2 : y.cols;
  if (classes.length !== expected) {
    throw new NeuriteError(
      'SHAPE_MISMATCH',
      `expected ${String(expected)} class labels for a ${String(y.cols)}-column target, got ${String(classes.length)}`,
    );
  }
  return Array.from(argmax(y), (i) => classes[i] as string);
}
