import { assertInt, assertNumber } from '../core/index.js';
import type { Dataset } from './dataset.js';
import { classSize, pointsDataset, resolveOptions, type SyntheticOptions } from './synthetic.js';

/** Options for {@link spiral}. */
export interface SpiralOptions extends SyntheticOptions {
  /** Number of arms, one class each. Default 2. */
  readonly classes?: number;
  /** How many full turns each arm makes. Default 1.75 (TensorFlow Playground's spiral). */
  readonly turns?: number;
}

/**
 * Interleaved spiral arms around the origin, one class per arm, radius growing from 0 to 1
 * (the cs231n and TensorFlow Playground spiral). Not linearly separable: a network needs hidden
 * units to bend its boundary around the arms. Default noise 0.05.
 *
 * @example
 * ```ts
 * const ds = spiral({ n: 300, classes: 3, noise: 0.05, seed: 1 });
 * ds.x.rows; // 300
 * ds.y.cols; // 3
 * ```
 */
export function spiral(options: SpiralOptions = {}): Dataset {
  const opts = resolveOptions(options, 0.05, 'spiral', ['classes', 'turns']);
  const { classes = 2, turns = 1.75 } = options;
  assertInt(classes, 'classes', 2);
  assertNumber(turns, 'turns');
  const xy: number[] = [];
  const labels: number[] = [];
  for (let k = 0; k < classes; k++) {
    const m = classSize(opts.n, classes, k);
    for (let i = 0; i < m; i++) {
      const t = m === 1 ? 0 : i / (m - 1);
      const angle = t * turns * 2 * Math.PI + (k * 2 * Math.PI) / classes;
      xy.push(
        t * Math.sin(angle) + opts.rng.normal(0, opts.noise),
        t * Math.cos(angle) + opts.rng.normal(0, opts.noise),
      );
      labels.push(k);
    }
  }
  return pointsDataset('spiral', xy, labels, classes, opts);
}
