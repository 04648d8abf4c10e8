import { NeuriteError } from '../core/errors.js';
import { classCounts, type ClassCounts, type LabelOptions } from './confusion-matrix.js';
import type { MetricInput } from './inputs.js';

/**
 * How per-class scores become one number (scikit-learn's `average`):
 * - `'macro'`: the unweighted mean over classes (every class counts the same);
 * - `'weighted'`: the mean weighted by each class's support (rows in `yTrue`);
 * - `'micro'`: from the summed counts (equals accuracy when every class is listed);
 * - `'binary'`: the score of `posLabel` alone (two classes only).
 */
export type Average = 'macro' | 'weighted' | 'micro' | 'binary';

/** Options of {@link precisionScore}, {@link recallScore} and {@link f1Score}. */
export interface AverageOptions extends LabelOptions {
  /** Default `'macro'` (scikit-learn's default is `'binary'`, which refuses more than two classes). */
  readonly average?: Average;
  /** The positive class for `average: 'binary'` (default 1). */
  readonly posLabel?: number;
}

/** Precision, recall, F1 and support of one class. */
export interface ClassScore {
  /** The class index. */
  readonly label: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Rows of this class in `yTrue`. */
  readonly support: number;
}

/** tp / d, or 0 when d is 0: scikit-learn's default `zero_division` ("warn", which scores 0), never NaN. */
function ratio(tp: number, d: number): number {
  return d === 0 ? 0 : tp / d;
}

function fScore(precision: number, recall: number): number {
  const d = precision + recall;
  return d === 0 ? 0 : (2 * precision * recall) / d;
}

function perClass(c: ClassCounts): ClassScore[] {
  return c.labels.map((label, i) => {
    const tp = c.truePositives[i] as number;
    const precision = ratio(tp, c.predicted[i] as number);
    const recall = ratio(tp, c.support[i] as number);
    return { label, precision, recall, f1: fScore(precision, recall), support: c.support[i] as number };
  });
}

/**
 * Precision, recall, F1 and support per class (scikit-learn's
 * `precision_recall_fscore_support(average=None)`). Default classes: 0 … the largest class the
 * inputs imply, so a class that is never predicted still gets its row (with precision 0).
 *
 * @example
 * ```ts
 * classScores([0, 0, 1, 1], [0, 1, 1, 1]);
 * // [{ label: 0, precision: 1, recall: 0.5, f1: 0.667, support: 2 }, { label: 1, precision: 0.667, recall: 1, f1: 0.8, support: 2 }]
 * ```
 */
export function classScores(yTrue: MetricInput, yPred: MetricInput, opts: LabelOptions = {}): ClassScore[] {
  return perClass(classCounts(yTrue, yPred, opts));
}

type Which = 'precision' | 'recall' | 'f1';

function averaged(yTrue: MetricInput, yPred: MetricInput, opts: AverageOptions, which: Which): number {
  const average = opts.average ?? 'macro';
  let labelOpts: LabelOptions = opts.labels === undefined ? {} : { labels: opts.labels };
  if (average === 'binary') {
    const present = classCounts(yTrue, yPred, {}, true).labels;
    const pos = opts.posLabel ?? 1;
    if (present.length > 2) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `average 'binary' needs two classes but the inputs hold ${String(present.length)} (${present.join(', ')}); use 'macro', 'weighted' or 'micro'`,
      );
    }
    if (!present.includes(pos) && present.length === 2) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `posLabel ${String(pos)} is not one of the classes found (${present.join(', ')}); set posLabel to one of them`,
      );
    }
    labelOpts = { labels: [pos] };
  } else if (!['macro', 'weighted', 'micro'].includes(average)) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `unknown average ${JSON.stringify(average)}; expected one of: macro, weighted, micro, binary`,
    );
  }
  const c = classCounts(yTrue, yPred, labelOpts, true);
  if (average === 'micro') {
    const sum = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0);
    const tp = sum(c.truePositives);
    const p = ratio(tp, sum(c.predicted));
    const r = ratio(tp, sum(c.support));
    return which === 'precision' ? p : which === 'recall' ? r : fScore(p, r);
  }
  const scores = perClass(c);
  if (average === 'weighted') {
    const total = scores.reduce((s, x) => s + x.support, 0);
    return total === 0 ? 0 : scores.reduce((s, x) => s + x[which] * x.support, 0) / total;
  }
  return scores.reduce((s, x) => s + x[which], 0) / scores.length;
}

/**
 * Precision: of the rows predicted as a class, the fraction that are of it, averaged as
 * `opts.average` says (default `'macro'`). A class never predicted scores 0 (scikit-learn's default
 * `zero_division`).
 *
 * @example
 * ```ts
 * precisionScore([0, 0, 1, 1], [0, 1, 1, 1]); // (1 + 2/3) / 2 = 0.8333
 * ```
 */
export function precisionScore(yTrue: MetricInput, yPred: MetricInput, opts: AverageOptions = {}): number {
  return averaged(yTrue, yPred, opts, 'precision');
}

/**
 * Recall: of the rows of a class, the fraction predicted as it, averaged as `opts.average` says
 * (default `'macro'`).
 *
 * @example
 * ```ts
 * recallScore([0, 0, 1, 1], [0, 1, 1, 1]); // (0.5 + 1) / 2 = 0.75
 * ```
 */
export function recallScore(yTrue: MetricInput, yPred: MetricInput, opts: AverageOptions = {}): number {
  return averaged(yTrue, yPred, opts, 'recall');
}

/**
 * F1, the harmonic mean of precision and recall per class, averaged as `opts.average` says
 * (default `'macro'`: the mean of the per-class F1, as scikit-learn). A class with no correct
 * prediction scores 0, never NaN.
 *
 * @example
 * ```ts
 * f1Score([0, 0, 1, 1], [0, 1, 1, 1]); // (2/3 + 0.8) / 2 = 0.7333
 * f1Score([0, 0, 1, 1], [0, 1, 1, 1], { average: 'weighted' });
 * ```
 */
export function f1Score(yTrue: MetricInput, yPred: MetricInput, opts: AverageOptions = {}): number {
  return averaged(yTrue, yPred, opts, 'f1');
}
