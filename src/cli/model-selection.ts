import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { NeuriteError } from '../index.js';
import { kFold, stratifiedKFold, type Fold } from '../data/index.js';
import { SCORERS, getScorer, type Scorer } from '../index.js';
import { trialRunner, type TrialPool, type TrialRunner } from '../select/node.js';
import type { TrainOptions } from './commands/train.js';
import { describeCsvRead } from './csv-options.js';
import { UsageError } from './errors.js';
import { foldSource, type FoldSource, type FoldTrialData } from './fold-fit.js';
import { intArg } from './options.js';
import type { Io } from './output.js';
import { prepareBackend } from './backend.js';
import { onInterrupt } from './signals.js';

/** Options `cv` and `tune` add to train's data options. */
export interface SelectionOptions {
  folds: number;
  metric?: string;
  workers?: number;
  json?: boolean;
}

const DEFAULT_METRIC = { classification: 'accuracy', regression: 'r2' } as const;

/** Adds `--folds`, `--metric`, `--workers` and `--json`. */
export function addSelectionOptions(cmd: Command, defaultFolds: number): Command {
  const names = (task: Scorer['task']): string =>
    SCORERS.filter((s) => s.task === task)
      .map((s) => s.name)
      .join(', ');
  return cmd
    .option('--folds <k>', 'cross-validation folds (stratified for classification)', intArg(2), defaultFolds)
    .option(
      '--metric <name>',
      `score to report and rank by; classification: ${names('classification')}; regression: ${names('regression')} (default accuracy or r2)`,
    )
    .option(
      '--workers <n>',
      'worker threads running folds in parallel (default: the cores; 1 runs in-process)',
      intArg(1),
    )
    .option('--json', 'print only the JSON result');
}

/** The scorer `name` of src/metrics for `task` (default accuracy or R²); a usage error naming the choices otherwise. */
export function selectionScorer(name: string | undefined, task: Scorer['task']): Scorer {
  const fits = SCORERS.filter((s) => s.task === task).map((s) => s.name);
  let s: Scorer;
  try {
    s = getScorer(name ?? DEFAULT_METRIC[task]);
  } catch (e) {
    if (e instanceof NeuriteError) {
      throw new UsageError(
        `unknown metric ${JSON.stringify(name)} for a ${task} target; expected one of: ${fits.join(', ')}`,
      );
    }
    throw e;
  }
  if (s.task !== task) {
    throw new UsageError(
      `a ${s.task} metric ${JSON.stringify(name)} for a ${task} target; expected one of: ${fits.join(', ')}`,
    );
  }
  return s;
}

const SELECTION_KEYS = new Set(['folds', 'metric', 'workers', 'json', 'trials', 'strategy', 'redis', 'queue', 'run']);

/** Train's options out of a `cv`/`tune` options object (what each fold trains with). */
export function trainOptionsOf(opts: TrainOptions & SelectionOptions): TrainOptions {
  return Object.fromEntries(Object.entries(opts).filter(([k]) => !SELECTION_KEYS.has(k))) as unknown as TrainOptions;
}

/** The folds of the source's rows: stratified by class for classification. */
export function foldsOf(source: FoldSource, k: number, seed: number): Fold[] {
  return source.labels !== undefined
    ? stratifiedKFold(source.labels, { folds: k, seed })
    : kFold(source.rows, { folds: k, seed });
}

/**
 * The runner for the fold jobs: `workers` threads (default: the machine's cores, at most `jobs`)
 * each loading `fold-fit` with the options, or the same evaluator in-process for one.
 */
export function foldRunner(
  data: FoldTrialData,
  workers: number | undefined,
  jobs: number,
): Promise<TrialRunner & Pick<TrialPool, 'close'>> {
  const count = Math.max(1, Math.min(workers ?? availableParallelism(), jobs));
  return trialRunner({ module: foldFitModule(), data, workers: count });
}

/** Where `--redis` sends the trials. */
export interface RemoteOptions {
  redis?: string;
  queue?: string;
  run?: string;
}

/**
 * The runner for `--redis`: trials go to `neurite worker` processes, which read the same data file
 * (its absolute path and SHA-256 travel with the run) and run this module's fold evaluator.
 * `settings` (the search's own) name the run, so running the same command again resumes it.
 */
export async function redisFoldRunner(
  remote: RemoteOptions & { redis: string },
  data: FoldTrialData,
  settings: unknown,
): Promise<TrialRunner & { close(options?: { removeRun?: boolean }): Promise<void> }> {
  // Loaded only here: the other commands never pay for bullmq and ioredis.
  const { redisTrialRunner } = await import('../redis/index.js');
  const file = data.opts.dataset === undefined && data.opts.data !== undefined ? resolve(data.opts.data) : undefined;
  return redisTrialRunner({
    url: remote.redis,
    data: { ...data, opts: { ...data.opts, ...(file !== undefined ? { data: file } : {}) } },
    files: file !== undefined ? [file] : [],
    settings,
    ...(remote.queue !== undefined ? { queue: remote.queue } : {}),
    ...(remote.run !== undefined ? { run: remote.run } : {}),
  });
}

/** The fold evaluator's module (its `createEvaluator`): fold-fit.ts from source (tests under tsx), .js from the build. */
export function foldFitModule(): URL {
  return new URL(`./fold-fit${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
}

/** What `cv` and `tune` share: the data read once, the scorer, the folds and the options each fold trains with. */
export interface Selection {
  readonly source: FoldSource;
  readonly scorer: Scorer;
  readonly folds: Fold[];
  /** Train's options (a test split defaults to none: folds score instead). */
  readonly trainOpts: TrainOptions;
  readonly json: boolean;
}

/** Reads the data, checks the metric and makes the folds; prints the CSV read line unless `--json`. */
export async function startSelection(opts: TrainOptions & SelectionOptions, io: Io): Promise<Selection> {
  await prepareBackend(opts.backend, 1, io);
  const trainOpts = { ...trainOptionsOf(opts), testSplit: opts.testSplit ?? 0 };
  const source = foldSource(trainOpts);
  const scorer = selectionScorer(opts.metric, source.task);
  const folds = foldsOf(source, opts.folds, opts.seed);
  const json = opts.json === true;
  if (!json && source.csvRead !== undefined) io.err(`${describeCsvRead(source.csvRead)}\n`);
  return { source, scorer, folds, trainOpts, json };
}

/**
 * Runs `work` with Ctrl-C wired to its signal (printing `note` unless `--json`) and the fold runner
 * closed afterwards; `'aborted'` when it was stopped.
 */
export async function runInterruptible<T>(
  s: Selection,
  runner: Pick<TrialPool, 'close'>,
  io: Io,
  note: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T | 'aborted'> {
  const controller = new AbortController();
  const release = onInterrupt(() => {
    if (!s.json) io.err(`\ninterrupted: ${note}…\n`);
    controller.abort();
  });
  try {
    return await work(controller.signal);
  } catch (e) {
    if (e instanceof NeuriteError && e.code === 'ABORTED') return 'aborted';
    throw e;
  } finally {
    release();
    await runner.close();
  }
}
