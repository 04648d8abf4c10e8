import { argmax, classScores, confusionMatrix, type Matrix } from '../index.js';

/** Per-class precision, recall and F1, labelled with the class name. */
export interface ClassScore {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
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
 * Confusion matrix, accuracy and per-class precision/recall/F1 (the library's metrics, so a class
 * never predicted has precision 0, as scikit-learn's default) from outputs and one-hot (or 0/1) targets.
 */
export function classify(outputs: Matrix, targets: Matrix, classes: readonly string[]): ClassificationSummary {
  const predicted = classIndices(outputs);
  const actual = classIndices(targets);
  const labels = classes.map((_, i) => i);
  let correct = 0;
  for (let r = 0; r < predicted.length; r++) if (predicted[r] === actual[r]) correct++;
  return {
    classes,
    matrix: confusionMatrix(actual, predicted, { labels }),
    accuracy: predicted.length === 0 ? 0 : correct / predicted.length,
    perClass: classScores(actual, predicted, { labels }).map((s) => ({ ...s, label: classes[s.label] ?? '' })),
    predicted,
    actual,
  };
}
