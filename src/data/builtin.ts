import { NeuriteError } from '../core/index.js';
import { circles } from './circles.js';
import type { Dataset } from './dataset.js';
import { gaussianClusters } from './gaussian-clusters.js';
import { iris } from './iris.js';
import { moons } from './moons.js';
import { seedPeople } from './seed-people.js';
import { spiral } from './spiral.js';
import type { SyntheticOptions } from './synthetic.js';
import { xor, xorPlane } from './xor.js';

/** Names of the datasets {@link builtinDataset} makes (browser-safe; `mnist` is in `neurite/data/node`). */
export const BUILTIN_DATASETS = [
  'iris',
  'xor',
  'xor-plane',
  'seed-people',
  'spiral',
  'circles',
  'moons',
  'gaussian-clusters',
] as const;

/** One of {@link BUILTIN_DATASETS}. */
export type BuiltinName = (typeof BUILTIN_DATASETS)[number];

/** Options passed to the generator; fixed datasets (iris, xor, seed-people) ignore them. */
export interface BuiltinOptions extends SyntheticOptions {
  /** Classes (arms or clusters) for `spiral` and `gaussian-clusters`. */
  readonly classes?: number;
}

/**
 * A built-in dataset by name, as the CLI's `--dataset` and the playground pick them. An unknown
 * name throws `INVALID_OPTION` listing the known ones.
 *
 * @example
 * ```ts
 * builtinDataset('spiral', { n: 300, classes: 3, seed: 1 }).y.cols; // 3
 * ```
 */
export function builtinDataset(name: string, options: BuiltinOptions = {}): Dataset {
  switch (name as BuiltinName) {
    case 'iris':
      return iris();
    case 'xor':
      return xor(options.oneHot === undefined ? {} : { oneHot: options.oneHot });
    case 'xor-plane':
      return xorPlane(options);
    case 'seed-people':
      return seedPeople();
    case 'spiral':
      return spiral(options);
    case 'circles':
      return circles(options);
    case 'moons':
      return moons(options);
    case 'gaussian-clusters':
      return gaussianClusters(options);
  }
  throw new NeuriteError(
    'INVALID_OPTION',
    `unknown dataset ${JSON.stringify(name)}; expected one of: ${BUILTIN_DATASETS.join(', ')} (and mnist from neurite/data/node)`,
  );
}
