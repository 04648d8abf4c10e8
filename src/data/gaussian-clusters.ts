import { assertInt, assertNumber } from '../core/index.js';
import type { Dataset } from './dataset.js';
import { classSize, pointsDataset, resolveOptions, type SyntheticOptions } from './synthetic.js';

/** Options for {@link gaussianClusters}. */
export interface ClustersOptions extends SyntheticOptions {
  /** Number of clusters, one class each. Default 2. */
  readonly classes?: number;
  /** Distance of each cluster centre from the origin. Default 1. */
  readonly radius?: number;
}

/**
 * Gaussian blobs, one per class, with centres evenly spaced on a circle of `radius` around the
 * origin (angle `2πk/classes`), so the layout is fixed and only the points are random. `noise` is
 * each blob's standard deviation; default 0.3.
 *
 * @example
 * ```ts
 * const ds = gaussianClusters({ n: 300, classes: 3, seed: 4 });
 * ds.y.cols; // 3
 * ```
 */
export function gaussianClusters(options: ClustersOptions = {}): Dataset {
  const opts = resolveOptions(options, 0.3, 'gaussianClusters', ['classes', 'radius']);
  const { classes = 2, radius = 1 } = options;
  assertInt(classes, 'classes', 1);
  assertNumber(radius, 'radius', 0);
  const xy: number[] = [];
  const labels: number[] = [];
  for (let k = 0; k < classes; k++) {
    // Start at angle π/4 so two clusters sit on the diagonal, as in TensorFlow Playground.
    const angle = Math.PI / 4 + (2 * Math.PI * k) / classes;
    const cx = radius * Math.cos(angle);
    const cy = radius * Math.sin(angle);
    for (let i = 0; i < classSize(opts.n, classes, k); i++) {
      xy.push(cx + opts.rng.normal(0, opts.noise), cy + opts.rng.normal(0, opts.noise));
      labels.push(k);
    }
  }
  return pointsDataset('gaussian-clusters', xy, labels, classes, opts);
}
