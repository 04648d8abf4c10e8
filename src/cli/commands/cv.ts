import type { Command } from 'commander';
import { NeuriteError } from '../../index.js';
import { crossValidate, type CrossValidation } from '../../select/index.js';
import { prepareBackend } from '../backend.js';
import { EXIT_INTERRUPTED } from '../errors.js';
import { rawDataOptions } from '../fold-trial.js';
import {
  addSelectionOptions,
  foldRunner,
  foldsFor,
  trainOptionsOf,
  withoutTestSplit,
  type SelectionOptions,
} from '../model-selection.js';
import { describeCsvRead } from '../csv-options.js';
import { fmt, processIo, type Io } from '../output.js';
import { foldMetric } from '../scoring.js';
import { onInterrupt } from '../signals.js';
import { addDataOptions, addTrainingOptions, prepareDataFor, type TrainOptions } from './train.js';

/** Options of `neurite cv`. */
export type CvOptions = TrainOptions & SelectionOptions;

/** Registers `neurite cv`. */
export function register(program: Command): void {
  const cmd = program
    .command('cv')
    .description(
      "k-fold cross-validation of train's settings: trains once per fold (preprocessing fitted on that fold's rows only) and prints each fold's score, the mean and the standard deviation",
    );
  addSelectionOptions(addTrainingOptions(addDataOptions(cmd)), 5).action(async (opts: CvOptions) => {
    process.exitCode = await cv(opts, processIo);
  });
}

/** Runs `neurite cv`; returns the exit code. */
export async function cv(options: CvOptions, io: Io): Promise<number> {
  const opts = withoutTestSplit(options);
  await prepareBackend(opts.backend, 1, io);
  const data = prepareDataFor(rawDataOptions(opts));
  const metric = foldMetric(opts.metric, data.preprocessing.task);
  const folds = foldsFor(data, opts.folds, opts.seed);
  const json = opts.json === true;
  const trainOpts = trainOptionsOf(opts);
  const runner = await foldRunner({ opts: trainOpts, metric: metric.name }, opts.workers, folds.length);
  if (!json) {
    if (data.csvRead !== undefined) io.err(`${describeCsvRead(data.csvRead)}\n`);
    io.err(
      `cross-validating on ${data.name}: ${String(data.train.x.rows)} rows, ${String(folds.length)} ${data.preprocessing.task === 'classification' ? 'stratified ' : ''}folds, ${metric.name} (${metric.greaterIsBetter ? 'higher' : 'lower'} is better)\n`,
    );
  }
  const controller = new AbortController();
  const release = onInterrupt(() => {
    if (!json) io.err('\ninterrupted: stopping…\n');
    controller.abort();
  });
  let result: CrossValidation;
  let done = 0;
  try {
    result = await crossValidate({
      folds,
      runner,
      seed: opts.seed,
      signal: controller.signal,
      onFold: (f, score) => {
        done++;
        if (!json) io.err(`fold ${String(f + 1)} done (${String(done)}/${String(folds.length)}): ${fmt(score)}\n`);
      },
    });
  } catch (e) {
    if (e instanceof NeuriteError && e.code === 'ABORTED') return EXIT_INTERRUPTED;
    throw e;
  } finally {
    release();
    await runner.close();
  }
  if (json) {
    io.out(
      `${JSON.stringify({ metric: metric.name, folds: result.folds.map((f) => ({ score: f.score })), mean: result.mean, std: result.std })}\n`,
    );
    return 0;
  }
  result.folds.forEach((f, i) => {
    io.out(
      `fold ${String(i + 1)}: ${metric.name} ${fmt(f.score)} (${String(f.trainRows)} training rows, ${String(f.testRows)} held out)\n`,
    );
  });
  io.out(
    `${metric.name}: mean ${fmt(result.mean)}, std ${fmt(result.std)} over ${String(result.folds.length)} folds\n`,
  );
  return 0;
}
