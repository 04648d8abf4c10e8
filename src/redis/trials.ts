// The coordinator's side of distributed model selection: a TrialRunner (what `tune` and
// `crossValidate` of neurite/select run their fold jobs on) that sends each trial (one candidate's
// settings on its folds) as a BullMQ job to `neurite worker` processes.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { NeuriteError } from '../index.js';
import type { FoldJob, Params, RunOptions, TrialRunner } from '../select/index.js';
import { decodeScores, sha256, sha256File, trialJobId, type DataFile, type TrialJob } from './protocol.js';
import { openRun } from './run-session.js';
import { DEFAULT_LIMITS, DEFAULT_TUNE_QUEUE } from './settings.js';

/** Options of {@link redisTrialRunner}. */
export interface RedisTrialRunnerOptions {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://…` for TLS. */
  readonly url: string;
  /**
   * What the workers' evaluator factory is built from (plain JSON data; for `neurite worker`, the
   * `FoldTrialData` of the CLI: the train options and the metric). Stored once per run.
   */
  readonly data: unknown;
  /**
   * Files the data reads (the CSV). Each is hashed here (SHA-256); a worker whose copy at the same
   * absolute path differs refuses the run's trials.
   */
  readonly files?: readonly string[];
  /**
   * Names the run's keys and jobs (letters, digits, `_ . -`). The same name resumes: rounds whose
   * trials are already scored in Redis are read back. Default: derived from `settings`, the data
   * and the files' content when `settings` is given (the same search then resumes), else random.
   */
  readonly run?: string;
  /** The search's own settings (strategy, trial count…), for the default run name. */
  readonly settings?: unknown;
  /** BullMQ queue the workers take trials from (default `'neurite-tune'`). */
  readonly queue?: string;
  /** Seconds a run's keys live without activity (default 86400). */
  readonly ttlSeconds?: number;
  /** How long to wait between checks on trials that have not reported, ms (default 2000). */
  readonly pollInterval?: number;
  /** Largest data record in bytes (default 16 MiB). */
  readonly maxModelBytes?: number;
}

/** A {@link TrialRunner} on Redis workers; `close()` it when done. */
export interface RedisTrialRunner extends TrialRunner {
  /** The run's name (its keys and job ids start with it). */
  readonly runName: string;
  /** The data files as hashed here. */
  readonly files: readonly DataFile[];
  /** Closes the connections; with `{ removeRun: true }` also deletes the run's keys. */
  close(options?: { removeRun?: boolean }): Promise<void>;
}

/** A fold's rows as workers read them: training count, training rows, held-out rows (int32). */
function encodeFold(job: FoldJob): Buffer {
  const all = new Int32Array(1 + job.train.length + job.test.length);
  all[0] = job.train.length;
  all.set(job.train, 1);
  all.set(job.test, 1 + job.train.length);
  return Buffer.from(all.buffer, all.byteOffset, all.byteLength);
}

/** One trial: a candidate's settings and seed, the fold jobs it stands for (indices into the call's jobs). */
interface Trial {
  readonly params: Params;
  readonly seed: number;
  readonly folds: number[];
  readonly jobs: number[];
}

/**
 * Runs model-selection jobs on `neurite worker` processes (or {@link redisWorker}s with `trials`)
 * through a BullMQ queue on Redis. The fold jobs of one call that share their settings and seed
 * form a trial, sent as one job `{ run, batch, index, params, seed, folds }`; the data description
 * and the folds' rows are stored once per run, and the data files travel as a path and a SHA-256
 * the workers check. Each trial's scores are written once by index, so a trial that runs twice (its
 * worker died) is counted once; since training is seeded, the scores equal a local run's exactly.
 *
 * Errors: an unreachable Redis is `IO_ERROR`; a trial that fails on a worker (or a worker that
 * refuses the data file) is `FITNESS_ERROR` with `details.index`; an aborted signal is `ABORTED`.
 *
 * @example
 * ```ts
 * const runner = await redisTrialRunner({ url, data: { opts, metric: 'accuracy' }, files: ['wine.csv'] });
 * try {
 *   const result = await tune({ space, folds, runner, trials: 20, seed: 1 });
 *   await runner.close({ removeRun: true });
 * } finally {
 *   await runner.close();
 * }
 * ```
 */
export async function redisTrialRunner(options: RedisTrialRunnerOptions): Promise<RedisTrialRunner> {
  const files: DataFile[] = [];
  for (const f of options.files ?? []) {
    const path = resolve(f);
    const sha = await sha256File(path).catch((e: unknown) => {
      throw new NeuriteError(
        'IO_ERROR',
        `cannot read data file ${path}: ${e instanceof Error ? e.message : String(e)}`,
      );
    });
    files.push({ path, sha256: sha });
  }
  const record = JSON.stringify({ data: options.data, files });
  const runName =
    options.run ??
    (options.settings === undefined
      ? randomUUID()
      : `tune-${sha256(JSON.stringify([record, options.settings])).slice(0, 16)}`);
  const session = await openRun<TrialJob>({
    url: options.url,
    queue: options.queue ?? DEFAULT_TUNE_QUEUE,
    run: runName,
    record,
    maxRecordBytes: options.maxModelBytes ?? DEFAULT_LIMITS.maxModelBytes,
    what: 'trial data',
    who: 'the tune coordinator',
    ttl: options.ttlSeconds ?? 86400,
    poll: options.pollInterval ?? 2000,
  });
  const { redis, keys } = session;
  const ttl = options.ttlSeconds ?? 86400;
  const storedFolds = new Set<number>();
  let batches = 0;

  /** Stores each fold's rows once per run; a resumed run must bring the same ones. */
  const storeFolds = async (jobs: readonly FoldJob[]): Promise<void> => {
    for (const job of jobs) {
      if (storedFolds.has(job.fold)) continue;
      const rows = encodeFold(job);
      const previous = await redis.hgetBuffer(keys.folds, String(job.fold));
      if (previous !== null && !previous.equals(rows)) {
        throw new NeuriteError(
          'INVALID_OPTION',
          `run ${JSON.stringify(runName)} has other rows stored for fold ${String(job.fold)}: the data, folds or seed changed since it started; give a new run name`,
        );
      }
      await redis.multi().hset(keys.folds, String(job.fold), rows).expire(keys.folds, ttl).exec();
      storedFolds.add(job.fold);
    }
  };

  const runBatch = async (jobs: readonly FoldJob[], runOptions: RunOptions): Promise<number[]> => {
    if (session.closed) throw new NeuriteError('ABORTED', 'the Redis trial runner is closed');
    const batch = batches++;
    if (jobs.length === 0) return [];
    const trials: Trial[] = [];
    const byKey = new Map<string, Trial>();
    jobs.forEach((job, i) => {
      const key = JSON.stringify([job.params, job.seed]);
      let trial = byKey.get(key);
      if (trial === undefined) {
        trial = { params: job.params, seed: job.seed, folds: [], jobs: [] };
        byKey.set(key, trial);
        trials.push(trial);
      }
      trial.folds.push(job.fold);
      trial.jobs.push(i);
    });
    await storeFolds(jobs);
    const data = trials.map((t, index): TrialJob => ({
      run: runName,
      batch,
      index,
      params: t.params,
      seed: t.seed,
      folds: t.folds,
    }));
    await session.claim(batch, sha256(JSON.stringify(data)), `trials stored for round ${String(batch + 1)}`);

    const scores = new Array<number>(jobs.length).fill(NaN);
    const reported = new Set<number>();
    /** Each trial's scores into its jobs' places, reporting the new ones (in arrival order). */
    const take = (results: Record<string, string>): void => {
      trials.forEach((t, index) => {
        const text = results[String(index)];
        if (text === undefined || reported.has(index)) return;
        reported.add(index);
        const values = decodeScores(text);
        t.jobs.forEach((j, k) => {
          scores[j] = values[k] as number;
          runOptions.onResult?.(j, scores[j]);
        });
      });
    };
    const results = await session.collect(
      batch,
      'trial',
      data.map((d) => ({ index: d.index, data: d })),
      trialJobId,
      {
        signal: runOptions.signal,
        // Progress as trials arrive: read the results only when there are new ones.
        onCount: async (count) => {
          if (count > reported.size && runOptions.onResult !== undefined)
            take(await redis.hgetall(keys.fitness(batch)));
        },
      },
    );
    take(results);
    await redis.multi().del(keys.done(batch)).expire(keys.fitness(batch), ttl).exec();
    return scores;
  };

  return {
    runName,
    files,
    run: (jobs, runOptions = {}) => session.wrap(runBatch(jobs, runOptions)),
    close: (closeOptions) => session.close(closeOptions),
  };
}
