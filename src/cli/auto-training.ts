import { autoFit, type AutoFitResult, type NeuralNetwork, type PlanOverrides } from '../index.js';
import type { PreparedData } from './data.js';
import { fmt, pct } from './output.js';
import { scoreWithBaseline, type TrainHooks, type TrainResult, type TrainSettings } from './training.js';

/** The options of `neurite train` that the chosen-from-the-data path reads (the rest are fixed). */
export interface AutoTrainOptions {
  readonly layers?: readonly number[] | undefined;
  readonly activation?: TrainSettings['activation'] | undefined;
  readonly lr?: number | undefined;
  readonly weightDecay?: number | undefined;
  readonly epochs?: number | undefined;
  readonly batchSize?: number | undefined;
  readonly valSplit?: number | undefined;
  readonly earlyStop?: number | undefined;
  readonly dropout?: number | undefined;
  readonly classWeight?: TrainSettings['classWeight'] | undefined;
  readonly seed: number;
}

/** What a run of {@link runAutoTraining} produced: the network, its settings as a record, and scores. */
export interface AutoTraining {
  readonly net: NeuralNetwork;
  readonly settings: TrainSettings;
  readonly result: TrainResult;
  readonly fit: AutoFitResult;
}

/** The user's options as overrides of the settings {@link autoFit} would choose. */
function overrides(o: AutoTrainOptions): PlanOverrides {
  return {
    ...(o.layers === undefined ? {} : { hidden: o.layers }),
    ...(o.activation === undefined ? {} : { activation: o.activation }),
    ...(o.lr === undefined ? {} : { learningRate: o.lr }),
    ...(o.weightDecay === undefined ? {} : { weightDecay: o.weightDecay }),
    ...(o.epochs === undefined ? {} : { maxEpochs: o.epochs }),
    ...(o.batchSize === undefined ? {} : { batchSize: o.batchSize }),
    ...(o.valSplit === undefined ? {} : { validationFraction: o.valSplit }),
    ...(o.earlyStop === undefined ? {} : { patience: o.earlyStop }),
    ...(o.dropout === undefined ? {} : { dropout: o.dropout }),
  };
}

/**
 * Trains on a CSV table with settings chosen from its size ({@link autoFit}): early stopping on
 * held-out rows, then a refit on all of them. Scores on the test split when `--test-split` made one,
 * else on the training rows; the validation score and both baselines come with it.
 */
export async function runAutoTraining(
  data: PreparedData,
  o: AutoTrainOptions,
  backend: string,
  hooks: TrainHooks & { onPlan?: (reason: string) => void },
): Promise<AutoTraining> {
  const task = data.preprocessing.task;
  const start = performance.now();
  let planned = false;
  const fit = await autoFit(data.train.x, data.train.y, {
    task,
    seed: o.seed,
    backend,
    ...overrides(o),
    ...(o.classWeight === 'balanced' ? { classWeight: 'balanced' as const } : {}),
    ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
    onPhase: (p) => {
      if (!planned) hooks.onPlan?.(p.plan.reason);
      planned = true;
      hooks.onStart?.({ epochs: p.epochs, batches: p.batches, trainRows: p.rows, valRows: p.validationRows });
    },
    onEpochEnd: (e, logs) => hooks.onEpochEnd?.(e, logs),
    onBatchEnd: (b, logs) => hooks.onBatchEnd?.(b, logs),
  });
  const durationMs = performance.now() - start;
  const net = fit.network;
  const plan = fit.plan;
  const part = data.test ?? data.train;
  const settings: TrainSettings = {
    hidden: plan.hidden,
    activation: plan.activation,
    outputActivation: net.layers[net.layers.length - 1]?.config.activation ?? 'linear',
    loss: net.loss.name,
    optimizer: plan.optimizer,
    learningRate: plan.learningRate,
    weightDecay: plan.weightDecay,
    schedule: 'none',
    epochs: fit.epochs,
    batchSize: plan.batchSize,
    valSplit: plan.validationFraction,
    earlyStop: plan.validationFraction > 0 ? plan.patience : 0,
    dropout: plan.dropout,
    augment: 0,
    classWeight: o.classWeight ?? 'none',
    seed: fit.seed,
    backend,
  };
  const validated = fit.history;
  return {
    net,
    settings,
    fit,
    result: {
      history: fit.refitHistory === undefined ? validated : { ...validated, stopReason: fit.stopReason },
      durationMs,
      trainRows: data.train.x.rows,
      sourceRows: data.train.x.rows,
      valRows: fit.validation?.rows ?? 0,
      ...scoreWithBaseline(net, data, part),
      scoredOn: data.test === undefined ? 'train' : 'test',
      ...(fit.validation === undefined ? {} : { validation: fit.validation }),
      plan: plan.reason,
    },
  };
}

/** One or two lines: the validation score next to the baseline, how many epochs, and a warning when no better. */
export function describeAutoFit(fit: AutoFitResult, rows: number): string[] {
  const v = fit.validation;
  const lines: string[] = [];
  if (v !== undefined) {
    const show = (x: number): string => (v.metric === 'accuracy' ? pct(x) : fmt(x));
    const name = v.metric === 'accuracy' ? 'accuracy' : 'R²';
    lines.push(
      `validation ${name} ${show(v.score)} on ${String(v.rows)} held-out rows (baseline ${show(v.baseline)}); best after ${String(fit.epochs)} epochs${fit.refitHistory === undefined ? '' : `, then refit on all ${String(rows)} rows for ${String(fit.epochs)} epochs`}`,
    );
    if (!(v.score > v.baseline)) {
      lines.push(
        `warning: the model does not beat the baseline on the validation rows (${name} ${show(v.score)} vs ${show(v.baseline)}): the inputs may not predict the target, or there are too few rows to learn from`,
      );
    }
  }
  return lines;
}
