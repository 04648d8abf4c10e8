import type { Dataset } from './dataset.js';
import { classSize, pointsDataset, resolveOptions, type SyntheticOptions } from './synthetic.js';

/**
 * Two interleaving half circles (scikit-learn's `make_moons`): class 0 is the upper arc centred
 * at (0, 0), class 1 the lower arc centred at (1, 0.5). Points are evenly spaced along each arc
 * before noise. Default noise 0.1.
 *
 * @example
 * ```ts
 * const ds = moons({ n: 200, noise: 0.1, seed: 2 });
 * ds.x.cols; // 2
 * ```
 */
export function moons(options: SyntheticOptions = {}): Dataset {
  const opts = resolveOptions(options, 0.1, 'moons');
  const xy: number[] = [];
  const labels: number[] = [];
  for (let k = 0; k < 2; k++) {
    const m = classSize(opts.n, 2, k);
    for (let i = 0; i < m; i++) {
      const t = m === 1 ? 0 : (i / (m - 1)) * Math.PI;
      const px = k === 0 ? Math.cos(t) : 1 - Math.cos(t);
      const py = k === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
      xy.push(px + opts.rng.normal(0, opts.noise), py + opts.rng.normal(0, opts.noise));
      labels.push(k);
    }
  }
  return pointsDataset('moons', xy, labels, 2, opts);
}
