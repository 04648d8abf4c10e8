import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { argmax, kFold, stratifiedKFold, type Fold } from '../data/index.js';
import { trialRunner, type TrialPool, type TrialRunner } from '../select/node.js';
import type { TrainOptions } from './commands/train.js';
import type { PreparedData } from './data.js';
import type { FoldTrialData } from './fold-trial.js';
import { intArg } from './options.js';
import { FOLD_METRICS } from './scoring.js';

/** Options `cv` and `tune` add to train's data options. */
export interface SelectionOptions {
  folds: number;
  metric?: string;
  workers?: number;
  json?: boolean;
}

/** Adds `--folds`, `--metric` and `--workers`. */
export function addSelectionOptions(cmd: Command, defaultFolds: number): Command {
  return cmd
    .option('--folds <k>', 'cross-validation folds (stratified for classification)', intArg(2), defaultFolds)
    .option(
      '--metric <name>',
      `score to report and rank by: ${FOLD_METRICS.map((m) => `${m.name} (${m.task})`).join(', ')}; default accuracy or r2`,
    )
    .option(
      '--workers <n>',
      'worker threads running folds in parallel (default: the cores; 1 runs in-process)',
      intArg(1),
    )
    .option('--json', 'print only the JSON result');
}

const SELECTION_KEYS = new Set(['folds', 'metric', 'workers', 'json', 'trials', 'strategy']);

/** Train's options out of a `cv`/`tune` options object (what each fold trains with). */
export function trainOptionsOf(opts: TrainOptions & SelectionOptions): TrainOptions {
  return Object.fromEntries(Object.entries(opts).filter(([k]) => !SELECTION_KEYS.has(k))) as unknown as TrainOptions;
}

/** The options' test split defaulting to none: model selection scores with folds instead. */
export function withoutTestSplit<T extends TrainOptions>(opts: T): T {
  return { ...opts, testSplit: opts.testSplit ?? 0 };
}

/** The folds of the prepared training rows: stratified by class for classification. */
export function foldsFor(data: PreparedData, k: number, seed: number): Fold[] {
  return data.preprocessing.task === 'classification'
    ? stratifiedKFold(argmax(data.train.y), { folds: k, seed })
    : kFold(data.train.x.rows, { folds: k, seed });
}

/**
 * The runner for the fold jobs: `workers` threads (default: the machine's cores, at most `jobs`)
 * each loading `fold-trial` with the options, or the same evaluator in-process for one.
 */
export function foldRunner(
  data: FoldTrialData,
  workers: number | undefined,
  jobs: number,
): Promise<TrialRunner & Pick<TrialPool, 'close'>> {
  const count = Math.max(1, Math.min(workers ?? availableParallelism(), jobs));
  // fold-trial.ts from source (tests under tsx), fold-trial.js from the build.
  const module = new URL(`./fold-trial${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  return trialRunner({ module, data, workers: count });
}
