import {
  NeuriteError,
  Rng,
  assertMatrix,
  assertNumber,
  checkOptions,
  describe,
  isMatrix,
  type Matrix,
} from '../core/index.js';
import { assertPaired, subset, takeRows, type Dataset } from './dataset.js';
import { argmax } from './one-hot.js';

/** Options for {@link trainTestSplit}. */
export interface SplitOptions {
  /** Fraction of rows for the test set, in [0, 1). Default 0.2. */
  readonly testFraction?: number;
  /** Seed for the shuffle. Default 0. */
  readonly seed?: number;
  /** Shuffle before splitting (default true); false takes the last rows as the test set. */
  readonly shuffle?: boolean;
  /**
   * Keep each class's share the same in both parts (classification targets, read with
   * {@link argmax}). Default false. Implies shuffling within each class.
   */
  readonly stratify?: boolean;
}

/** The two parts of a dataset. */
export interface DatasetSplit {
  /** The training rows. */
  readonly train: Dataset;
  /** The held-out rows. */
  readonly test: Dataset;
}

/** The two parts of an `x, y` pair. */
export interface MatrixSplit {
  readonly xTrain: Matrix;
  readonly yTrain: Matrix;
  readonly xTest: Matrix;
  readonly yTest: Matrix;
}

/**
 * Splits rows into disjoint train and test parts, deterministically from `seed`. The test part
 * has `round(rows × testFraction)` rows, kept between 1 and rows − 1 when `testFraction > 0`.
 *
 * @example
 * ```ts
 * const { train, test } = trainTestSplit(iris(), { testFraction: 0.2, seed: 1, stratify: true });
 * const { xTrain, yTrain, xTest, yTest } = trainTestSplit(x, y, { seed: 1 });
 * ```
 */
export function trainTestSplit(ds: Dataset, options?: SplitOptions): DatasetSplit;
export function trainTestSplit(x: Matrix, y: Matrix, options?: SplitOptions): MatrixSplit;
export function trainTestSplit(
  a: Dataset | Matrix,
  b?: Matrix | SplitOptions,
  c?: SplitOptions,
): DatasetSplit | MatrixSplit {
  if (isMatrix(a)) {
    if (!isMatrix(b))
      throw new NeuriteError('INVALID_OPTION', 'trainTestSplit(x, y, options) needs a targets Matrix y');
    const { trainIdx, testIdx } = splitIndices(a, b, c ?? {});
    return {
      xTrain: takeRows(a, trainIdx),
      yTrain: takeRows(b, trainIdx),
      xTest: takeRows(a, testIdx),
      yTest: takeRows(b, testIdx),
    };
  }
  if (typeof a !== 'object' || (a as unknown) === null || !isMatrix((a as Partial<Dataset>).x))
    throw new NeuriteError(
      'INVALID_OPTION',
      `trainTestSplit takes a Dataset { x, y } or (x, y) matrices, got ${describe(a)}`,
    );
  const { trainIdx, testIdx } = splitIndices(a.x, a.y, isMatrix(b) ? {} : (b ?? {}));
  return { train: subset(a, trainIdx), test: subset(a, testIdx) };
}

/**
 * The row indices of each part, as {@link trainTestSplit} chooses them. Train indices come in
 * shuffled order (or original order with `shuffle: false`).
 */
export function splitIndices(
  x: Matrix,
  y: Matrix,
  options: SplitOptions,
): { trainIdx: Int32Array; testIdx: Int32Array } {
  assertMatrix(x, 'trainTestSplit x');
  assertMatrix(y, 'trainTestSplit y');
  checkOptions(options, ['testFraction', 'seed', 'shuffle', 'stratify'], 'trainTestSplit options');
  assertPaired(x, y);
  const { testFraction = 0.2, seed = 0, shuffle = true, stratify = false } = options;
  for (const [k, v] of [
    ['shuffle', shuffle],
    ['stratify', stratify],
  ] as const) {
    if (typeof v !== 'boolean')
      throw new NeuriteError('INVALID_OPTION', `${k} must be true or false, got ${describe(v)}`);
  }
  assertNumber(testFraction, 'testFraction', 0, 1);
  if (testFraction >= 1)
    throw new NeuriteError('INVALID_OPTION', `testFraction must be < 1, got ${String(testFraction)}`);
  assertNumber(seed, 'seed');
  const n = x.rows;
  const rng = new Rng(seed);
  if (!stratify) {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    if (shuffle) rng.shuffle(order);
    const nTest = testCount(n, testFraction);
    return { trainIdx: order.slice(0, n - nTest), testIdx: order.slice(n - nTest) };
  }
  // Stratified: split each class on its own, then shuffle the combined parts so classes mix.
  const labels = argmax(y);
  const byClass = new Map<number, number[]>();
  labels.forEach((l, i) => {
    const list = byClass.get(l) ?? [];
    list.push(i);
    byClass.set(l, list);
  });
  const train: number[] = [];
  const test: number[] = [];
  for (const key of [...byClass.keys()].sort((p, q) => p - q)) {
    const rows = byClass.get(key) ?? [];
    rng.shuffle(rows);
    const k = Math.round(rows.length * testFraction);
    train.push(...rows.slice(0, rows.length - k));
    test.push(...rows.slice(rows.length - k));
  }
  if (testFraction > 0 && test.length === 0 && train.length > 1) test.push(train.pop() as number);
  return { trainIdx: rng.shuffle(Int32Array.from(train)), testIdx: rng.shuffle(Int32Array.from(test)) };
}

function testCount(n: number, fraction: number): number {
  if (fraction === 0) return 0;
  if (n < 2) throw new NeuriteError('EMPTY_DATA', `a train/test split needs at least 2 rows, got ${String(n)}`);
  return Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
}
