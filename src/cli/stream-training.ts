import { statSync } from 'node:fs';
import {
  accuracyScore,
  fitTableStream,
  meanAbsoluteError,
  NeuriteError,
  r2Score,
  rootMeanSquaredError,
  type EpochLogs,
  type StreamSampled,
  type TableModel,
} from '../index.js';
import { describeCsvFormat, openCsvFile, targetTask } from '../data/node/index.js';
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
  ['plot', 'streamed training writes no chart'],
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
    if (opts[key] !== undefined && opts[key] !== false && !(key === 'testSplit' && opts[key] === 0)) {
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
  const history = model.history;
  const seconds = (performance.now() - start) / 1000;
  const scores = info.validation === undefined ? undefined : validationScores(model, info);
  const summary = {
    data,
    streamed: true,
    task: targetTask(model.pipeline.target),
    rows: info.rows,
    sampledRows: info.sampled,
    validationRows: info.validation?.x.rows ?? 0,
    epochs: history?.epochs ?? 0,
    bestEpoch: history?.bestEpoch ?? -1,
    stopReason: history?.stopReason ?? 'completed',
    seconds,
    validation: scores ?? null,
  };
  model.net.metadata = {
    ...model.net.metadata,
    training: { date: new Date().toISOString(), neuriteVersion: neuriteVersion(), history, ...summary },
  };
  writeFileAtomic(opts.out, modelFileText(model.net));
  if (json) io.out(`${JSON.stringify({ ...summary, model: opts.out })}\n`);
  else {
    const score =
      scores === undefined
        ? 'no validation rows'
        : 'accuracy' in scores
          ? `validation accuracy ${pct(scores.accuracy)}`
          : `validation r2 ${fmt(scores.r2)}, rmse ${fmt(scores.rmse)}, mae ${fmt(scores.mae)}`;
    io.out(
      `${summary.stopReason === 'aborted' ? 'stopped' : 'done'} after ${String(summary.epochs)} epochs in ${seconds.toFixed(1)}s (best epoch ${String(summary.bestEpoch + 1)}): ${score}\n`,
    );
    io.out(`wrote ${opts.out} (streamed training writes no report)\n`);
  }
  return summary.stopReason === 'aborted' ? EXIT_INTERRUPTED : 0;
}

type Scores = { accuracy: number } | { r2: number; rmse: number; mae: number };

function validationScores(model: TableModel, info: StreamSampled): Scores | undefined {
  const v = info.validation;
  if (v === undefined) return undefined;
  const predicted = model.net.predictBatch(v.x);
  if (targetTask(model.pipeline.target) === 'classification') return { accuracy: accuracyScore(v.y, predicted) };
  return {
    r2: r2Score(v.y, predicted),
    rmse: rootMeanSquaredError(v.y, predicted),
    mae: meanAbsoluteError(v.y, predicted),
  };
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
