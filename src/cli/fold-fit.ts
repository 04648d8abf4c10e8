/**
 * The fold evaluator of `neurite cv` and `neurite tune`. Each fold is trained the way
 * `neurite train` trains ({@link trainModel}): for a table, the preprocessing pipeline is fitted on
 * the fold's training rows only (imputation, encodings, scaling), then the network; a built-in
 * dataset is standardised with the fold's statistics. The held-out rows are scored with a scorer of
 * `src/metrics`. Loaded in-process for a serial run and by each worker of `trialPool`.
 */
import { NeuriteError, type Matrix, type NeuralNetwork } from '../index.js';
import { applyStandardize, argmax, invertStandardize, standardize, takeRows } from '../data/index.js';
import { getScorer, type Scorer } from '../index.js';
import type { FoldEvaluator, Params } from '../select/index.js';
import { loadOptionalBackends, prepareBackend } from './backend.js';
import { dataRequestOf, type TrainOptions } from './commands/train.js';
import type { CsvReadSummary } from './csv-options.js';
import { preparedTable, prepareTrainingData, tableRequest, type PreparedData, type XY } from './data.js';
import { fitTableParts, readLabelledTable, splitTable } from './table-data.js';
import { trainModel } from './train-model.js';

/** What each evaluator is built from (plain data: it is posted to worker threads). */
export interface FoldTrialData {
  /** The command's options: the data to read and the fixed training settings. */
  readonly opts: TrainOptions;
  /** Scorer name (`SCORERS` of src/metrics), already checked against the task. */
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
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as Partial<TrainOptions>;
}

/** The rows `cv` and `tune` split into folds, read once; each fold's preprocessing is fitted on demand. */
export interface FoldSource {
  readonly name: string;
  readonly task: 'classification' | 'regression';
  /** How many rows the folds split (the command's training rows). */
  readonly rows: number;
  /** Classification: each row's class, for stratified folds. */
  readonly labels?: Int32Array;
  /** `--data`: what reading the file found. */
  readonly csvRead?: CsvReadSummary;
  /** The data of one fold: preprocessing fitted on the rows `train` only, the rows `test` held out. */
  fold(train: Int32Array, test: Int32Array): PreparedData;
  /** Every row, preprocessed as `train` would (what the default settings are chosen from). */
  all(): PreparedData;
}

const pick = (from: Int32Array, idx: Int32Array): Int32Array => idx.map((i) => from[i] as number);

/** Reads the data the options name, for fold-by-fold preprocessing. */
export function foldSource(opts: TrainOptions): FoldSource {
  const request = dataRequestOf(opts);
  // A built-in dataset; or a usage error (no --target, both --data and --dataset), reported as train reports it.
  if (opts.data === undefined || opts.dataset !== undefined || opts.target === undefined || opts.target.length === 0)
    return datasetSource(opts, prepareTrainingData({ ...request, standardize: false }));
  const req = tableRequest(request, opts.data);
  const table = readLabelledTable(req);
  const { trainIdx } = splitTable(table, req);
  const classification = table.target.kind !== 'values';
  const all = (): PreparedData => preparedTable(fitTableParts(table, trainIdx, new Int32Array(0), req));
  return {
    name: all().name,
    task: classification ? 'classification' : 'regression',
    rows: trainIdx.length,
    ...(classification ? { labels: pick(argmax(table.y), trainIdx) } : {}),
    csvRead: table.csvRead,
    fold: (train, test) => preparedTable(fitTableParts(table, pick(trainIdx, train), pick(trainIdx, test), req)),
    all,
  };
}

/** A built-in dataset, read as it is: each fold fits its own standardisation. */
function datasetSource(opts: TrainOptions, raw: PreparedData): FoldSource {
  const task = raw.preprocessing.task;
  const doStd = opts.standardize !== false && raw.preprocessing.image === undefined;
  return {
    name: raw.name,
    task,
    rows: raw.train.x.rows,
    ...(task === 'classification' ? { labels: argmax(raw.train.y) } : {}),
    fold: (train, test) => datasetFold(raw, train, test, doStd),
    all: () =>
      datasetFold(
        raw,
        Int32Array.from({ length: raw.train.x.rows }, (_, i) => i),
        new Int32Array(0),
        doStd,
      ),
  };
}

function datasetFold(all: PreparedData, train: Int32Array, test: Int32Array, doStd: boolean): PreparedData {
  const pre = all.preprocessing;
  const part = (rows: Int32Array): XY => ({ x: takeRows(all.train.x, rows), y: takeRows(all.train.y, rows) });
  const fit = part(train);
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
    ...(test.length > 0 ? { test: tx(part(test)) } : {}),
    dropped: 0,
  };
}

/**
 * The held-out rows' score: targets and predictions in the targets' units (a regression
 * target's standardisation undone), class probabilities for classification. NaN when the
 * predictions are not finite (a diverged run).
 */
export function scoreHeldOut(scorer: Scorer, net: NeuralNetwork, data: PreparedData): number {
  const test = data.test as XY;
  const ts = data.preprocessing.targetStandardize;
  const units = (m: Matrix): Matrix => (ts === null ? m : invertStandardize(m, ts));
  try {
    return scorer.score(units(test.y), units(net.predictBatch(test.x)));
  } catch (e) {
    if (e instanceof NeuriteError && e.code === 'NON_FINITE') return NaN;
    throw e;
  }
}

/**
 * Builds the evaluator: reads the data once, then per job fits the fold's preprocessing, trains as
 * `train` does with the options plus the job's hyper-parameters, and scores the held-out rows
 * (NaN when the loss diverged).
 */
export async function createEvaluator(data: FoldTrialData): Promise<FoldEvaluator> {
  await loadOptionalBackends();
  // One wasm thread per evaluator: parallelism comes from running several evaluators.
  const backend = await prepareBackend(data.opts.backend, 1, {
    out: () => undefined,
    err: () => undefined,
    isTty: false,
  });
  const source = foldSource(data.opts);
  const scorer = getScorer(data.metric);
  return async (job) => {
    const fold = source.fold(job.train, job.test);
    try {
      const { net } = await trainModel(fold, { ...data.opts, ...paramsToOptions(job.params), seed: job.seed }, backend);
      return scoreHeldOut(scorer, net, fold);
    } catch (e) {
      if (e instanceof NeuriteError && e.code === 'NON_FINITE') return NaN;
      throw e;
    }
  };
}
