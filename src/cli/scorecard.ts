import { invertStandardize } from '../data/index.js';
import {
  classPriors,
  classificationBaseline,
  classificationMetrics,
  columnMeans,
  regressionBaseline,
  regressionMetrics,
  type ClassificationMetrics,
  type Matrix,
  type RegressionMetrics,
} from '../index.js';
import type { ReportBaseline, ReportRegression } from '../report/html.js';
import { fmt, pct } from './output.js';
import type { Preprocessing } from './preprocessing.js';

/** What the baseline learned from the training rows, kept in the model file so `evaluate` can score it later. */
export type BaselineFit =
  | { readonly strategy: 'majority'; readonly priors: readonly number[] }
  | { readonly strategy: 'mean'; readonly mean: readonly number[] };

/** A model's scores on some rows, the baseline's on the same rows, and what to warn about. */
export interface Scorecard {
  readonly classification?: ClassificationMetrics;
  readonly regression?: RegressionMetrics;
  /** Regression: targets and predictions in the target's original units (the report plots them). */
  readonly actual?: Matrix;
  readonly predicted?: Matrix;
  readonly baseline: {
    readonly fit: BaselineFit;
    /** Whether the baseline was fitted on the training rows, or (older model files) on the scored rows. */
    readonly fittedOn: 'training rows' | 'scored rows';
    /** What the baseline predicts, in words. */
    readonly description: string;
    readonly classification?: ClassificationMetrics;
    readonly regression?: RegressionMetrics;
    /** The baseline's value of the network's own loss, when that loss is cross-entropy or MSE. */
    readonly loss?: number;
  };
  /** True when the network's loss on these rows is no better than the baseline's. */
  readonly lossWorse: boolean;
  /** Ways the model does not beat the baseline, as sentences (empty when it does). */
  readonly warnings: readonly string[];
}

/** Regression targets (or network outputs) in the target's original units. */
function originalUnits(pre: Preprocessing, y: Matrix): Matrix {
  return pre.targetStandardize === null ? y : invertStandardize(y, pre.targetStandardize);
}

/** Fits the baseline on the training targets (as the network sees them: one-hot, 0/1, or standardised values). */
export function fitBaseline(pre: Preprocessing, trainY: Matrix): BaselineFit {
  if (pre.task === 'classification')
    return { strategy: 'majority', priors: classPriors(trainY, classNames(pre).length) };
  return { strategy: 'mean', mean: columnMeans(originalUnits(pre, trainY)) };
}

/** The baseline fit a model file recorded at training time (`metadata.training.baseline`), if any. */
export function storedBaseline(metadata: Readonly<Record<string, unknown>>): BaselineFit | undefined {
  const training = metadata['training'];
  if (typeof training !== 'object' || training === null) return undefined;
  const b = (training as Record<string, unknown>)['baseline'];
  if (typeof b !== 'object' || b === null) return undefined;
  const r = b as Record<string, unknown>;
  const numbers = (v: unknown): v is number[] =>
    Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (r['strategy'] === 'majority' && numbers(r['priors'])) return { strategy: 'majority', priors: r['priors'] };
  if (r['strategy'] === 'mean' && numbers(r['mean'])) return { strategy: 'mean', mean: r['mean'] };
  return undefined;
}

function classNames(pre: Preprocessing): readonly string[] {
  return pre.classes ?? pre.targetNames;
}

/**
 * Scores network outputs against targets (both as the network sees them) with every metric, and
 * the baseline on the same rows. `fit` is the baseline learned from the training rows; without it
 * (model files from before baselines were recorded) the baseline is fitted on the scored rows.
 */
export function scorecard(
  pre: Preprocessing,
  outputs: Matrix,
  targets: Matrix,
  fit?: BaselineFit,
  loss?: { readonly name: string; readonly value: number },
): Scorecard {
  const f = fit ?? fitBaseline(pre, targets);
  const worse = (baselineLoss: number | undefined): boolean =>
    loss !== undefined && baselineLoss !== undefined && loss.value >= baselineLoss;
  const fittedOn = fit === undefined ? 'scored rows' : 'training rows';
  if (pre.task === 'classification') {
    const names = classNames(pre);
    const numClasses = names.length;
    const m = classificationMetrics(targets, outputs, { numClasses });
    const priors = f.strategy === 'majority' ? f.priors : [];
    const b = classificationBaseline({ priors }, targets);
    const majority = names[b.majorityClass] ?? String(b.majorityClass);
    const warnings: string[] = [];
    if (m.accuracy <= b.metrics.accuracy && b.metrics.accuracy < 1) {
      warnings.push(
        `accuracy ${pct(m.accuracy)} does not beat the baseline's ${pct(b.metrics.accuracy)} (always predicting "${majority}"): the model has not learned more than the class frequencies`,
      );
    }
    if (m.logLoss !== undefined && b.metrics.logLoss !== undefined && m.logLoss >= b.metrics.logLoss) {
      warnings.push(
        `log loss ${fmt(m.logLoss)} is no better than the baseline's ${fmt(b.metrics.logLoss)} (predicting the training class frequencies): the model's probabilities are worse than a guess`,
      );
    }
    // Cross-entropy is the log loss (mean over rows) of the network's own outputs.
    const baselineLoss = loss?.name.endsWith('CrossEntropy') === true ? b.metrics.logLoss : undefined;
    return {
      classification: m,
      baseline: {
        fit: f,
        fittedOn,
        description: `always the most frequent training class, "${majority}", with the training class frequencies as probabilities`,
        classification: b.metrics,
        ...(baselineLoss === undefined ? {} : { loss: baselineLoss }),
      },
      lossWorse: worse(baselineLoss),
      warnings,
    };
  }
  const actual = originalUnits(pre, targets);
  const predicted = originalUnits(pre, outputs);
  const m = regressionMetrics(actual, predicted);
  const mean = f.strategy === 'mean' ? f.mean : [];
  const b = regressionBaseline({ mean }, actual);
  const warnings =
    m.rmse >= b.metrics.rmse
      ? [
          `RMSE ${fmt(m.rmse)} is no better than the baseline's ${fmt(b.metrics.rmse)} (always predicting the training mean; R² ${fmt(m.r2)} vs ${fmt(b.metrics.r2)}): the model has learned nothing useful`,
        ]
      : [];
  // The network's MSE is on standardised targets: the baseline's, in the same units, is MSE / std².
  const std = pre.targetStandardize?.std;
  const baselineLoss =
    loss?.name === 'mse'
      ? b.metrics.perOutput.mse.reduce((a, v, i) => a + v / (std?.[i] ?? 1) ** 2, 0) / b.metrics.perOutput.mse.length
      : undefined;
  return {
    regression: m,
    actual,
    predicted,
    baseline: {
      fit: f,
      fittedOn,
      description: `always the training mean (${mean.map((v) => fmt(v)).join(', ')})`,
      regression: b.metrics,
      ...(baselineLoss === undefined ? {} : { loss: baselineLoss }),
    },
    lossWorse: worse(baselineLoss),
    warnings,
  };
}

/** The scalar scores of a block, by their scorer names (`accuracy`, `f1Macro`, `r2`, …). */
function scalars(m: ClassificationMetrics | RegressionMetrics | undefined): Record<string, number> {
  if (m === undefined) return {};
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'number') out[k] = v;
  return out;
}

/** The JSON form: the model's scores at the top level, per class or per target, and the baseline's. */
export function scorecardJson(s: Scorecard, pre: Preprocessing): Record<string, unknown> {
  const c = s.classification;
  const r = s.regression;
  const names = classNames(pre);
  const b = s.baseline;
  return {
    ...scalars(c ?? r),
    ...(c === undefined
      ? {}
      : {
          classes: names,
          perClass: c.perClass.map((p) => ({ ...p, label: names[p.label] ?? String(p.label) })),
          confusionMatrix: c.confusionMatrix,
        }),
    ...(r === undefined
      ? {}
      : {
          targets: pre.targetNames,
          perTarget: pre.targetNames.map((target, i) => ({
            target,
            r2: r.perOutput.r2[i],
            rmse: r.perOutput.rmse[i],
            mae: r.perOutput.mae[i],
          })),
        }),
    baseline: {
      ...b.fit,
      fittedOn: b.fittedOn,
      description: b.description,
      ...scalars(b.classification ?? b.regression),
      ...(b.loss === undefined ? {} : { loss: b.loss }),
    },
    worseThanBaseline: s.warnings,
  };
}

/** `train`'s JSON: the model's scores under `metrics`, then `baseline` (whose fit `evaluate` reads back) and warnings. */
export function scorecardSummary(s: Scorecard, pre: Preprocessing): Record<string, unknown> {
  const { baseline, worseThanBaseline, ...metrics } = scorecardJson(s, pre);
  return { metrics, baseline, worseThanBaseline };
}

/** Text lines: each score with the baseline's beside it, then warnings. */
export function scorecardText(s: Scorecard): string[] {
  const b = s.baseline;
  const line = (name: string, v: number | undefined, bv: number | undefined, f: (x: number) => string): string[] =>
    v === undefined ? [] : [`${name}: ${f(v)}${bv === undefined ? '' : `   (baseline ${f(bv)})`}`];
  const lines: string[] = [];
  const c = s.classification;
  const bc = b.classification;
  if (c !== undefined) {
    lines.push(
      ...line('accuracy', c.accuracy, bc?.accuracy, pct),
      ...line('balanced accuracy', c.balancedAccuracy, bc?.balancedAccuracy, pct),
      ...line('F1 macro', c.f1Macro, bc?.f1Macro, fmt),
      ...line('F1 weighted', c.f1Weighted, bc?.f1Weighted, fmt),
      ...line('ROC-AUC', c.rocAuc, bc?.rocAuc, fmt),
      ...line('log loss', c.logLoss, bc?.logLoss, fmt),
    );
  }
  const r = s.regression;
  const br = b.regression;
  if (r !== undefined) {
    lines.push(
      ...line('R²', r.r2, br?.r2, fmt),
      ...line('RMSE', r.rmse, br?.rmse, fmt),
      ...line('MAE', r.mae, br?.mae, fmt),
    );
  }
  lines.push(
    `baseline: ${b.description}${b.fittedOn === 'scored rows' ? ' (fitted on these rows: the model file has no training baseline)' : ''}`,
  );
  for (const w of s.warnings) lines.push(`WARNING: ${w}`);
  return lines;
}

/** The report's part of a scorecard: result cards with the baseline under each, flags and the regression charts' data. */
export function scorecardReport(
  s: Scorecard,
  pre: Preprocessing,
  part: string,
  loss: number,
): {
  results: Record<string, string | number>;
  baseline: ReportBaseline;
  worseThanBaseline: string[];
  warnings: readonly string[];
  regression?: ReportRegression;
} {
  const results: Record<string, string | number> = {};
  const base: Record<string, string | number> = {};
  const add = (key: string, v: number | undefined, b: number | undefined, f: (x: number) => string | number): void => {
    if (v === undefined) return;
    results[`${part} ${key}`] = f(v);
    if (b !== undefined) base[`${part} ${key}`] = f(b);
  };
  const c = s.classification;
  const bc = s.baseline.classification;
  add('accuracy', c?.accuracy, bc?.accuracy, pct);
  add('balanced accuracy', c?.balancedAccuracy, bc?.balancedAccuracy, pct);
  add('F1 macro', c?.f1Macro, bc?.f1Macro, (x) => x);
  add('ROC-AUC', c?.rocAuc, bc?.rocAuc, (x) => x);
  const r = s.regression;
  const br = s.baseline.regression;
  add('R²', r?.r2, br?.r2, (x) => x);
  add('RMSE', r?.rmse, br?.rmse, (x) => x);
  add('MAE', r?.mae, br?.mae, (x) => x);
  add('loss', loss, s.baseline.loss, (x) => x);
  const worse = s.lossWorse ? [`${part} loss`] : [];
  if (r !== undefined && br !== undefined && r.rmse >= br.rmse) worse.push(`${part} R²`, `${part} RMSE`);
  if (c !== undefined && bc !== undefined && c.accuracy <= bc.accuracy && bc.accuracy < 1)
    worse.push(`${part} accuracy`);
  return {
    results,
    baseline: { description: s.baseline.description, results: base },
    worseThanBaseline: worse,
    warnings: s.warnings,
    ...(s.actual !== undefined && s.predicted !== undefined
      ? { regression: { targetNames: pre.targetNames, actual: s.actual, predicted: s.predicted } }
      : {}),
  };
}
