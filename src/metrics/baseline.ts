import { NeuriteError } from '../core/errors.js';
import { toLabels, toTable, type MetricInput } from './inputs.js';
import {
  classificationMetrics,
  regressionMetrics,
  type ClassificationMetrics,
  type RegressionMetrics,
} from './summary.js';

/**
 * The scores of always predicting the training rows' most frequent class, with their class
 * frequencies as probabilities (scikit-learn's `DummyClassifier(strategy='prior')`).
 */
export interface ClassificationBaseline {
  readonly strategy: 'majority';
  /** Training frequency of each class. */
  readonly priors: readonly number[];
  /** The class predicted for every row (the first of the most frequent). */
  readonly majorityClass: number;
  readonly metrics: ClassificationMetrics;
}

/** The scores of always predicting the training mean (scikit-learn's `DummyRegressor()`). */
export interface RegressionBaseline {
  readonly strategy: 'mean';
  /** Training mean of each output. */
  readonly mean: readonly number[];
  readonly metrics: RegressionMetrics;
}

function isRecord(x: unknown, key: string): x is Record<string, readonly number[]> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && key in x;
}

function checkStats(v: readonly number[], what: string): void {
  if (v.length === 0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new NeuriteError('INVALID_DATA', `${what} must be a non-empty list of finite numbers`);
  }
}

/** Class frequencies of training labels (or one-hot rows), over at least `numClasses` classes. */
export function classPriors(yTrain: MetricInput, numClasses = 0): number[] {
  const { labels, classes } = toLabels(yTrain, 'yTrain');
  const counts = new Array<number>(Math.max(classes, numClasses)).fill(0);
  for (const c of labels) counts[c] = (counts[c] as number) + 1;
  return counts.map((n) => n / labels.length);
}

/** Mean of each column of the training targets. */
export function columnMeans(yTrain: MetricInput): number[] {
  const t = toTable(yTrain, 'yTrain');
  const out = new Array<number>(t.cols).fill(0);
  for (let r = 0; r < t.rows; r++)
    for (let c = 0; c < t.cols; c++) out[c] = (out[c] as number) + (t.data[r * t.cols + c] as number);
  return out.map((s) => s / t.rows);
}

/**
 * Scores `yTest` against the majority-class baseline fitted on `train` (training labels, or their
 * `{ priors }` when the labels are gone, e.g. stored in a model file). Print its scores next to the
 * model's: a model that does not beat them has learned nothing useful.
 *
 * @example
 * ```ts
 * const b = classificationBaseline([0, 0, 0, 1], [0, 1, 0, 0]);
 * b.majorityClass; // 0
 * b.metrics.accuracy; // 0.75
 * ```
 */
export function classificationBaseline(
  train: MetricInput | { readonly priors: readonly number[] },
  yTest: MetricInput,
): ClassificationBaseline {
  const test = toLabels(yTest, 'yTest');
  let priors: readonly number[];
  if (isRecord(train, 'priors')) {
    checkStats(train['priors'] as readonly number[], 'priors');
    priors = train['priors'] as readonly number[];
  } else {
    priors = classPriors(train as MetricInput);
  }
  const k = Math.max(priors.length, test.classes, 2);
  const probs = Array.from({ length: k }, (_, c) => priors[c] ?? 0);
  let majorityClass = 0;
  probs.forEach((p, c) => {
    if (p > (probs[majorityClass] as number)) majorityClass = c;
  });
  const rows = Array.from({ length: test.labels.length }, () => probs);
  return {
    strategy: 'majority',
    priors: probs,
    majorityClass,
    metrics: classificationMetrics(test.labels, rows, { numClasses: k }),
  };
}

/**
 * Scores `yTest` against the baseline that predicts the training mean (fitted on `train`, or given
 * as `{ mean }`). Its R² is 0 when the test mean equals the training mean and a little below
 * otherwise; a model should beat its RMSE.
 *
 * @example
 * ```ts
 * regressionBaseline([1, 2, 3], [2, 4]).metrics.rmse; // 1.414…
 * ```
 */
export function regressionBaseline(
  train: MetricInput | { readonly mean: readonly number[] },
  yTest: MetricInput,
): RegressionBaseline {
  const test = toTable(yTest, 'yTest');
  let mean: readonly number[];
  if (isRecord(train, 'mean')) {
    checkStats(train['mean'] as readonly number[], 'mean');
    mean = train['mean'] as readonly number[];
  } else {
    mean = columnMeans(train as MetricInput);
  }
  if (mean.length !== test.cols) {
    throw new NeuriteError(
      'SHAPE_MISMATCH',
      `the baseline has ${String(mean.length)} output(s) but yTest has ${String(test.cols)} column(s)`,
    );
  }
  const rows = Array.from({ length: test.rows }, () => mean);
  const truth = Array.from({ length: test.rows }, (_, r) => test.data.subarray(r * test.cols, (r + 1) * test.cols));
  return { strategy: 'mean', mean, metrics: regressionMetrics(truth, rows) };
}
