/**
 * Evaluation metrics, scored as scikit-learn scores them: classification (accuracy, balanced
 * accuracy, precision/recall/F1, ROC-AUC, log loss, confusion matrix), regression (R², RMSE, MAE,
 * MSE) and the baselines a model must beat. Browser-safe; imports only the core.
 *
 * @packageDocumentation
 */
export type { MetricInput } from './inputs.js';
export { confusionMatrix, type LabelOptions } from './confusion-matrix.js';
export { accuracyScore, balancedAccuracyScore } from './accuracy.js';
export {
  classScores,
  precisionScore,
  recallScore,
  f1Score,
  type Average,
  type AverageOptions,
  type ClassScore,
} from './precision-recall.js';
export { rocAucScore, type RocAucOptions } from './roc-auc.js';
export { logLoss, type LogLossOptions } from './log-loss.js';
export {
  r2Score,
  meanSquaredError,
  rootMeanSquaredError,
  meanAbsoluteError,
  outputErrors,
  type OutputErrors,
} from './regression.js';
export {
  classificationMetrics,
  regressionMetrics,
  type ClassificationMetrics,
  type ClassificationMetricsOptions,
  type RegressionMetrics,
} from './summary.js';
export {
  classificationBaseline,
  regressionBaseline,
  classPriors,
  columnMeans,
  type ClassificationBaseline,
  type RegressionBaseline,
} from './baseline.js';
export { SCORERS, SCORER_NAMES, getScorer, type Scorer } from './scorers.js';
