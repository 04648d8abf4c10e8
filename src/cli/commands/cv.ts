import type { Command } from 'commander';
import { crossValidate } from '../../select/index.js';
import { EXIT_INTERRUPTED } from '../errors.js';
import {
  addSelectionOptions,
  foldRunner,
  runInterruptible,
  startSelection,
  type SelectionOptions,
} from '../model-selection.js';
import { fmt, processIo, type Io } from '../output.js';
import { addDataOptions, addTrainingOptions, type TrainOptions } from './train.js';

/** Options of `neurite cv`. */
export type CvOptions = TrainOptions & SelectionOptions;

/** Registers `neurite cv`. */
export function register(program: Command): void {
  const cmd = program
    .command('cv')
    .description(
      "k-fold cross-validation of train's settings: each fold trains exactly as train does (the preprocessing fitted on that fold's rows only) and is scored on its held-out rows; prints each fold's score, the mean and the standard deviation",
    );
  addSelectionOptions(addTrainingOptions(addDataOptions(cmd)), 5).action(async (opts: CvOptions) => {
    process.exitCode = await cv(opts, processIo);
  });
}

/** Runs `neurite cv`; returns the exit code. */
export async function cv(opts: CvOptions, io: Io): Promise<number> {
  const s = await startSelection(opts, io);
  const { source, scorer, folds } = s;
  const runner = await foldRunner({ opts: s.trainOpts, metric: scorer.name }, opts.workers, folds.length);
  if (!s.json) {
    io.err(
      `cross-validating on ${source.name}: ${String(source.rows)} rows, ${String(folds.length)} ${source.labels === undefined ? '' : 'stratified '}folds, ${scorer.name} (${scorer.greaterIsBetter ? 'higher' : 'lower'} is better)\n`,
    );
  }
  let done = 0;
  const result = await runInterruptible(s, runner, io, 'stopping', (signal) =>
    crossValidate({
      folds,
      runner,
      seed: opts.seed,
      signal,
      onFold: (f, score) => {
        done++;
        if (!s.json) io.err(`fold ${String(f + 1)} done (${String(done)}/${String(folds.length)}): ${fmt(score)}\n`);
      },
    }),
  );
  if (result === 'aborted') return EXIT_INTERRUPTED;
  if (s.json) {
    io.out(
      `${JSON.stringify({ metric: scorer.name, folds: result.folds.map((f) => ({ score: f.score })), mean: result.mean, std: result.std })}\n`,
    );
    return 0;
  }
  result.folds.forEach((f, i) => {
    io.out(
      `fold ${String(i + 1)}: ${scorer.name} ${fmt(f.score)} (${String(f.trainRows)} training rows, ${String(f.testRows)} held out)\n`,
    );
  });
  io.out(
    `${scorer.name}: mean ${fmt(result.mean)}, std ${fmt(result.std)} over ${String(result.folds.length)} folds\n`,
  );
  return 0;
}
