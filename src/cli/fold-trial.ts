/**
 * The fold evaluator of `neurite cv` and `neurite tune`: trains as `neurite train` would, with the
 * given options and a trial's hyper-parameters, on one fold's training rows, and scores the
 * held-out rows. Standardisation (inputs, and a regression target) is fitted on the fold's
 * training rows only. Loaded in-process for a serial run and by each worker of `trialPool`.
 */
import { NeuriteError, type NeuralNetwork } from '../index.js';
import { applyStandardize, invertStandardize, standardize, takeRows } from '../data/index.js';
import type { FoldEvaluator, Params } from '../select/index.js';
import { loadOptionalBackends, prepareBackend } from './backend.js';
import { prepareDataFor, settingsFrom, type TrainOptions } from './commands/train.js';
import type { PreparedData, XY } from './data.js';
import { foldMetric } from './scoring.js';
import { buildNetwork, runTraining } from './training.js';

/** What each evaluator is built from (plain data: it is posted to worker threads). */
export interface FoldTrialData {
  /** The command's options: the data to read and the fixed training settings. */
  readonly opts: TrainOptions;
  /** Metric name (see `FOLD_METRICS`). */
  readonly metric: string;
}

/**
 * The `train` options a trial's hyper-parameters stand for: `hidden` (`'32,16'`) or `depth` layers of
 * `width` units, `learningRate`, `weightDecay`, `batchSize`, `dropout`, `epochs`, `activation`.
 */
export function paramsToOptions(p: Params): Partial<TrainOptions> {
  const num = (k: string): number | undefined => (typeof p[k] === 'number' ? p[k] : undefined);
  const width = num('width');
  const depth = num('depth');
  const hidden =
    typeof p['hidden'] === 'string'
      ? p['hidden']
          .split(',')
          .filter((v) => v !== '')
          .map(Number)
      : undefined;
  const activation = typeof p['activation'] === 'string' ? (p['activation'] as TrainOptions['activation']) : undefined;
  const entries: [keyof TrainOptions, unknown][] = [
    [
      'layers',
      hidden ??
        (width === undefined && depth === undefined ? undefined : new Array<number>(depth ?? 1).fill(width ?? 32)),
    ],
    ['lr', num('learningRate')],
    ['weightDecay', num('weightDecay')],
    ['batchSize', num('batchSize')],
    ['dropout', num('dropout')],
    ['epochs', num('epochs')],
    ['activation', activation],
  ];
  const out = Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as Partial<TrainOptions>;
  return out;
}

/** The options with the data read as it is, so each fold can fit its own standardisation. */
export function rawDataOptions(opts: TrainOptions): TrainOptions {
  return { ...opts, standardize: false };
}

function foldData(all: PreparedData, train: Int32Array, test: Int32Array, doStd: boolean): PreparedData {
  const pre = all.preprocessing;
  // The prepared targets are standardised with the whole part's statistics; undo that first.
  const rawY = pre.targetStandardize === null ? all.train.y : invertStandardize(all.train.y, pre.targetStandardize);
  const part = (rows: Int32Array): XY => ({ x: takeRows(all.train.x, rows), y: takeRows(rawY, rows) });
  const fit = part(train);
  const held = part(test);
  const stats = doStd ? standardize(fit.x) : null;
  const tStats = pre.task === 'regression' ? standardize(fit.y) : null;
  const tx = (xy: XY): XY => ({
    x: stats === null ? xy.x : applyStandardize(xy.x, stats),
    y: tStats === null ? xy.y : applyStandardize(xy.y, tStats),
  });
  return {
    name: all.name,
    preprocessing: { ...pre, standardize: stats, targetStandardize: tStats },
    train: tx(fit),
    test: tx(held),
    dropped: 0,
  };
}

/** Outputs in the targets' units: regression predictions with the target standardisation undone. */
function predictions(net: NeuralNetwork, data: PreparedData, x: XY['x']): XY['y'] {
  const out = net.predictBatch(x);
  const ts = data.preprocessing.targetStandardize;
  return ts === null ? out : invertStandardize(out, ts);
}

/**
 * Builds the evaluator: reads the data once, then per job trains on the fold's rows with the
 * options plus the job's hyper-parameters and returns the metric on the held-out rows (NaN when
 * the loss diverged).
 */
export async function createEvaluator(data: FoldTrialData): Promise<FoldEvaluator> {
  await loadOptionalBackends();
  // One wasm thread per evaluator: parallelism comes from running several evaluators.
  const backend = await prepareBackend(data.opts.backend, 1, {
    out: () => undefined,
    err: () => undefined,
    isTty: false,
  });
  const all = prepareDataFor(rawDataOptions(data.opts));
  const metric = foldMetric(data.metric, all.preprocessing.task);
  const doStd = data.opts.standardize !== false && all.preprocessing.image === undefined;
  return async (job) => {
    const fold = foldData(all, job.train, job.test, doStd);
    const s = settingsFrom({ ...data.opts, ...paramsToOptions(job.params), seed: job.seed }, fold, backend);
    const net = buildNetwork(fold, s);
    try {
      await runTraining(net, fold, s);
    } catch (e) {
      if (e instanceof NeuriteError && e.code === 'NON_FINITE') return NaN;
      throw e;
    }
    const test = fold.test as XY;
    const truth =
      fold.preprocessing.targetStandardize === null
        ? test.y
        : invertStandardize(test.y, fold.preprocessing.targetStandardize);
    return metric.score(truth, predictions(net, fold, test.x));
  };
}
