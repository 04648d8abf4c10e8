import { classCounts } from './confusion-matrix.js';
import { labelPair, type MetricInput } from './inputs.js';

/**
 * Fraction of rows whose predicted class equals the true class (scikit-learn's `accuracy_score`).
 * Score matrices are turned into classes by argmax (a 0.5 threshold for one column).
 *
 * @example
 * ```ts
 * accuracyScore([0, 1, 2, 2], [0, 2, 2, 2]); // 0.75
 * ```
 */
export function accuracyScore(yTrue: MetricInput, yPred: MetricInput): number {
  const { t, p } = labelPair(yTrue, yPred);
  let correct = 0;
  for (let r = 0; r < t.labels.length; r++) if (t.labels[r] === p.labels[r]) correct++;
  return correct / t.labels.length;
}

/**
 * Mean recall over the classes that occur in `yTrue` (scikit-learn's `balanced_accuracy_score`):
 * 1/k for a constant prediction on k classes however imbalanced they are, so a majority-class
 * guess does not look good. Classes only predicted, never true, are left out, as scikit-learn does.
 *
 * @example
 * ```ts
 * balancedAccuracyScore([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1]); // 0.625
 * ```
 */
export function balancedAccuracyScore(yTrue: MetricInput, yPred: MetricInput): number {
  const c = classCounts(yTrue, yPred, {}, true);
  let sum = 0;
  let n = 0;
  c.support.forEach((s, i) => {
    if (s === 0) return;
    sum += (c.truePositives[i] as number) / s;
    n++;
  });
  return sum / n;
}
