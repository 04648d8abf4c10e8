import { NeuriteError } from '../core/errors.js';
import { labelPair, type MetricInput } from './inputs.js';

/** Options of the label metrics. */
export interface LabelOptions {
  /**
   * The classes to score, as class indices. Default: for {@link confusionMatrix} every class from 0
   * to the largest the inputs imply (a score matrix's column count); for averaged scores, the
   * classes that occur in `yTrue` or `yPred`, as scikit-learn does.
   */
  readonly labels?: readonly number[];
}

/** Per-class counts behind the label metrics. */
export interface ClassCounts {
  /** The classes counted, in order. */
  readonly labels: readonly number[];
  /** `matrix[i][j]`: rows of class `labels[i]` predicted as `labels[j]`. */
  readonly matrix: number[][];
  /** Correct predictions per class. */
  readonly truePositives: readonly number[];
  /** Rows predicted as each class. */
  readonly predicted: readonly number[];
  /** Rows of each class in `yTrue`. */
  readonly support: readonly number[];
  /** All rows, including those whose classes are not in `labels`. */
  readonly total: number;
}

function checkLabels(labels: readonly number[]): void {
  if (labels.length === 0) throw new NeuriteError('INVALID_OPTION', 'labels is empty: list at least one class index');
  const seen = new Set<number>();
  for (const l of labels) {
    if (!Number.isInteger(l) || l < 0) {
      throw new NeuriteError('INVALID_OPTION', `labels must be class indices (integers >= 0), got ${String(l)}`);
    }
    if (seen.has(l)) throw new NeuriteError('INVALID_OPTION', `labels lists class ${String(l)} twice`);
    seen.add(l);
  }
}

/**
 * Counts per class. `present: true` defaults the classes to those occurring in either input
 * (sorted), otherwise to 0 … the largest class the inputs imply.
 */
export function classCounts(
  yTrue: MetricInput,
  yPred: MetricInput,
  opts: LabelOptions = {},
  present = false,
): ClassCounts {
  const { t, p } = labelPair(yTrue, yPred);
  let labels: readonly number[];
  if (opts.labels !== undefined) {
    checkLabels(opts.labels);
    labels = opts.labels;
  } else if (present) {
    labels = [...new Set([...t.labels, ...p.labels])].sort((a, b) => a - b);
  } else {
    labels = Array.from({ length: Math.max(t.classes, p.classes) }, (_, i) => i);
  }
  const index = new Map(labels.map((l, i) => [l, i]));
  const k = labels.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  // Predicted and support count every row of a class, even when the other side's class is not
  // listed (scikit-learn's multilabel_confusion_matrix does the same), so they are not matrix sums.
  const predicted = new Array<number>(k).fill(0);
  const support = new Array<number>(k).fill(0);
  for (let r = 0; r < t.labels.length; r++) {
    const a = index.get(t.labels[r] as number);
    const b = index.get(p.labels[r] as number);
    if (a !== undefined) support[a] = (support[a] as number) + 1;
    if (b !== undefined) predicted[b] = (predicted[b] as number) + 1;
    if (a === undefined || b === undefined) continue;
    const row = matrix[a] as number[];
    row[b] = (row[b] as number) + 1;
  }
  return {
    labels,
    matrix,
    truePositives: matrix.map((row, i) => row[i] as number),
    predicted,
    support,
    total: t.labels.length,
  };
}

/**
 * Confusion matrix: `m[i][j]` counts the rows of class `i` predicted as class `j` (rows actual,
 * columns predicted, as scikit-learn's `confusion_matrix`). Its entries sum to the number of rows
 * when every class is listed.
 *
 * @example
 * ```ts
 * confusionMatrix([0, 1, 1, 2], [0, 1, 2, 2]); // [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
 * ```
 */
export function confusionMatrix(yTrue: MetricInput, yPred: MetricInput, opts: LabelOptions = {}): number[][] {
  return classCounts(yTrue, yPred, opts).matrix;
}
