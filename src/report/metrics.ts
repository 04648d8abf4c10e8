import { argmax, type Matrix } from '../index.js';

/** Per-class precision and recall. */
export interface ClassScore {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly support: number;
}

/** Confusion matrix and per-class scores of a classifier's predictions. */
export interface ClassificationSummary {
  readonly classes: readonly string[];
  /** `matrix[actual][predicted]` = count. */
  readonly matrix: number[][];
  readonly accuracy: number;
  readonly perClass: ClassScore[];
  /** Predicted and actual class index of every row. */
  readonly predicted: Int32Array;
  readonly actual: Int32Array;
}

/** Class index per row: argmax, or a 0.5 threshold for a single (sigmoid) output. */
export function classIndices(y: Matrix): Int32Array {
  const out = new Int32Array(y.rows);
  for (let r = 0; r < y.rows; r++) {
    out[r] = y.cols === 1 ? ((y.data[r] as number) >= 0.5 ? 1 : 0) : argmax(y.data, r * y.cols, y.cols);
  }
  return out;
}

/**
 * Confusion matrix, accuracy and per-class precision/recall from outputs and one-hot (or 0/1)
 * targets. A class never predicted has precision 0 (scikit-learn's `zero_division=0`).
 */
export function classify(outputs: Matrix, targets: Matrix, classes: readonly string[]): ClassificationSummary {
  const predicted = classIndices(outputs);
  const actual = classIndices(targets);
  const k = classes.length;
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let r = 0; r < predicted.length; r++) {
    const a = actual[r] as number;
    const p = predicted[r] as number;
    (m[a] as number[])[p] = ((m[a] as number[])[p] as number) + 1;
    if (a === p) correct++;
  }
  const perClass = classes.map((label, c) => {
    const tp = (m[c] as number[])[c] as number;
    const support = (m[c] as number[]).reduce((s, v) => s + v, 0);
    const predictedC = m.reduce((s, row) => s + (row[c] as number), 0);
    return {
      label,
      precision: predictedC === 0 ? 0 : tp / predictedC,
      recall: support === 0 ? 0 : tp / support,
      support,
    };
  });
  return {
    classes,
    matrix: m,
    accuracy: predicted.length === 0 ? 0 : correct / predicted.length,
    perClass,
    predicted,
    actual,
  };
}

/** Root-mean-square and mean absolute error per output column, in the units given. */
export function regressionErrors(outputs: Matrix, targets: Matrix): { rmse: number[]; mae: number[] } {
  const rmse: number[] = [];
  const mae: number[] = [];
  for (let c = 0; c < outputs.cols; c++) {
    let sq = 0;
    let ab = 0;
    for (let r = 0; r < outputs.rows; r++) {
      const d = (outputs.data[r * outputs.cols + c] as number) - (targets.data[r * targets.cols + c] as number);
      sq += d * d;
      ab += Math.abs(d);
    }
    rmse.push(Math.sqrt(sq / Math.max(1, outputs.rows)));
    mae.push(ab / Math.max(1, outputs.rows));
  }
  return { rmse, mae };
}
