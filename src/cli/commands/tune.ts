import { Option, type Command } from 'commander';
import { NeuriteError } from '../../index.js';
import {
  SEARCH_STRATEGIES,
  rankTrials,
  tune as search,
  type Params,
  type SearchSpace,
  type Trial,
  type TuneResult,
} from '../../select/index.js';
import { prepareBackend } from '../backend.js';
import { EXIT_INTERRUPTED } from '../errors.js';
import { paramsToOptions, rawDataOptions } from '../fold-trial.js';
import {
  addSelectionOptions,
  foldRunner,
  foldsFor,
  trainOptionsOf,
  withoutTestSplit,
  type SelectionOptions,
} from '../model-selection.js';
import { intArg, outputFileArg } from '../options.js';
import { describeCsvRead } from '../csv-options.js';
import { fmt, processIo, textTable, type Io } from '../output.js';
import { foldMetric } from '../scoring.js';
import { onInterrupt } from '../signals.js';
import { addDataOptions, prepareDataFor, settingsFrom, train, type TrainOptions } from './train.js';

/** Options of `neurite tune`. */
export type TuneOptions = TrainOptions &
  SelectionOptions & { trials: number; strategy: 'random' | 'halving'; epochs?: number };

/**
 * What `tune` searches: hidden layers (`depth` × `width`), Adam's learning rate (log-uniform),
 * L2 weight decay, batch size, activation and dropout. Epochs are the budget that successive
 * halving grows, up to train's epochs (or `--epochs`).
 */
export const TUNE_SPACE: SearchSpace = {
  width: [16, 32, 64, 128],
  depth: [1, 2, 3],
  learningRate: { min: 3e-4, max: 3e-2, log: true },
  weightDecay: [0, 1e-5, 1e-4, 1e-3, 1e-2],
  batchSize: [16, 32, 64],
  activation: ['relu', 'tanh', 'gelu'],
  dropout: [0, 0.1, 0.2, 0.3],
};

/** Registers `neurite tune`. */
export function register(program: Command): void {
  const cmd = program
    .command('tune')
    .description(
      "hyper-parameter search scored by cross-validation (successive halving or random search over layers, learning rate, weight decay, batch size, activation and dropout; the first candidate is train's defaults), trials run on worker threads; prints a leaderboard, then refits the best on all the training rows and writes the model",
    );
  addSelectionOptions(addDataOptions(cmd), 3)
    .option('--trials <n>', 'candidates to try (the first is train’s default settings)', intArg(1), 20)
    .addOption(
      new Option(
        '--strategy <name>',
        'halving: many candidates on few epochs, the best third on 3x more, …; random: all at full epochs',
      )
        .choices(SEARCH_STRATEGIES)
        .default('halving'),
    )
    .option('--epochs <n>', 'epochs of the last round and of the refit (default: train’s)', intArg(1))
    .option(
      '--out <file>',
      'model file to write',
      outputFileArg('--out', 'the model file is always written'),
      'model.json',
    )
    .option(
      '--report <file>',
      'HTML report of the refit (skip it with --no-report)',
      outputFileArg('--report', 'use --no-report to skip the report'),
      'report.html',
    )
    .option('--no-report', 'do not write a report')
    .action(async (opts: TuneOptions, command: Command) => {
      process.exitCode = await tune(opts, processIo, command.optsWithGlobals<{ verbose?: boolean }>().verbose === true);
    });
}

/** Train's default settings as search parameters: the first candidate. */
function defaultParams(opts: TrainOptions, data: ReturnType<typeof prepareDataFor>): Params {
  const s = settingsFrom(opts, data, opts.backend);
  return {
    hidden: s.hidden.join(','),
    learningRate: s.learningRate,
    weightDecay: s.weightDecay,
    batchSize: s.batchSize,
    activation: s.activation,
    dropout: s.dropout,
  };
}

function describeParams(p: Params): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`)
    .join(' ');
}

/** Every trial, the last round's first: rank, round, score ± std, parameters. */
function leaderboard(result: TuneResult, greater: boolean, limit = 15): string {
  const rounds = result.rounds.length;
  const ordered = Array.from({ length: rounds }, (_, r) =>
    rankTrials(
      result.trials.filter((t) => t.round === rounds - 1 - r),
      greater,
    ),
  ).flat();
  const rows = ordered
    .slice(0, limit)
    .map((t: Trial, i) => [String(i + 1), String(t.round + 1), fmt(t.score), fmt(t.std), describeParams(t.params)]);
  const more = ordered.length > limit ? `\n… ${String(ordered.length - limit)} more (see --json)` : '';
  return `${textTable([['rank', 'round', 'score', 'std', 'parameters'], ...rows])}${more}\n`;
}

/** Runs `neurite tune`; returns the exit code. */
export async function tune(options: TuneOptions, io: Io, verbose: boolean): Promise<number> {
  const opts = withoutTestSplit(options);
  await prepareBackend(opts.backend, 1, io);
  const data = prepareDataFor(rawDataOptions(opts));
  const metric = foldMetric(opts.metric, data.preprocessing.task);
  const folds = foldsFor(data, opts.folds, opts.seed);
  const json = opts.json === true;
  const trainOpts = trainOptionsOf(opts);
  const maxEpochs = settingsFrom(trainOpts, data, opts.backend).epochs;
  const runner = await foldRunner({ opts: trainOpts, metric: metric.name }, opts.workers, opts.trials * folds.length);
  if (!json) {
    if (data.csvRead !== undefined) io.err(`${describeCsvRead(data.csvRead)}\n`);
    io.err(
      `tuning on ${data.name}: ${String(data.train.x.rows)} rows, ${String(opts.trials)} candidates, ${opts.strategy} search up to ${String(maxEpochs)} epochs, ${String(folds.length)}-fold ${metric.name}\n`,
    );
  }
  const controller = new AbortController();
  const release = onInterrupt(() => {
    if (!json) io.err('\ninterrupted: stopping the search; no model is written…\n');
    controller.abort();
  });
  let result: TuneResult;
  try {
    result = await search({
      space: TUNE_SPACE,
      start: [defaultParams(trainOpts, data)],
      folds,
      runner,
      trials: opts.trials,
      strategy: opts.strategy,
      budget: { name: 'epochs', max: maxEpochs },
      greaterIsBetter: metric.greaterIsBetter,
      seed: opts.seed,
      signal: controller.signal,
      onRound: (r) => {
        if (!json)
          io.err(
            `round ${String(r.round + 1)}: ${String(r.candidates)} candidates × ${String(folds.length)} folds at ${String(r.budget)} epochs\n`,
          );
      },
      onTrial: (t) => {
        if (!json) io.err(`  candidate ${String(t.candidate + 1)}: ${metric.name} ${fmt(t.score)} ± ${fmt(t.std)}\n`);
      },
    });
  } catch (e) {
    if (e instanceof NeuriteError && e.code === 'ABORTED') return EXIT_INTERRUPTED;
    throw e;
  } finally {
    release();
    await runner.close();
  }
  if (!json) {
    io.out(leaderboard(result, metric.greaterIsBetter));
    io.out(
      `best: ${metric.name} ${fmt(result.best.score)} ± ${fmt(result.best.std)} with ${describeParams(result.best.params)}\n`,
    );
  }
  // The refit is `neurite train` with the best parameters on all the training rows; its JSON
  // summary is captured to report it in one line.
  if (!json) io.err(`refitting the best on all ${String(data.train.x.rows)} rows…\n`);
  let summary: Record<string, unknown> = {};
  const capture: Io = {
    out: (t) => (summary = JSON.parse(t) as Record<string, unknown>),
    err: (t) => (json ? undefined : io.err(t)),
    isTty: io.isTty,
  };
  const code = await train({ ...trainOpts, ...paramsToOptions(result.best.params), json: true }, capture, verbose);
  if (!json) {
    const files = [summary['model'], summary['report']].filter((f) => typeof f === 'string').join(', ');
    io.out(
      `refit: ${String(summary['epochs'])} epochs on ${String(summary['trainRows'])} rows (${String(summary['valRows'])} for validation); wrote ${files}\n`,
    );
  }
  if (json) {
    const strip = (t: Trial): { params: Params; score: number } => ({ params: t.params, score: t.score });
    io.out(`${JSON.stringify({ metric: metric.name, trials: result.trials.map(strip), best: strip(result.best) })}\n`);
  }
  return code;
}
