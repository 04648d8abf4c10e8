import { NeuriteError } from '../core/errors.js';
import { accuracyScore, balancedAccuracyScore } from './accuracy.js';
import type { MetricInput } from './inputs.js';
import { logLoss } from './log-loss.js';
import { f1Score, precisionScore, recallScore } from './precision-recall.js';
import { meanAbsoluteError, meanSquaredError, r2Score, rootMeanSquaredError } from './regression.js';
import { rocAucScore } from './roc-auc.js';

/** One scalar metric, by name: what cross-validation, search and the CLI pick from. */
export interface Scorer {
  /** The name used in JSON output, options and `--metric`. */
  readonly name: string;
  readonly task: 'classification' | 'regression';
  /** True when larger is better (accuracy, R²); false for losses and errors. */
  readonly greaterIsBetter: boolean;
  /** True when the predictions must be scores or probabilities, not labels (ROC-AUC, log loss). */
  readonly needsScores: boolean;
  /** One line for documentation and help. */
  readonly description: string;
  /** Scores predictions (labels, a score matrix, or values) against the targets. */
  score(yTrue: MetricInput, yPred: MetricInput): number;
}

const classification = (
  name: string,
  description: string,
  score: Scorer['score'],
  greaterIsBetter = true,
  needsScores = false,
): Scorer => ({ name, task: 'classification', greaterIsBetter, needsScores, description, score });

const regression = (name: string, description: string, score: Scorer['score'], greaterIsBetter = false): Scorer => ({
  name,
  task: 'regression',
  greaterIsBetter,
  needsScores: false,
  description,
  score,
});

/** Every scalar metric: adding one here makes it available everywhere a metric is chosen by name. */
export const SCORERS: readonly Scorer[] = [
  classification('accuracy', 'fraction of rows whose class is right', accuracyScore),
  classification(
    'balancedAccuracy',
    'mean recall over the true classes (1/k for a constant guess)',
    balancedAccuracyScore,
  ),
  classification('precisionMacro', 'precision per class, unweighted mean', (t, p) => precisionScore(t, p)),
  classification('recallMacro', 'recall per class, unweighted mean', (t, p) => recallScore(t, p)),
  classification('f1Macro', 'F1 per class, unweighted mean', (t, p) => f1Score(t, p)),
  classification('f1Weighted', 'F1 per class, weighted by support', (t, p) => f1Score(t, p, { average: 'weighted' })),
  classification(
    'rocAuc',
    'area under the ROC curve (one-vs-rest macro for several classes)',
    (t, p) => rocAucScore(t, p),
    true,
    true,
  ),
  classification('logLoss', 'mean negative log-probability of the true class', (t, p) => logLoss(t, p), false, true),
  regression('r2', 'coefficient of determination (1 perfect, 0 the mean predictor)', r2Score, true),
  regression('rmse', 'root mean squared error, in the target’s units', rootMeanSquaredError),
  regression('mae', 'mean absolute error, in the target’s units', meanAbsoluteError),
  regression('mse', 'mean squared error', meanSquaredError),
];

/** Names of {@link SCORERS}. */
export const SCORER_NAMES: readonly string[] = SCORERS.map((s) => s.name);

/**
 * The scorer called `name`; throws `INVALID_OPTION` listing the names otherwise.
 *
 * @example
 * ```ts
 * getScorer('f1Macro').score([0, 1, 1], [0, 1, 0]); // 0.6667
 * ```
 */
export function getScorer(name: string): Scorer {
  const s = SCORERS.find((x) => x.name === name);
  if (s === undefined) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `unknown metric ${JSON.stringify(name)}; expected one of: ${SCORER_NAMES.join(', ')}`,
    );
  }
  return s;
}
