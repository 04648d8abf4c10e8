import { assertNumber } from '../core/index.js';
import type { Dataset } from './dataset.js';
import { classSize, pointsDataset, resolveOptions, type SyntheticOptions } from './synthetic.js';

/** Options for {@link circles}. */
export interface CirclesOptions extends SyntheticOptions {
  /** Inner radius as a fraction of the outer radius 1, in (0, 1). Default 0.5. */
  readonly factor?: number;
}

/**
 * Two concentric circles (scikit-learn's `make_circles`): class 0 on the outer circle of radius 1,
 * class 1 on the inner one. Angles are drawn at random. Default noise 0.05.
 *
 * @example
 * ```ts
 * const ds = circles({ n: 200, noise: 0.05, seed: 3 });
 * ds.classes; // ['0', '1']
 * ```
 */
export function circles(options: CirclesOptions = {}): Dataset {
  const opts = resolveOptions(options, 0.05, 'circles', ['factor']);
  const { factor = 0.5 } = options;
  assertNumber(factor, 'factor', 0, 1);
  const xy: number[] = [];
  const labels: number[] = [];
  for (let k = 0; k < 2; k++) {
    const radius = k === 0 ? 1 : factor;
    for (let i = 0; i < classSize(opts.n, 2, k); i++) {
      const angle = opts.rng.uniform(0, 2 * Math.PI);
      xy.push(
        radius * Math.cos(angle) + opts.rng.normal(0, opts.noise),
        radius * Math.sin(angle) + opts.rng.normal(0, opts.noise),
      );
      labels.push(k);
    }
  }
  return pointsDataset('circles', xy, labels, 2, opts);
}
