import {
  NeuriteError,
  Rng,
  assertInt,
  assertMatrix,
  assertNumber,
  checkOptions,
  describe,
  matrix,
  type Matrix,
} from '../core/index.js';
import { assertPaired, takeRows } from './dataset.js';

/** Options for {@link batches}. */
export interface BatchOptions {
  /** Rows per batch (the last one may be smaller). Default 32. */
  readonly batchSize?: number;
  /** Visit rows in a seeded random order. Default false. */
  readonly shuffle?: boolean;
  /** Seed for the shuffle. Default 0. */
  readonly seed?: number;
  /** Skip a last batch smaller than `batchSize`. Default false. */
  readonly dropLast?: boolean;
}

/** One mini-batch: its inputs, targets and the source row of each. */
export interface Batch {
  /** Inputs of the batch's rows. */
  readonly x: Matrix;
  /** Targets of the batch's rows. */
  readonly y: Matrix;
  /** Source row of each batch row. */
  readonly indices: Int32Array;
}

/**
 * Iterates over mini-batches of paired rows. Without shuffling, batches are views into `x` and
 * `y` (no copy); with shuffling they are copies in the seeded order.
 *
 * @example
 * ```ts
 * for (const b of batches(ds.x, ds.y, { batchSize: 64, shuffle: true, seed: epoch })) {
 *   net.trainBatch(b.x, b.y);
 * }
 * ```
 */
export function* batches(x: Matrix, y: Matrix, options: BatchOptions = {}): Generator<Batch, void, undefined> {
  assertMatrix(x, 'batches x');
  assertMatrix(y, 'batches y');
  checkOptions(options, ['batchSize', 'shuffle', 'seed', 'dropLast'], 'batches options');
  assertPaired(x, y);
  const { batchSize = 32, shuffle = false, seed = 0, dropLast = false } = options;
  assertInt(batchSize, 'batchSize');
  assertNumber(seed, 'seed');
  for (const [k, v] of [
    ['shuffle', shuffle],
    ['dropLast', dropLast],
  ] as const) {
    if (typeof v !== 'boolean')
      throw new NeuriteError('INVALID_OPTION', `${k} must be true or false, got ${describe(v)}`);
  }
  const n = x.rows;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (shuffle) new Rng(seed).shuffle(order);
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    if (dropLast && end - start < batchSize) return;
    const indices = order.subarray(start, end);
    if (shuffle) {
      yield { x: takeRows(x, indices), y: takeRows(y, indices), indices };
    } else {
      yield {
        x: matrix(end - start, x.cols, x.data.subarray(start * x.cols, end * x.cols)),
        y: matrix(end - start, y.cols, y.data.subarray(start * y.cols, end * y.cols)),
        indices,
      };
    }
  }
}
