import { NeuriteError, Rng, assertInt, assertNumber, checkOptions, describe, matrix } from '../core/index.js';
import type { Dataset } from './dataset.js';

/** Options shared by the seeded 2-D generators. */
export interface SyntheticOptions {
  /** Number of points. Default 200. */
  readonly n?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate. Each generator has its own default. */
  readonly noise?: number;
  /** Seed for every random choice. Default 0. */
  readonly seed?: number;
  /**
   * One-hot targets with one column per class (default true). False gives a single 0/1 column,
   * only for two-class generators.
   */
  readonly oneHot?: boolean;
}

/** Validated generator options with defaults filled in, plus the generator's stream. */
export interface ResolvedOptions {
  /** Number of points. */
  readonly n: number;
  /** Noise standard deviation. */
  readonly noise: number;
  /** One column per class (true) or a single 0/1 column. */
  readonly oneHot: boolean;
  /** The generator's random stream, seeded from `seed`. */
  readonly rng: Rng;
}

/**
 * Checks the shared options (and that no key outside them and the generator's `own` keys is
 * given) and fills in defaults.
 */
export function resolveOptions(
  options: SyntheticOptions,
  defaultNoise: number,
  where: string,
  own: readonly string[] = [],
): ResolvedOptions {
  checkOptions(options, ['n', 'noise', 'seed', 'oneHot', ...own], `${where} options`);
  const { n = 200, noise = defaultNoise, seed = 0, oneHot = true } = options;
  if (typeof oneHot !== 'boolean')
    throw new NeuriteError('INVALID_OPTION', `oneHot must be true or false, got ${describe(oneHot)}`);
  assertInt(n, 'n', 1);
  assertNumber(noise, 'noise', 0);
  assertNumber(seed, 'seed');
  return { n, noise, oneHot, rng: new Rng(seed) };
}

/** How many of `n` points class `k` of `classes` gets: as even as possible, earlier classes first. */
export function classSize(n: number, classes: number, k: number): number {
  return Math.floor(n / classes) + (k < n % classes ? 1 : 0);
}

/**
 * Packs generated 2-D points into a classification {@link Dataset}, in a seeded shuffled order so
 * that any prefix holds every class. Labels are `'0' … 'k-1'`.
 */
export function pointsDataset(
  name: string,
  xy: readonly number[],
  labels: readonly number[],
  classes: number,
  opts: ResolvedOptions,
): Dataset {
  const n = labels.length;
  if (!opts.oneHot && classes !== 2) {
    throw new NeuriteError('INVALID_OPTION', `oneHot: false needs exactly 2 classes, got ${String(classes)}`);
  }
  const order = opts.rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const cols = opts.oneHot ? classes : 1;
  const x = matrix(n, 2);
  const y = matrix(n, cols);
  order.forEach((src, r) => {
    x.data[2 * r] = xy[2 * src] as number;
    x.data[2 * r + 1] = xy[2 * src + 1] as number;
    const label = labels[src] as number;
    if (opts.oneHot) y.data[r * cols + label] = 1;
    else y.data[r] = label;
  });
  const classNames = Array.from({ length: classes }, (_, i) => String(i));
  return {
    name,
    x,
    y,
    featureNames: ['x1', 'x2'],
    targetNames: opts.oneHot ? classNames.map((c) => `class=${c}`) : ['class'],
    classes: classNames,
    task: 'classification',
  };
}
