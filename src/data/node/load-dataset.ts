import { builtinDataset, type BuiltinOptions } from '../builtin.js';
import type { Dataset } from '../dataset.js';
import { loadMnist, type MnistOptions } from './mnist.js';

/** A loaded built-in dataset: MNIST comes with its fixed test part, the others without. */
export interface LoadedDataset {
  /** MNIST's train part, or the whole dataset. */
  readonly train: Dataset;
  /** MNIST's fixed test part; absent for the others. */
  readonly test?: Dataset;
}

/**
 * Any built-in dataset by name, including `mnist` (Node only). MNIST returns its fixed
 * 8,000/2,000 split as `train`/`test`; the others return the whole dataset as `train` for the
 * caller to split.
 *
 * @example
 * ```ts
 * const { train, test } = loadDataset('mnist', { limit: 1000 });
 * const { train: all } = loadDataset('iris');
 * ```
 */
export function loadDataset(name: string, options: BuiltinOptions & MnistOptions = {}): LoadedDataset {
  if (name === 'mnist') return loadMnist(options);
  return { train: builtinDataset(name, options) };
}
