import { NeuriteError, Rng, assertInt, assertNumber, isMatrix, type Matrix } from '../core/index.js';
import { argmax } from './one-hot.js';

/** One split of a k-fold cross-validation: the rows to train on and the rows to score on. */
export interface Fold {
  /** Training row indices, ascending. */
  readonly train: Int32Array;
  /** Held-out row indices, ascending; every row is held out in exactly one fold. */
  readonly test: Int32Array;
}

/** Options of {@link kFold} and {@link stratifiedKFold}. */
export interface KFoldOptions {
  /** Number of folds, at least 2 (default 5). */
  readonly folds?: number;
  /** Seed of the shuffle (default 0). */
  readonly seed?: number;
  /** Shuffle rows before dealing them to folds (default true; false keeps contiguous blocks, as scikit-learn's default). */
  readonly shuffle?: boolean;
}

function readOptions(rows: number, options: KFoldOptions): { k: number; seed: number; shuffle: boolean } {
  const { folds: k = 5, seed = 0, shuffle = true } = options;
  assertInt(k, 'folds', 2);
  assertNumber(seed, 'seed');
  if (k > rows) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `folds must be at most the number of rows: asked for ${String(k)} folds of ${String(rows)} rows; use fewer folds`,
    );
  }
  return { k, seed, shuffle };
}

/** Turns "row r is held out in fold f" into one {@link Fold} per fold, indices ascending. */
function foldsFromAssignment(testFold: Int32Array, k: number): Fold[] {
  return Array.from({ length: k }, (_, f) => {
    const test: number[] = [];
    const train: number[] = [];
    testFold.forEach((g, r) => (g === f ? test : train).push(r));
    return { train: Int32Array.from(train), test: Int32Array.from(test) };
  });
}

/**
 * Splits `rows` row indices into `folds` disjoint held-out parts, as scikit-learn's `KFold`: the
 * first `rows % folds` parts have one row more than the others. Deterministic given `seed`.
 *
 * @example
 * ```ts
 * const folds = kFold(10, { folds: 5, seed: 1 });
 * folds.length; // 5
 * folds[0].test.length; // 2, and folds[0].train.length is 8
 * ```
 */
export function kFold(rows: number, options: KFoldOptions = {}): Fold[] {
  assertInt(rows, 'rows', 1);
  const { k, seed, shuffle } = readOptions(rows, options);
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  if (shuffle) new Rng(seed).shuffle(order);
  const testFold = new Int32Array(rows);
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(rows / k) + (f < rows % k ? 1 : 0);
    for (let i = start; i < start + size; i++) testFold[order[i] as number] = f;
    start += size;
  }
  return foldsFromAssignment(testFold, k);
}

/** Class index per row, classes numbered in order of first appearance (as scikit-learn encodes them). */
function encodeLabels(labels: Matrix | ArrayLike<number> | readonly string[]): { codes: Int32Array; classes: number } {
  const raw: ArrayLike<number | string> = isMatrix(labels) ? argmax(labels) : labels;
  const index = new Map<number | string, number>();
  const codes = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const label = raw[i] as number | string;
    let c = index.get(label);
    if (c === undefined) {
      c = index.size;
      index.set(label, c);
    }
    codes[i] = c;
  }
  return { codes, classes: index.size };
}

/**
 * Splits rows into folds that each keep the class proportions of `labels`, as scikit-learn's
 * `StratifiedKFold` (1.2): the sorted labels are dealt round-robin to the folds, so fold sizes
 * differ by at most one row and each class's count per fold differs by at most one from fold to
 * fold (the per-fold class counts are exactly scikit-learn's for the same labels); which rows of a
 * class go to which fold is shuffled from `seed`.
 *
 * `labels` is one label per row, or a target matrix (one-hot rows, or a single 0/1 column).
 * Throws `INVALID_OPTION` when every class has fewer rows than `folds`; a class with fewer rows is
 * left out of some folds' held-out rows (scikit-learn warns there).
 *
 * @example
 * ```ts
 * const folds = stratifiedKFold(['a', 'a', 'a', 'a', 'b', 'b'], { folds: 2, seed: 1 });
 * // each folds[f].test holds two 'a' rows and one 'b' row
 * ```
 */
export function stratifiedKFold(
  labels: Matrix | ArrayLike<number> | readonly string[],
  options: KFoldOptions = {},
): Fold[] {
  const { codes, classes } = encodeLabels(labels);
  const rows = codes.length;
  if (rows === 0) throw new NeuriteError('EMPTY_DATA', 'stratifiedKFold needs at least one label');
  const { k, seed, shuffle } = readOptions(rows, options);
  const counts = new Int32Array(classes);
  codes.forEach((c) => (counts[c] = (counts[c] as number) + 1));
  if (counts.every((n) => n < k)) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `folds (${String(k)}) is more than the rows of every class (largest class: ${String(Math.max(...counts))} rows); use fewer folds`,
    );
  }
  // allocation[f][c]: rows of class c held out in fold f, from dealing the sorted codes round-robin.
  const sorted = Int32Array.from(codes).sort();
  const allocation = Array.from({ length: k }, () => new Int32Array(classes));
  sorted.forEach((c, i) => {
    const perFold = allocation[i % k] as Int32Array;
    perFold[c] = (perFold[c] as number) + 1;
  });
  const rng = new Rng(seed);
  const testFold = new Int32Array(rows);
  for (let c = 0; c < classes; c++) {
    const foldsForClass: number[] = [];
    allocation.forEach((perFold, f) => {
      for (let j = 0; j < (perFold[c] as number); j++) foldsForClass.push(f);
    });
    if (shuffle) rng.shuffle(foldsForClass);
    let j = 0;
    codes.forEach((code, r) => {
      if (code === c) testFold[r] = foldsForClass[j++] as number;
    });
  }
  return foldsFromAssignment(testFold, k);
}
