// Builds the playground's data from the settings: one of the library's seeded 2-D generators (or a
// CSV upload), split into train and test, with targets shaped for the output layer.
import { circles, gaussianClusters, moons, parseCsv, spiral, trainTestSplit, xorPlane } from '../../src/data/index.ts';
import type { Dataset } from '../../src/data/index.ts';
import type { Matrix } from '../../src/index.ts';
import type { CsvSource, Points } from './protocol.ts';
import type { Settings } from './settings.ts';

export interface PlaygroundData {
  xTrain: Matrix;
  yTrain: Matrix;
  xTest: Matrix;
  yTest: Matrix;
  train: Points;
  test: Points;
  classes: string[];
  features: [string, string];
  bounds: [number, number, number, number];
}

function generate(s: Settings, csv: CsvSource | undefined): Dataset {
  const common = { n: s.n, noise: s.noise, seed: s.seed };
  switch (s.dataset) {
    case 'spiral':
      return spiral({ ...common, classes: s.classes });
    case 'moons':
      return moons(common);
    case 'xor':
      return xorPlane(common);
    case 'gaussian':
      return gaussianClusters({ ...common, classes: s.classes });
    case 'csv':
      if (csv) return scaleCsv(csv);
      return circles(common);
    case 'circles':
      return circles(common);
  }
}

/** Parses the upload with the library's CSV reader, then scales both features to [-1, 1]. */
function scaleCsv(csv: CsvSource): Dataset {
  const { dataset } = parseCsv(csv.text, {
    target: csv.label,
    features: csv.features,
    task: 'classification',
    name: csv.name,
  });
  const x = dataset.x;
  if (x.cols !== 2) {
    throw new Error(`the CSV features must be two numeric columns; they encode to ${String(x.cols)} inputs`);
  }
  const data = new Float32Array(x.data);
  for (let c = 0; c < 2; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let r = 0; r < x.rows; r++) {
      const v = data[r * 2 + c] as number;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const span = hi - lo || 1;
    for (let r = 0; r < x.rows; r++) data[r * 2 + c] = (2 * ((data[r * 2 + c] as number) - lo)) / span - 1;
  }
  return { ...dataset, x: { rows: x.rows, cols: 2, data } };
}

/** Class index of each row of a one-hot (or single 0/1 column) target matrix. */
function labelsOf(y: Matrix): Int32Array {
  const out = new Int32Array(y.rows);
  for (let r = 0; r < y.rows; r++) {
    if (y.cols === 1) {
      out[r] = (y.data[r] as number) >= 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let c = 1; c < y.cols; c++)
      if ((y.data[r * y.cols + c] as number) > (y.data[r * y.cols + best] as number)) best = c;
    out[r] = best;
  }
  return out;
}

/** Targets for the output layer: one 0/1 column for two classes (sigmoid), else one-hot (softmax). */
function targetsFor(labels: Int32Array, classes: number): Matrix {
  const cols = classes === 2 ? 1 : classes;
  const data = new Float32Array(labels.length * cols);
  labels.forEach((l, r) => {
    if (cols === 1) data[r] = l;
    else data[r * cols + l] = 1;
  });
  return { rows: labels.length, cols, data };
}

export function buildData(s: Settings, csv: CsvSource | undefined): PlaygroundData {
  const ds = generate(s, csv);
  const classes = [...(ds.classes ?? ['0', '1'])];
  if (classes.length < 2) throw new Error(`the label column needs at least 2 classes, found ${String(classes.length)}`);
  const split = trainTestSplit(ds.x, ds.y, { testFraction: 1 - s.ratio, seed: s.seed });
  const trainLabels = labelsOf(split.yTrain);
  const testLabels = labelsOf(split.yTest);
  const all = ds.x.data;
  let half = 0;
  let cx = 0;
  let cy = 0;
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < all.length; i += 2) {
    x0 = Math.min(x0, all[i] as number);
    x1 = Math.max(x1, all[i] as number);
    y0 = Math.min(y0, all[i + 1] as number);
    y1 = Math.max(y1, all[i + 1] as number);
  }
  cx = (x0 + x1) / 2;
  cy = (y0 + y1) / 2;
  // A square view with a margin, so both axes share one scale and the probe (0.5, 0.5) is inside.
  half = Math.max(x1 - x0, y1 - y0, 1) * 0.55;
  half = Math.max(half, Math.abs(0.5 - cx) + 0.1, Math.abs(0.5 - cy) + 0.1);
  const f = ds.featureNames;
  return {
    xTrain: split.xTrain,
    yTrain: targetsFor(trainLabels, classes.length),
    xTest: split.xTest,
    yTest: targetsFor(testLabels, classes.length),
    train: { xy: Float32Array.from(split.xTrain.data), label: trainLabels },
    test: { xy: Float32Array.from(split.xTest.data), label: testLabels },
    classes,
    features: [f[0] ?? 'x1', f[1] ?? 'x2'],
    bounds: [cx - half, cx + half, cy - half, cy + half],
  };
}
