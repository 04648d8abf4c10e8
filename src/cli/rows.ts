import { Option } from 'commander';
import { matrix, type Matrix } from '../index.js';
import { splitIndices, subset, type Dataset } from '../data/index.js';
import { loadDataset } from '../data/node/index.js';
import { UsageError } from './errors.js';
import type { Preprocessing, SplitRecord } from './preprocessing.js';

/** Values of `--rows` (predict and evaluate): which rows of a `--dataset` to use. */
export const ROWS_CHOICES = ['auto', 'test', 'train', 'all'] as const;

/** One `--rows` value. */
export type RowsChoice = (typeof ROWS_CHOICES)[number];

/**
 * Which rows of a built-in dataset were read: MNIST's fixed test or train part, the rows the
 * model's training held out (`held-out`) or trained on (`training`), or every row (`all`).
 */
export type DatasetRows = 'mnist-test' | 'mnist-train' | 'held-out' | 'training' | 'all';

/** The `--rows` option, with the same help text and default on every command that has it. */
export function rowsOption(): Option {
  return new Option(
    '--rows <which>',
    '--dataset: which rows. test: those training did not use (MNIST: its test split; the dataset the model ' +
      'was trained on: the held-out rows recorded in the model); train: those training used; all: every row; ' +
      'auto: test if the model has test rows there, else all',
  )
    .choices(ROWS_CHOICES)
    .default('auto');
}

/** The two parts of a dataset split, with each part's row indices in the full dataset. */
export interface RowSplit {
  readonly train: Dataset;
  readonly test: Dataset | undefined;
  readonly trainIdx: Int32Array;
  readonly testIdx: Int32Array;
}

/**
 * Splits a dataset the way `train` does (no test part when the fraction is 0). `train` uses it to
 * hold out test rows and `predict`/`evaluate` use it to find the same rows again from the
 * model's {@link SplitRecord}, so the two can never disagree.
 */
export function splitRows(full: Dataset, split: SplitRecord): RowSplit {
  if (split.testFraction <= 0) {
    return {
      train: full,
      test: undefined,
      trainIdx: Int32Array.from({ length: full.x.rows }, (_, i) => i),
      testIdx: new Int32Array(0),
    };
  }
  const { trainIdx, testIdx } = splitIndices(full.x, full.y, {
    testFraction: split.testFraction,
    seed: split.seed,
    stratify: split.stratify,
  });
  return { train: subset(full, trainIdx), test: subset(full, testIdx), trainIdx, testIdx };
}

/** Rows of a built-in dataset chosen by `--rows`. */
export interface SelectedRows {
  readonly ds: Dataset;
  readonly kind: DatasetRows;
  /** 1-based row numbers in the whole dataset, when the rows are a shuffled subset of it. */
  readonly rowNumbers?: readonly number[];
}

/**
 * The rows of built-in dataset `name` that `--rows` asks for, for a model with preprocessing
 * `pre`; `limit` keeps only the first rows of the selection. An explicit `test` or `train` that
 * the model cannot answer (trained on another dataset, or with no test split) is a usage error;
 * `auto` then falls back to every row.
 */
export function selectDatasetRows(name: string, pre: Preprocessing, rows: RowsChoice, limit?: number): SelectedRows {
  let sel: SelectedRows;
  if (name === 'mnist') {
    const { train, test } = loadDataset('mnist');
    const t = test as Dataset;
    sel =
      rows === 'train'
        ? { ds: train, kind: 'mnist-train' }
        : rows === 'all'
          ? { ds: { ...train, x: stack(train.x, t.x), y: stack(train.y, t.y) }, kind: 'all' }
          : { ds: t, kind: 'mnist-test' };
  } else {
    const trained = pre.source.kind === 'dataset' && pre.source.name === name;
    const split = trained ? pre.split : undefined;
    if (rows === 'test' || rows === 'train') {
      if (!trained) {
        throw new UsageError(
          `--rows ${rows}: the model was not trained on ${name}, so none of its rows are ${rows} rows; use --rows all`,
        );
      }
      if (split === undefined) {
        throw new UsageError(
          `--rows ${rows}: the model file records no split of ${name} (trained by an older neurite); use --rows all`,
        );
      }
      if (rows === 'test' && split.testFraction <= 0) {
        throw new UsageError(
          `--rows test: training used every row of ${name} (no test split), so there are no held-out rows; use --rows all or --rows train`,
        );
      }
    }
    if (split === undefined || rows === 'all' || (rows === 'auto' && split.testFraction <= 0)) {
      // The seeded generators are rerun with the training seed, so `all` means the rows trained on.
      sel = { ds: loadDataset(name, split === undefined ? {} : { seed: split.seed }).train, kind: 'all' };
    } else {
      const parts = splitRows(loadDataset(name, { seed: split.seed }).train, split);
      const useTest = rows !== 'train';
      const ds = useTest ? (parts.test as Dataset) : parts.train;
      const idx = useTest ? parts.testIdx : parts.trainIdx;
      sel = {
        ds,
        kind: useTest ? 'held-out' : 'training',
        ...(split.testFraction > 0 ? { rowNumbers: Array.from(idx, (i) => i + 1) } : {}),
      };
    }
  }
  if (limit === undefined || limit >= sel.ds.x.rows) return sel;
  const first = Int32Array.from({ length: limit }, (_, i) => i);
  return {
    ...sel,
    ds: subset(sel.ds, first),
    ...(sel.rowNumbers === undefined ? {} : { rowNumbers: sel.rowNumbers.slice(0, limit) }),
  };
}

/** Says which rows of built-in dataset `name` were used, and why (evaluate's `data:` line, predict's stderr note). */
export function describeDatasetRows(name: string, pre: Preprocessing, kind: DatasetRows): string {
  const split = pre.split;
  const recorded = `test split ${String(split?.testFraction)}, seed ${String(split?.seed)}, as recorded in the model`;
  switch (kind) {
    case 'mnist-test':
      return `${name}, its fixed test split`;
    case 'mnist-train':
      return `${name}, its fixed training split`;
    case 'held-out':
      return `${name}, the held-out test rows training did not use (${recorded})`;
    case 'training':
      return split !== undefined && split.testFraction > 0
        ? `${name}, the rows training used (${recorded})`
        : `${name}, the rows training used (every row: training used no test split)`;
    default: {
      const trainedOn = pre.source.kind === 'dataset' && pre.source.name === name;
      const why =
        name === 'mnist'
          ? 'its training and test digits'
          : !trainedOn
            ? 'not the dataset the model was trained on'
            : split === undefined
              ? 'the model file records no test split'
              : split.testFraction <= 0
                ? 'training used no test split'
                : '--rows all';
      return `${name}, every row (${why})`;
    }
  }
}

/** The rows of `a` followed by those of `b` (same width). */
function stack(a: Matrix, b: Matrix): Matrix {
  const out = matrix(a.rows + b.rows, a.cols);
  out.data.set(a.data, 0);
  out.data.set(b.data, a.data.length);
  return out;
}
