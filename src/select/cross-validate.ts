import { NeuriteError, assertNumber } from '../core/index.js';
import type { Fold } from '../data/folds.js';
import type { Params } from './search-space.js';

/** One unit of work: train with `params` on one fold's training rows and score on its held-out rows. */
export interface FoldJob {
  /** The hyper-parameters to train with. */
  readonly params: Params;
  /** Which fold (0-based). */
  readonly fold: number;
  /** Row indices to fit on (the preprocessing too: nothing is learned from the held-out rows). */
  readonly train: Int32Array;
  /** Row indices to score on. */
  readonly test: Int32Array;
  /** Seed for the network's initialisation, shuffling and dropout. */
  readonly seed: number;
}

/**
 * Trains and scores one {@link FoldJob}; higher or lower is better as the caller says. It must
 * depend only on the job (no state carried between calls), so jobs can run in any order, in
 * parallel, and give the same scores. Return `NaN` for a run that diverged.
 */
export type FoldEvaluator = (job: FoldJob) => number | Promise<number>;

/** Options of {@link TrialRunner.run}. */
export interface RunOptions {
  /** Stops starting new jobs; `run` then rejects with `ABORTED`. */
  readonly signal?: AbortSignal;
  /** Called as each job finishes, with its index in `jobs` (in completion order). */
  readonly onResult?: (index: number, score: number) => void;
}

/** Runs fold jobs, serially or in parallel; scores come back in job order. */
export interface TrialRunner {
  /** Scores every job; the result's i-th entry is `jobs[i]`'s score. */
  run(jobs: readonly FoldJob[], options?: RunOptions): Promise<number[]>;
}

/** Throws `ABORTED` when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new NeuriteError('ABORTED', 'model selection was stopped by its AbortSignal');
}

/**
 * A {@link TrialRunner} that runs the jobs one after the other in this thread (browsers, or when
 * one core is all there is). `neurite/select/node`'s `trialPool` gives the same scores in parallel.
 */
export function serialRunner(evaluate: FoldEvaluator): TrialRunner {
  return {
    async run(jobs, options = {}) {
      const scores: number[] = [];
      for (const [i, job] of jobs.entries()) {
        throwIfAborted(options.signal);
        const s = await evaluate(job);
        scores.push(s);
        options.onResult?.(i, s);
      }
      return scores;
    },
  };
}

/** Mean and (population, as numpy's default) standard deviation of the scores. */
export function meanStd(scores: readonly number[]): { mean: number; std: number } {
  if (scores.length === 0) return { mean: NaN, std: NaN };
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const variance = scores.reduce((a, b) => a + (b - mean) * (b - mean), 0) / scores.length;
  return { mean, std: Math.sqrt(variance) };
}

/** One fold's outcome. */
export interface FoldScore {
  readonly score: number;
  /** Rows trained on and scored on. */
  readonly trainRows: number;
  readonly testRows: number;
}

/** What {@link crossValidate} found. */
export interface CrossValidation {
  readonly folds: readonly FoldScore[];
  /** Mean of the fold scores (NaN when a fold diverged). */
  readonly mean: number;
  /** Population standard deviation of the fold scores. */
  readonly std: number;
}

/** Options of {@link crossValidate}. */
export interface CrossValidateOptions {
  /** The splits, from `kFold` or `stratifiedKFold` in `neurite/data`. */
  readonly folds: readonly Fold[];
  /** Hyper-parameters handed to every job (default none). */
  readonly params?: Params;
  /** Seed handed to every job (default 0). */
  readonly seed?: number;
  /** Scores one fold; give this or `runner`. */
  readonly evaluate?: FoldEvaluator;
  /** Runs the fold jobs (e.g. a worker pool); give this or `evaluate`. */
  readonly runner?: TrialRunner;
  readonly signal?: AbortSignal;
  /** Called as each fold is scored. */
  readonly onFold?: (fold: number, score: number) => void;
}

/** The runner the options ask for, `INVALID_OPTION` unless exactly one of `evaluate` and `runner` is given. */
export function runnerFrom(options: { evaluate?: FoldEvaluator; runner?: TrialRunner }): TrialRunner {
  const { evaluate, runner } = options;
  if ((evaluate === undefined) === (runner === undefined)) {
    throw new NeuriteError('INVALID_OPTION', 'give exactly one of evaluate (a function scoring one fold) and runner');
  }
  return runner ?? serialRunner(evaluate as FoldEvaluator);
}

/**
 * k-fold cross-validation: fits and scores `params` once per fold and returns each fold's score,
 * their mean and standard deviation, as scikit-learn's `cross_val_score` (whose mean and
 * `.std()` are the same numbers). The evaluator fits everything, preprocessing included, on the
 * fold's training rows only.
 *
 * @example
 * ```ts
 * const folds = stratifiedKFold(labels, { folds: 5, seed: 1 });
 * const cv = await crossValidate({ folds, evaluate: ({ train, test, seed }) => fitAndScore(train, test, seed) });
 * cv.mean; cv.std; cv.folds[0].score;
 * ```
 */
export async function crossValidate(options: CrossValidateOptions): Promise<CrossValidation> {
  const runner = runnerFrom(options);
  const seed = options.seed ?? 0;
  assertNumber(seed, 'seed');
  if (options.folds.length === 0) throw new NeuriteError('EMPTY_DATA', 'crossValidate needs at least one fold');
  const params = options.params ?? {};
  const jobs = options.folds.map((f, fold) => ({ params, fold, train: f.train, test: f.test, seed }));
  const scores = await runner.run(jobs, {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onResult: (i, s) => options.onFold?.(i, s),
  });
  return {
    folds: options.folds.map((f, i) => ({
      score: scores[i] as number,
      trainRows: f.train.length,
      testRows: f.test.length,
    })),
    ...meanStd(scores),
  };
}
