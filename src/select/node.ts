/**
 * `neurite/select/node`: everything in `neurite/select`, plus {@link trialPool} to run
 * cross-validation and search jobs on worker threads (Node only).
 *
 * @packageDocumentation
 */
import { availableParallelism } from 'node:os';
import { NeuriteError, assertInt } from '../core/errors.js';
import { threadPool, workerScript } from '../threads/pool-node.js';
import { serialRunner, throwIfAborted, type FoldEvaluator, type FoldJob, type TrialRunner } from './cross-validate.js';

export * from './index.js';

/**
 * A module that workers import: its export (default name `createEvaluator`) is called once per
 * worker with {@link TrialPoolOptions.data} and returns the {@link FoldEvaluator}.
 */
export type EvaluatorFactory = (data: unknown) => FoldEvaluator | Promise<FoldEvaluator>;

/** Options of {@link trialPool}. */
export interface TrialPoolOptions {
  /** Path or file: URL of an ES module exporting an {@link EvaluatorFactory}. */
  readonly module: string | URL;
  /** Name of the factory export (default `'createEvaluator'`). */
  readonly exportName?: string;
  /** Handed to the factory in every worker (structured-cloned: plain data, typed arrays). */
  readonly data?: unknown;
  /** Worker threads (default: the machine's available parallelism). 1 or fewer jobs than that use fewer. */
  readonly workers?: number;
}

/** A {@link TrialRunner} on worker threads; `close()` it when done. */
export interface TrialPool extends TrialRunner {
  /** How many workers run jobs. */
  readonly workers: number;
  /** Terminates the workers. */
  close(): Promise<void>;
}

/**
 * Starts worker threads that each build the evaluator from `module` and `data`, then score fold
 * jobs as they are handed out (a queue: a worker takes the next job when it finishes one, so
 * long and short trials even out). Scores come back in job order and, since each job depends
 * only on itself, equal a serial run's (`serialRunner(await createEvaluator(data))`) exactly.
 *
 * @example
 * ```ts
 * const pool = await trialPool({ module: new URL('./my-evaluator.js', import.meta.url), data: { rows }, workers: 4 });
 * try {
 *   const result = await tune({ space, folds, runner: pool, budget: { name: 'epochs', max: 81 }, seed: 1 });
 * } finally {
 *   await pool.close();
 * }
 * ```
 */
export async function trialPool(options: TrialPoolOptions): Promise<TrialPool> {
  const count = options.workers ?? Math.max(1, availableParallelism());
  assertInt(count, 'workers', 1);
  const data = {
    module: options.module instanceof URL ? options.module.href : options.module,
    exportName: options.exportName ?? 'createEvaluator',
    data: options.data,
  };
  const pool = await threadPool(workerScript(import.meta.url, 'worker-node'), data, count, 'trial worker');
  return {
    workers: count,
    async run(jobs, runOptions = {}) {
      const scores = new Array<number>(jobs.length).fill(NaN);
      let next = 0;
      // Each worker pulls the next job until none is left; the first failure stops the others pulling.
      let failed = false;
      const drain = async (): Promise<void> => {
        while (next < jobs.length && !failed) {
          throwIfAborted(runOptions.signal);
          const i = next++;
          try {
            scores[i] = (await pool.request(jobs[i] as FoldJob)) as number;
          } catch (e) {
            failed = true;
            throw e;
          }
          runOptions.onResult?.(i, scores[i] as number);
        }
      };
      const settled = await Promise.allSettled(Array.from({ length: pool.size }, drain));
      const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (rejected !== undefined) throw rejected.reason;
      throwIfAborted(runOptions.signal);
      return scores;
    },
    close: () => pool.close(),
  };
}

/**
 * The runner for `workers` threads: {@link trialPool} when more than one, else the factory's
 * evaluator run serially in this thread (same scores, no thread start-up).
 */
export async function trialRunner(options: TrialPoolOptions): Promise<TrialRunner & { close(): Promise<void> }> {
  if ((options.workers ?? Math.max(1, availableParallelism())) > 1) return trialPool(options);
  const mod = (await import(options.module instanceof URL ? options.module.href : options.module)) as Record<
    string,
    unknown
  >;
  const factory = mod[options.exportName ?? 'createEvaluator'];
  if (typeof factory !== 'function')
    throw new NeuriteError(
      'INVALID_OPTION',
      `${String(options.module)} has no function export ${JSON.stringify(options.exportName ?? 'createEvaluator')}`,
    );
  const evaluate = await (factory as EvaluatorFactory)(options.data);
  return { ...serialRunner(evaluate), close: () => Promise.resolve() };
}
