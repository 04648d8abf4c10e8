import { matrix } from '../core/index.js';
import type { Dataset } from './dataset.js';

/**
 * The four people of the seed 002 example (and benchmark W1): height (cm), weight (kg) and age
 * (years) as inputs, a single 0/1 target column `[[1],[0],[1],[0]]`. Unscaled, exactly as the seed
 * post wrote them.
 *
 * @example
 * ```ts
 * const ds = seedPeople();
 * ds.x.data.slice(0, 3); // Float32Array [170, 70, 25]
 * ```
 */
export function seedPeople(): Dataset {
  return {
    name: 'seed-people',
    x: matrix(4, 3, new Float32Array([170, 70, 25, 160, 55, 30, 180, 90, 40, 150, 45, 20])),
    y: matrix(4, 1, new Float32Array([1, 0, 1, 0])),
    featureNames: ['height', 'weight', 'age'],
    targetNames: ['label'],
    classes: ['0', '1'],
    task: 'classification',
  };
}
