import { Rng, isMatrix, assertNumber, type Matrix } from '../core/index.js';
import { subset, takeRows, type Dataset } from './dataset.js';

/**
 * A seeded random permutation of `0 … n-1` (Fisher–Yates). The same `n` and seed always give the
 * same permutation.
 *
 * @example
 * ```ts
 * permutation(5, 42); // e.g. Int32Array [3, 0, 4, 1, 2], identical on every run
 * ```
 */
export function permutation(n: number, seed: number | Rng): Int32Array {
  const rng = typeof seed === 'number' ? new Rng(seed) : seed;
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return rng.shuffle(p);
}

/**
 * Returns the rows in a seeded random order (a copy). A dataset keeps inputs and targets paired;
 * two matrices with the same row count shuffled with the same seed also stay aligned.
 *
 * @example
 * ```ts
 * const shuffled = shuffleRows(iris(), 7);
 * shuffleRows(x, 7); // same order as shuffleRows(y, 7)
 * ```
 */
export function shuffleRows(data: Matrix, seed: number): Matrix;
export function shuffleRows(data: Dataset, seed: number): Dataset;
export function shuffleRows(data: Matrix | Dataset, seed: number): Matrix | Dataset {
  assertNumber(seed, 'seed');
  if (isMatrix(data)) return takeRows(data, permutation(data.rows, seed));
  return subset(data, permutation(data.x.rows, seed));
}
