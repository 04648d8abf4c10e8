/**
 * The one way the CLI trains a network on prepared data: `train` calls it once, `cv` and `tune`
 * once per fold (on data whose preprocessing was fitted on that fold's training rows), so a
 * cross-validated score is the score of what `train` would have built.
 */
import { planTraining, type AutoFitResult, type NeuralNetwork } from '../index.js';
import { MAX_SHIFTS } from './augment.js';
import { describeAutoFit, runAutoTraining, type AutoTrainOptions } from './auto-training.js';
import type { PreparedData } from './data.js';
import { UsageError } from './errors.js';
import {
  buildNetwork,
  defaultsFor,
  outputFor,
  runTraining,
  type TrainHooks,
  type TrainResult,
  type TrainSettings,
} from './training.js';

/**
 * The options of `train` that choose how to train (the rest choose the data and outputs): those
 * the chosen-from-the-data path reads, plus those only the hand-set path has.
 */
export interface TrainChoices extends AutoTrainOptions {
  /** `--data FILE.csv`: a table, trained with settings chosen from it unless a hand-set option is given. */
  readonly data?: string | undefined;
  readonly dataset?: string | undefined;
  readonly outputActivation?: TrainSettings['activation'] | undefined;
  readonly loss?: TrainSettings['loss'] | undefined;
  readonly optimizer?: TrainSettings['optimizer'] | undefined;
  readonly schedule?: TrainSettings['schedule'] | undefined;
  readonly augment?: number | undefined;
}

/** What {@link trainModel} produced. */
export interface TrainedModel {
  readonly net: NeuralNetwork;
  readonly settings: TrainSettings;
  readonly result: TrainResult;
  /** Settings chosen from the data: the fit, for its validation score and epoch count. */
  readonly fit?: AutoFitResult;
  /** Lines for the user after training: the validation score against the baseline, a warning. */
  readonly notes: readonly string[];
}

/** Progress hooks, plus what will be trained, in words, before it is. */
export interface TrainModelHooks extends TrainHooks {
  /** Settings chosen from the data: what was chosen and why. */
  readonly onPlan?: (reason: string) => void;
  /** Hand-set settings: the network and its training settings. */
  readonly onDescribe?: (line: string, net: NeuralNetwork) => void;
}

/**
 * `--data` tables train with settings chosen from the data (autoFit) unless an option only the
 * hand-set path has is given: an optimizer, loss, output activation, schedule or augmentation.
 */
export function choosesFromData(o: TrainChoices): boolean {
  return (
    o.data !== undefined &&
    o.optimizer === undefined &&
    o.loss === undefined &&
    o.outputActivation === undefined &&
    o.schedule === undefined &&
    o.augment === undefined
  );
}

/** The hand-set path's settings: the user's options over the dataset's defaults. */
export function settingsFrom(opts: TrainChoices, data: PreparedData, backend: string): TrainSettings {
  const d = defaultsFor(opts.data !== undefined ? undefined : (opts.dataset ?? 'mnist'));
  const out = outputFor(data.preprocessing, data.train.y.cols);
  return {
    hidden: opts.layers ?? d.hidden,
    activation: opts.activation ?? d.activation,
    outputActivation: opts.outputActivation ?? out.outputActivation,
    loss: opts.loss ?? out.loss,
    optimizer: opts.optimizer ?? d.optimizer,
    learningRate: opts.lr ?? d.learningRate,
    schedule: opts.schedule ?? d.schedule,
    epochs: opts.epochs ?? d.epochs,
    batchSize: opts.batchSize ?? d.batchSize,
    valSplit: opts.valSplit ?? d.valSplit,
    earlyStop: opts.earlyStop ?? d.earlyStop,
    dropout: opts.dropout ?? d.dropout,
    weightDecay: opts.weightDecay ?? d.weightDecay,
    augment: Math.min(MAX_SHIFTS, opts.augment ?? d.augment),
    classWeight: opts.classWeight ?? 'none',
    seed: opts.seed,
    backend,
  };
}

/**
 * The settings {@link trainModel} will use on `data`, without training: the chosen-from-the-data
 * plan (as `autoFit` would choose it for these rows) or the hand-set settings. `epochs` is the
 * most epochs a run may take (early stopping may end it sooner).
 */
export function plannedSettings(
  opts: TrainChoices,
  data: PreparedData,
  backend: string,
): Pick<TrainSettings, 'hidden' | 'learningRate' | 'weightDecay' | 'batchSize' | 'activation' | 'dropout' | 'epochs'> {
  if (!choosesFromData(opts)) return settingsFrom(opts, data, backend);
  const p = planTraining(
    {
      rows: data.train.x.rows,
      inputs: data.train.x.cols,
      outputs: data.train.y.cols,
      task: data.preprocessing.task,
    },
    {
      ...(opts.layers === undefined ? {} : { hidden: opts.layers }),
      ...(opts.activation === undefined ? {} : { activation: opts.activation }),
      ...(opts.lr === undefined ? {} : { learningRate: opts.lr }),
      ...(opts.weightDecay === undefined ? {} : { weightDecay: opts.weightDecay }),
      ...(opts.epochs === undefined ? {} : { maxEpochs: opts.epochs }),
      ...(opts.batchSize === undefined ? {} : { batchSize: opts.batchSize }),
      ...(opts.dropout === undefined ? {} : { dropout: opts.dropout }),
    },
  );
  return { ...p, epochs: p.maxEpochs };
}

/**
 * Trains a network on prepared data as `neurite train` does and scores it on the data's test part
 * (or its training rows when there is none).
 */
export async function trainModel(
  data: PreparedData,
  opts: TrainChoices,
  backend: string,
  hooks: TrainModelHooks = {},
): Promise<TrainedModel> {
  if (opts.classWeight === 'balanced' && data.preprocessing.task !== 'classification') {
    throw new UsageError(
      '--class-weight balanced weighs classes, but the target is a regression target; leave it out (or use --task classification)',
    );
  }
  if (choosesFromData(opts)) {
    const auto = await runAutoTraining(data, opts, backend, hooks);
    return { ...auto, notes: describeAutoFit(auto.fit, data.train.x.rows) };
  }
  const settings = settingsFrom(opts, data, backend);
  const net = buildNetwork(data, settings);
  hooks.onDescribe?.(
    `network ${[net.inputSize, ...settings.hidden, net.outputSize].join('-')} ${settings.activation}/${settings.outputActivation}, ${settings.loss}, ${settings.optimizer} lr ${String(settings.learningRate)}, backend ${net.backend.name}`,
    net,
  );
  return { net, settings, result: await runTraining(net, data, settings, hooks), notes: [] };
}
