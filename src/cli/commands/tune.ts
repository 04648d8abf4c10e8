import { Option, type Command } from 'commander';
import {
  SEARCH_STRATEGIES,
  rankTrials,
  tune as search,
  type Params,
  type SearchSpace,
  type Trial,
  type TuneResult,
} from '../../select/index.js';
import { EXIT_INTERRUPTED } from '../errors.js';
import { paramsToOptions } from '../fold-fit.js';
import {
  addSelectionOptions,
  foldRunner,
  redisFoldRunner,
  runInterruptible,
  type RemoteOptions,
  startSelection,
  type SelectionOptions,
} from '../model-selection.js';
import { classWeightOption, intArg } from '../options.js';
import { fmt, processIo, textTable, type Io } from '../output.js';
import { plannedSettings } from '../train-model.js';
import { addDataOptions, addOutputOptions, train, type TrainOptions } from './train.js';

/** Options of `neurite tune`. */
export type TuneOptions = TrainOptions &
  SelectionOptions &
  RemoteOptions & { trials: number; strategy: 'random' | 'halving'; epochs?: number };

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
  addOutputOptions(addSelectionOptions(addDataOptions(cmd), 3))
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
      '--redis <url>',
      'run the trials on `neurite worker` processes through Redis (redis:// or rediss://); each worker needs the --data file at the same absolute path, checked by SHA-256',
    )
    .option('--queue <name>', 'queue the workers take trials from (default neurite-tune)')
    .option('--run <name>', 'run name in Redis (default: from the data and settings, so rerunning resumes)')
    .addOption(classWeightOption())
    .action(async (opts: TuneOptions, command: Command) => {
      process.exitCode = await tune(opts, processIo, command.optsWithGlobals<{ verbose?: boolean }>().verbose === true);
    });
}

/** What `train` would train with on every row, as search parameters: the first candidate. */
function defaultParams(s: ReturnType<typeof plannedSettings>): Params {
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
export async function tune(opts: TuneOptions, io: Io, verbose: boolean): Promise<number> {
  const sel = await startSelection(opts, io);
  const { source, scorer, folds, trainOpts, json } = sel;
  const planned = plannedSettings(trainOpts, source.all(), opts.backend);
  const maxEpochs = planned.epochs;
  const data = { opts: trainOpts, metric: scorer.name };
  const { redis } = opts;
  const runner =
    redis === undefined
      ? await foldRunner(data, opts.workers, opts.trials * folds.length)
      : await redisFoldRunner({ ...opts, redis }, data, [opts.trials, opts.strategy, opts.folds, maxEpochs]);
  if (!json) {
    io.err(
      `tuning on ${source.name}: ${String(source.rows)} rows, ${String(opts.trials)} candidates, ${opts.strategy} search up to ${String(maxEpochs)} epochs, ${String(folds.length)}-fold ${scorer.name}${redis === undefined ? '' : ', trials on Redis workers'}\n`,
    );
  }
  const result = await runInterruptible(sel, runner, io, 'stopping the search; no model is written', async (signal) => {
    const found = await search({
      space: TUNE_SPACE,
      start: [defaultParams(planned)],
      folds,
      runner,
      trials: opts.trials,
      strategy: opts.strategy,
      budget: { name: 'epochs', max: maxEpochs },
      greaterIsBetter: scorer.greaterIsBetter,
      seed: opts.seed,
      signal,
      onRound: (r) => {
        if (!json)
          io.err(
            `round ${String(r.round + 1)}: ${String(r.candidates)} candidates × ${String(folds.length)} folds at ${String(r.budget)} epochs\n`,
          );
      },
      onTrial: (t) => {
        if (!json) io.err(`  candidate ${String(t.candidate + 1)}: ${scorer.name} ${fmt(t.score)} ± ${fmt(t.std)}\n`);
      },
    });
    // Finished: a Redis run's keys go (an interrupted or failed one keeps them, so rerunning resumes).
    if (redis !== undefined) await runner.close({ removeRun: true });
    return found;
  });
  if (result === 'aborted') return EXIT_INTERRUPTED;
  if (!json) {
    io.out(leaderboard(result, scorer.greaterIsBetter));
    io.out(
      `best: ${scorer.name} ${fmt(result.best.score)} ± ${fmt(result.best.std)} with ${describeParams(result.best.params)}\n`,
    );
  }
  // The refit is `neurite train` with the best parameters on all the training rows; its JSON
  // summary is captured to report it in one line.
  if (!json) io.err(`refitting the best on all ${String(source.rows)} rows…\n`);
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
    io.out(`${JSON.stringify({ metric: scorer.name, trials: result.trials.map(strip), best: strip(result.best) })}\n`);
  }
  return code;
}
