import { statSync } from 'node:fs';
import {
  fitTableStream,
  NeuriteError,
  type EpochLogs,
  type History,
  type StreamSampled,
  type TableModel,
} from '../index.js';
import { lossChartSvg } from '../report/html.js';
import { pipelinePreprocessing } from './preprocessing.js';
import type { Scorecard } from './scorecard.js';
import { score } from './training.js';
import { streamedTrainReport } from './train-report.js';
import { describeCsvFormat, openCsvFile } from '../data/node/index.js';
import { writeFileAtomic } from '../node/fs-atomic.js';
import { csvReadOptions } from './csv-options.js';
import { modelFileText } from './model-file.js';
import { fmt, pct, type Io } from './output.js';
import { onInterrupt } from './signals.js';
import { EXIT_INTERRUPTED } from './errors.js';
import { neuriteVersion } from './version.js';
import type { TrainOptions } from './commands/train.js';

/** Files at least this large are streamed by `train` unless `--no-stream` says otherwise. */
export const STREAM_AUTO_BYTES = 256 << 20;

/** Options of `train` that streamed training cannot honour, with why. */
const NOT_STREAMED: readonly [keyof TrainOptions, string][] = [
  ['testSplit', 'hold out a test file instead and score it with neurite evaluate'],
  ['dataset', 'built-in datasets fit in memory'],
  ['augment', 'augmentation is for image datasets'],
  ['schedule', 'streamed training has no learning-rate schedule yet'],
  ['limit', 'use head to cut the file'],
  ['dropInvalid', 'missing cells are imputed'],
  ['classWeight', 'streamed training has no class weights yet; --no-stream trains in memory with them'],
];

/** Whether `train --data FILE` streams: `--stream`, or a file of {@link STREAM_AUTO_BYTES} or more unless `--no-stream`. */
export function streams(opts: TrainOptions): boolean {
  if (opts.data === undefined || opts.stream === false) return false;
  if (opts.stream === true) return true;
  try {
    return statSync(opts.data).size >= STREAM_AUTO_BYTES;
  } catch {
    return false; // the in-memory reader reports a missing file
  }
}

/**
 * `neurite train --data FILE --stream`: trains from the file read piece by piece
 * (`fitTableStream`), so memory stays bounded whatever the file size, and scores the held-out rows.
 */
export async function trainStreaming(opts: TrainOptions, io: Io): Promise<number> {
  const data = opts.data as string;
  for (const [key, why] of NOT_STREAMED) {
    const off =
      opts[key] === false ||
      (key === 'testSplit' && opts[key] === 0) ||
      (key === 'classWeight' && opts[key] === 'none');
    if (opts[key] !== undefined && !off) {
      throw new NeuriteError('INVALID_OPTION', `--${kebab(key)} does not apply to streamed training (${why})`);
    }
  }
  if (opts.target === undefined || opts.target.length === 0) {
    throw new NeuriteError('INVALID_OPTION', '--data needs --target: the column(s) to predict');
  }
  const json = opts.json === true;
  const say = (line: string): void => {
    if (!json) io.err(`${line}\n`);
  };
  const start = performance.now();
  const csv = await openCsvFile(data, csvReadOptions(opts));
  say(
    `streaming ${data} (${describeCsvFormat(csv.format)}, ${String(csv.columns.length)} columns): a first pass samples the rows`,
  );
  const controller = new AbortController();
  const release = onInterrupt(() => {
    say('\ninterrupted: stopping after this piece, then saving the model…');
    controller.abort();
  });
  let sampled: StreamSampled | undefined;
  let model: TableModel;
  try {
    model = await fitTableStream(csv, {
      target: opts.target,
      seed: opts.seed,
      ...(opts.features === undefined ? {} : { features: opts.features }),
      ...(opts.exclude === undefined ? {} : { exclude: opts.exclude }),
      ...(opts.impute === undefined ? {} : { impute: opts.impute }),
      ...(opts.scale === undefined ? {} : { scale: opts.scale }),
      ...(opts.task === undefined ? {} : { task: opts.task }),
      ...(opts.layers === undefined ? {} : { hidden: opts.layers }),
      ...(opts.activation === undefined ? {} : { activation: opts.activation }),
      ...(opts.lr === undefined ? {} : { learningRate: opts.lr }),
      ...(opts.weightDecay === undefined ? {} : { weightDecay: opts.weightDecay }),
      ...(opts.batchSize === undefined ? {} : { batchSize: opts.batchSize }),
      ...(opts.epochs === undefined ? {} : { epochs: opts.epochs }),
      ...(opts.earlyStop === undefined ? {} : { patience: opts.earlyStop }),
      ...(opts.valSplit === undefined ? {} : { validationFraction: opts.valSplit }),
      backend: opts.backend,
      signal: controller.signal,
      onSampled: (info) => {
        sampled = info;
        say(
          `${String(info.rows)} rows; preprocessing fitted on ${String(info.sampled)} sampled rows; ${String(info.validation?.x.rows ?? 0)} rows held out`,
        );
        say(`settings chosen for ${info.plan.reason}`);
      },
      onEpochEnd: (e: number, logs: EpochLogs) =>
        say(
          `epoch ${String(e + 1)}: loss ${fmt(logs.loss)}${logs.valLoss === undefined ? '' : `, validation loss ${fmt(logs.valLoss)}`} (${((performance.now() - start) / 1000).toFixed(1)}s)`,
        ),
    });
  } finally {
    release();
  }
  const info = sampled as StreamSampled;
  const history = model.history as History;
  const seconds = (performance.now() - start) / 1000;
  // The held-out targets and the network's outputs are in the pipeline's target units (a regression
  // target scaled by the pipeline, which the preprocessing record inverts), as `score` takes them.
  const pre = pipelinePreprocessing(model.pipeline, { kind: 'csv', file: data, format: csv.format });
  const validation = info.validation;
  const card = validation === undefined ? undefined : score(model.net, pre, validation).scorecard;
  const scores = card === undefined ? undefined : validationScores(card);
  const summary = {
    data,
    streamed: true,
    task: pre.task,
    rows: info.rows,
    sampledRows: info.sampled,
    validationRows: validation?.x.rows ?? 0,
    epochs: history.epochs,
    bestEpoch: history.bestEpoch,
    stopReason: history.stopReason,
    seconds,
    validation: scores ?? null,
  };
  model.net.metadata = {
    ...model.net.metadata,
    training: { date: new Date().toISOString(), neuriteVersion: neuriteVersion(), history, ...summary },
  };
  // Every output in memory first, so a failure leaves no partial files behind.
  const outputs: [string, string][] = [[opts.out, modelFileText(model.net)]];
  if (opts.report !== false) {
    const run = { net: model.net, history, pre, validation, rows: info.rows, sampled: info.sampled, seconds };
    outputs.push([opts.report, await streamedTrainReport({ ...run, plan: info.plan.reason, seed: opts.seed }, data)]);
  }
  if (opts.plot !== undefined) outputs.push([opts.plot, await lossChartSvg(history)]);
  for (const [path, text] of outputs) writeFileAtomic(path, text);
  const written = outputs.map(([p]) => p);
  if (json) {
    io.out(
      `${JSON.stringify({ ...summary, model: opts.out, report: opts.report === false ? null : opts.report, plot: opts.plot ?? null })}\n`,
    );
  } else {
    const score =
      scores === undefined
        ? 'no validation rows'
        : 'accuracy' in scores
          ? `validation accuracy ${pct(scores.accuracy)} (baseline ${pct(scores.baseline)})`
          : `validation r2 ${fmt(scores.r2)}, rmse ${fmt(scores.rmse)}, mae ${fmt(scores.mae)} (baseline rmse ${fmt(scores.baseline)})`;
    io.out(
      `${summary.stopReason === 'aborted' ? 'stopped' : 'done'} after ${String(summary.epochs)} epochs in ${seconds.toFixed(1)}s (best epoch ${String(summary.bestEpoch + 1)}): ${score}\n`,
    );
    io.out(
      `wrote ${written.join(', ')}${opts.report === false ? '' : ' (streamed: scores and baseline on the held-out rows, no test split, no refit)'}\n`,
    );
  }
  return summary.stopReason === 'aborted' ? EXIT_INTERRUPTED : 0;
}

type Scores = { accuracy: number; baseline: number } | { r2: number; rmse: number; mae: number; baseline: number };

/** The summary's validation scores, in the targets' units, with the baseline's (accuracy or RMSE). */
function validationScores(card: Scorecard): Scores | undefined {
  if (card.classification !== undefined)
    return { accuracy: card.classification.accuracy, baseline: card.baseline.classification?.accuracy ?? NaN };
  const r = card.regression;
  if (r === undefined) return undefined;
  return { r2: r.r2, rmse: r.rmse, mae: r.mae, baseline: card.baseline.regression?.rmse ?? NaN };
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
