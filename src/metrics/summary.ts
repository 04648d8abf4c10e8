import { accuracyScore, balancedAccuracyScore } from './accuracy.js';
import { confusionMatrix } from './confusion-matrix.js';
import { tableLabels, toTable, sameRows, type MetricInput } from './inputs.js';
import { logLoss } from './log-loss.js';
import { classScores, f1Score, precisionScore, recallScore, type ClassScore } from './precision-recall.js';
import { outputErrors, type OutputErrors } from './regression.js';
import { rocAucScore } from './roc-auc.js';

/** Every classification score of one set of predictions (the block `neurite evaluate` prints). */
export interface ClassificationMetrics {
  readonly accuracy: number;
  readonly balancedAccuracy: number;
  readonly precisionMacro: number;
  readonly recallMacro: number;
  readonly f1Macro: number;
  readonly f1Weighted: number;
  /** Per class 0 … k−1, including classes absent from both inputs (support 0, scores 0). */
  readonly perClass: readonly ClassScore[];
  /** `confusionMatrix[actual][predicted]` over classes 0 … k−1. */
  readonly confusionMatrix: number[][];
  /** With a score matrix, when every class occurs in `yTrue` (else undefined there). */
  readonly rocAuc?: number;
  /** With a score matrix whose values are probabilities (all in [0, 1]). */
  readonly logLoss?: number;
}

/** Options of {@link classificationMetrics}. */
export interface ClassificationMetricsOptions {
  /** How many classes there are (default: what the inputs imply); per-class rows cover 0 … k−1. */
  readonly numClasses?: number;
}

/**
 * Accuracy, balanced accuracy, macro precision/recall/F1, weighted F1, per-class scores and the
 * confusion matrix of `yPred` against `yTrue`. When `yPred` is a score matrix (a model's outputs),
 * ROC-AUC and log loss are added where they are defined. Averages run over the classes occurring in
 * either input, as scikit-learn's do.
 *
 * @example
 * ```ts
 * const m = classificationMetrics([0, 1, 1], [[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]);
 * m.accuracy; // 2/3
 * m.rocAuc; // 1
 * ```
 */
export function classificationMetrics(
  yTrue: MetricInput,
  yPred: MetricInput,
  opts: ClassificationMetricsOptions = {},
): ClassificationMetrics {
  const truth = toTable(yTrue, 'yTrue');
  const pred = toTable(yPred, 'yPred');
  sameRows(truth, pred);
  const t = tableLabels(truth, 'yTrue');
  const p = tableLabels(pred, 'yPred');
  const k = Math.max(opts.numClasses ?? 0, t.classes, p.classes);
  const labels = Array.from({ length: k }, (_, i) => i);
  const scores = !pred.oneDimensional;
  const scoreClasses = pred.cols <= 2 ? 2 : pred.cols;
  const present = new Set(t.labels);
  const aucDefined = scores && [...present].every((c) => c < scoreClasses) && present.size === scoreClasses;
  const probabilities = scores && pred.data.every((v) => v >= 0 && v <= 1) && t.classes <= scoreClasses;
  return {
    accuracy: accuracyScore(t.labels, p.labels),
    balancedAccuracy: balancedAccuracyScore(t.labels, p.labels),
    precisionMacro: precisionScore(t.labels, p.labels),
    recallMacro: recallScore(t.labels, p.labels),
    f1Macro: f1Score(t.labels, p.labels),
    f1Weighted: f1Score(t.labels, p.labels, { average: 'weighted' }),
    perClass: classScores(t.labels, p.labels, { labels }),
    confusionMatrix: confusionMatrix(t.labels, p.labels, { labels }),
    ...(aucDefined ? { rocAuc: rocAucScore(t.labels, yPred) } : {}),
    ...(probabilities ? { logLoss: logLoss(t.labels, yPred) } : {}),
  };
}

/** Every regression score of one set of predictions, averaged over outputs, plus per output. */
export interface RegressionMetrics {
  readonly r2: number;
  readonly rmse: number;
  readonly mae: number;
  readonly mse: number;
  readonly perOutput: OutputErrors;
}

const mean = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length;

/**
 * R², RMSE, MAE and MSE of `yPred` against `yTrue` (uniform averages over outputs, as
 * scikit-learn), with the per-output values. Give both in the target's original units.
 *
 * @example
 * ```ts
 * regressionMetrics([3, -0.5, 2, 7], [2.5, 0, 2, 8]).r2; // 0.9486
 * ```
 */
export function regressionMetrics(yTrue: MetricInput, yPred: MetricInput): RegressionMetrics {
  const perOutput = outputErrors(yTrue, yPred);
  return {
    r2: mean(perOutput.r2),
    rmse: mean(perOutput.rmse),
    mae: mean(perOutput.mae),
    mse: mean(perOutput.mse),
    perOutput,
  };
}
