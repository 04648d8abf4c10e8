import { NeuriteError, Rng, assertInt, assertNumber, assertOneOf } from '../core/index.js';
import type { Fold } from '../data/folds.js';
import {
  meanStd,
  runnerFrom,
  throwIfAborted,
  type FoldEvaluator,
  type FoldJob,
  type TrialRunner,
} from './cross-validate.js';
import { checkSpace, sampleParams, type Params, type SearchSpace } from './search-space.js';

/** How candidates are searched: every one at the full budget, or successive halving. */
export type SearchStrategy = 'random' | 'halving';

/** Every {@link SearchStrategy}. */
export const SEARCH_STRATEGIES: readonly SearchStrategy[] = ['random', 'halving'];

/** The hyper-parameter that is the training budget (e.g. `epochs`), and its range. */
export interface Budget {
  /** The parameter's name in {@link Params}, e.g. `'epochs'`. */
  readonly name: string;
  /** The budget of the last round (and of every random-search trial). */
  readonly max: number;
  /** The smallest first-round budget (default 1). */
  readonly min?: number;
}

/** Options of {@link tune}. */
export interface TuneOptions {
  /** Where candidates are drawn from. */
  readonly space: SearchSpace;
  /** The cross-validation splits every candidate is scored on. */
  readonly folds: readonly Fold[];
  /** Scores one candidate on one fold; give this or `runner`. */
  readonly evaluate?: FoldEvaluator;
  /** Runs fold jobs (e.g. `trialPool` from `neurite/select/node`); give this or `evaluate`. */
  readonly runner?: TrialRunner;
  /** Candidates in all (default 20), `start` included. */
  readonly trials?: number;
  /** Candidates tried before the random draws, e.g. the current default settings. */
  readonly start?: readonly Params[];
  /** Default `'halving'` when a `budget` is given, else `'random'`. */
  readonly strategy?: SearchStrategy;
  /** The training budget; required by halving. */
  readonly budget?: Budget;
  /** Halving keeps the best 1/factor of the candidates each round, with factor times the budget (default 3). */
  readonly factor?: number;
  /** Whether a higher score is better (default true; false for errors such as RMSE). */
  readonly greaterIsBetter?: boolean;
  /** Seed of the draws, and handed to every job (default 0). */
  readonly seed?: number;
  readonly signal?: AbortSignal;
  /** Called once per candidate and round, as soon as all its folds are scored. */
  readonly onTrial?: (trial: Trial) => void;
  /** Called when a round starts. */
  readonly onRound?: (round: TuneRound) => void;
}

/** One round of the search: how many candidates, at which budget. */
export interface TuneRound {
  readonly round: number;
  readonly candidates: number;
  /** The budget parameter's value this round (undefined without a budget). */
  readonly budget?: number;
}

/** One candidate scored in one round. */
export interface Trial {
  /** Which drawn candidate (0-based, in draw order). */
  readonly candidate: number;
  readonly round: number;
  /** Its hyper-parameters, the budget parameter set to this round's budget. */
  readonly params: Params;
  /** Mean cross-validation score (NaN when a fold diverged). */
  readonly score: number;
  readonly std: number;
  /** Each fold's score. */
  readonly folds: readonly number[];
}

/** What {@link tune} found. */
export interface TuneResult {
  /** Every candidate scored in every round it took part in, in the order they were scored. */
  readonly trials: readonly Trial[];
  /** The best candidate of the last round. */
  readonly best: Trial;
  readonly rounds: readonly TuneRound[];
}

/** Orders by score, best first; NaN last; ties by draw order, so the ranking is deterministic. */
export function rankTrials(trials: readonly Trial[], greaterIsBetter: boolean): Trial[] {
  return [...trials].sort((a, b) => {
    const an = Number.isNaN(a.score);
    const bn = Number.isNaN(b.score);
    if (an || bn) return an === bn ? a.candidate - b.candidate : an ? 1 : -1;
    const d = greaterIsBetter ? b.score - a.score : a.score - b.score;
    return d !== 0 ? d : a.candidate - b.candidate;
  });
}

/**
 * The rounds of a search: one round at the full budget for random search; for halving, as
 * scikit-learn's `HalvingRandomSearchCV` with `min_resources='exhaust'`: `1 + floor(log_f(trials))`
 * rounds (fewer when the budget range is too small), round r keeping `ceil(trials / f^r)`
 * candidates at `max / f^(last − r)` budget.
 */
export function searchRounds(
  strategy: SearchStrategy,
  trials: number,
  factor: number,
  budget: Budget | undefined,
): TuneRound[] {
  if (strategy === 'random' || budget === undefined) {
    return [{ round: 0, candidates: trials, ...(budget === undefined ? {} : { budget: budget.max }) }];
  }
  const min = budget.min ?? 1;
  const byTrials = 1 + Math.floor(Math.log(trials) / Math.log(factor) + 1e-9);
  const byBudget = 1 + Math.floor(Math.log(budget.max / min) / Math.log(factor) + 1e-9);
  const count = Math.max(1, Math.min(byTrials, byBudget));
  return Array.from({ length: count }, (_, r) => ({
    round: r,
    candidates: Math.ceil(trials / factor ** r),
    budget: Math.max(min, Math.round(budget.max / factor ** (count - 1 - r))),
  }));
}

function checkOptions(o: TuneOptions): { trials: number; factor: number; seed: number; strategy: SearchStrategy } {
  checkSpace(o.space);
  const trials = o.trials ?? 20;
  assertInt(trials, 'trials', 1);
  const factor = o.factor ?? 3;
  assertNumber(factor, 'factor', 1, Infinity, true);
  const seed = o.seed ?? 0;
  assertNumber(seed, 'seed');
  const strategy = o.strategy ?? (o.budget === undefined ? 'random' : 'halving');
  assertOneOf(strategy, SEARCH_STRATEGIES, 'strategy');
  if (o.folds.length === 0) throw new NeuriteError('EMPTY_DATA', 'tune needs at least one fold');
  if (o.budget !== undefined) {
    assertInt(o.budget.max, 'budget.max', 1);
    assertInt(o.budget.min ?? 1, 'budget.min', 1);
    if ((o.budget.min ?? 1) > o.budget.max)
      throw new NeuriteError(
        'INVALID_OPTION',
        `budget.min (${String(o.budget.min)}) must not exceed budget.max (${String(o.budget.max)})`,
      );
  } else if (strategy === 'halving') {
    throw new NeuriteError(
      'INVALID_OPTION',
      "strategy 'halving' needs a budget (e.g. { name: 'epochs', max: 100 }) to grow round by round; or use strategy 'random'",
    );
  }
  return { trials, factor, seed, strategy };
}

/**
 * Hyper-parameter search scored by cross-validation: draws `trials` candidates from `space` (seeded),
 * then either scores each at the full budget (random search, as scikit-learn's
 * `RandomizedSearchCV`) or runs successive halving (`HalvingRandomSearchCV`): every candidate
 * on a small budget, the best 1/factor on factor times more, … until the full budget. Each round's
 * candidate × fold jobs go to the runner at once, so a worker pool runs them in parallel; the
 * result depends only on the seed, never on the runner.
 *
 * @example
 * ```ts
 * const result = await tune({
 *   space: { learningRate: { min: 1e-4, max: 1e-1, log: true }, width: [16, 32, 64] },
 *   budget: { name: 'epochs', max: 81 },
 *   folds: stratifiedKFold(labels, { folds: 3, seed: 1 }),
 *   evaluate: (job) => fitAndScore(job.params, job.train, job.test, job.seed),
 *   trials: 27,
 *   seed: 1,
 * });
 * result.best.params; // e.g. { learningRate: 0.0041, width: 64, epochs: 81 }
 * ```
 */
export async function tune(options: TuneOptions): Promise<TuneResult> {
  const { trials: count, factor, seed, strategy } = checkOptions(options);
  const runner = runnerFrom(options);
  const greater = options.greaterIsBetter ?? true;
  const rng = new Rng(seed);
  const start = (options.start ?? []).slice(0, count);
  const drawn = [...start, ...Array.from({ length: count - start.length }, () => sampleParams(options.space, rng))];
  const rounds = searchRounds(strategy, count, factor, options.budget);
  const all: Trial[] = [];
  let alive = drawn.map((_, i) => i);
  let last: Trial[] = [];
  for (const round of rounds) {
    throwIfAborted(options.signal);
    alive = alive.slice(0, round.candidates);
    options.onRound?.(round);
    const withBudget = (p: Params): Params =>
      options.budget === undefined ? p : { ...p, [options.budget.name]: round.budget as number };
    const jobs: FoldJob[] = alive.flatMap((c) =>
      options.folds.map((f, fold) => ({
        params: withBudget(drawn[c] as Params),
        fold,
        train: f.train,
        test: f.test,
        seed,
      })),
    );
    const k = options.folds.length;
    const got = new Array<number>(jobs.length).fill(NaN);
    const done = new Array<number>(alive.length).fill(0);
    const trialAt = (slot: number): Trial => {
      const folds = got.slice(slot * k, (slot + 1) * k);
      const c = alive[slot] as number;
      const { mean, std } = meanStd(folds);
      return { candidate: c, round: round.round, params: withBudget(drawn[c] as Params), score: mean, std, folds };
    };
    const scores = await runner.run(jobs, {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onResult: (i, score) => {
        got[i] = score;
        // Report a candidate once all its folds are in, even while other candidates still run.
        const slot = Math.floor(i / k);
        done[slot] = (done[slot] as number) + 1;
        if (done[slot] === k) options.onTrial?.(trialAt(slot));
      },
    });
    scores.forEach((v, i) => (got[i] = v));
    last = alive.map((_, slot) => trialAt(slot));
    all.push(...last);
    alive = rankTrials(last, greater).map((t) => t.candidate);
  }
  const best = rankTrials(last, greater)[0] as Trial;
  return { trials: all, best, rounds };
}
