// The worker's side: BullMQ workers whose processors read a job's inputs from Redis and run it on
// pools of worker threads, so the event loop stays free to renew the job's lock however long the
// work takes. One process serves both kinds of job: evolve's fitness evaluations and tune's trials,
// each from its own queue, sharing `concurrency` slots.
import { existsSync, statSync } from 'node:fs';
import { hostname, availableParallelism } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { NeuralNetwork, NeuriteError, registeredBackends } from '../index.js';
import { workerPool } from '../evolve/node.js';
import { trialPool } from '../select/node.js';
import { recordOutcome } from './batch.js';
import {
  assertRunId,
  connect,
  encodeFitness,
  encodeScores,
  runKeys,
  sha256File,
  type DataFile,
  type FitnessJob,
  type RunArchitecture,
  type TrialJob,
  type TrialRecord,
} from './protocol.js';
import {
  BULL_PREFIX,
  DEFAULT_LIMITS,
  DEFAULT_LOCKS,
  DEFAULT_QUEUE,
  DEFAULT_TUNE_QUEUE,
  type LockOptions,
  type PayloadLimits,
} from './settings.js';

/** Where a worker finds the evaluator of tune trials (see `neurite/select/node`'s `trialPool`). */
export interface TrialEvaluatorOptions {
  /** Path or file: URL of an ES module exporting an `EvaluatorFactory`; it receives the run's data. */
  readonly module: string | URL;
  /** Name of the factory export (default `'createEvaluator'`). */
  readonly exportName?: string;
  /** BullMQ queue of the trials (default `'neurite-tune'`). */
  readonly queue?: string;
}

/** Options of {@link redisWorker}. */
export interface RedisWorkerOptions extends PayloadLimits, LockOptions {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://…` for TLS. */
  readonly url: string;
  /**
   * Path or file: URL of the ES module exporting the fitness function (as for `workerPool`).
   * Without it the worker takes no evolve jobs.
   */
  readonly module?: string | URL;
  /** Name of the export (default `'fitness'`); it receives `(network, { generation, index, seed })`. */
  readonly exportName?: string;
  /** Jobs at once, each on its own thread, both kinds together (default: the available parallelism). */
  readonly concurrency?: number;
  /** BullMQ queue to take fitness jobs from (default `'neurite-evolve'`). */
  readonly queue?: string;
  /** Also take tune trials ({@link redisTrialRunner}'s jobs), scored by this evaluator. */
  readonly trials?: TrialEvaluatorOptions;
  /** Called after each job, with its fitness (or trial scores) or the reason it failed (for logs). */
  readonly onJob?: (
    job: FitnessJob | TrialJob,
    result: { fitness?: number; scores?: number[]; error?: string },
  ) => void;
}

/** A running worker; `close()` finishes the jobs in hand and stops. */
export interface RedisWorker {
  /** Jobs it runs at once. */
  readonly concurrency: number;
  /** The queues it takes jobs from. */
  readonly queues: readonly string[];
  /** Stops taking jobs, waits for the running ones, then closes threads and connections. */
  close(): Promise<void>;
}

/** The most thread pools (architectures, trial data) a worker keeps of each kind; idle older ones close. */
const KEEP_POOLS = 2;

/** Thread pools by content hash (of an architecture, of a trial record), started on first use. */
function poolCache<E extends { busy: number; close(): Promise<void> }>(make: (run: string) => Promise<E>) {
  const pools = new Map<string, Promise<E>>();
  return {
    get(hash: string, run: string): Promise<E> {
      const cached = pools.get(hash);
      if (cached !== undefined) return cached;
      const made = make(run);
      pools.set(hash, made);
      made.catch(() => pools.delete(hash));
      // Close idle pools no longer in use.
      void (async () => {
        for (const [h, p] of pools) {
          if (pools.size <= KEEP_POOLS) break;
          const entry = await p.catch(() => undefined);
          if (h !== hash && entry?.busy === 0) {
            pools.delete(h);
            await entry.close();
          }
        }
      })();
      return made;
    },
    async closeAll(): Promise<void> {
      for (const p of pools.values()) await (await p.catch(() => undefined))?.close();
    },
  };
}

/** `n` slots shared by every queue's jobs. */
function slots(n: number): { take(): Promise<void>; give(): void } {
  let free = n;
  const waiting: (() => void)[] = [];
  return {
    take: () => {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    give: () => {
      const next = waiting.shift();
      if (next !== undefined) next();
      else free++;
    },
  };
}

const isIndex = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function isFitnessJob(d: unknown): d is FitnessJob {
  if (typeof d !== 'object' || d === null) return false;
  const j = d as Record<string, unknown>;
  return typeof j['run'] === 'string' && [j['generation'], j['index'], j['seed']].every(isIndex);
}

function isTrialJob(d: unknown): d is TrialJob {
  if (typeof d !== 'object' || d === null) return false;
  const j = d as Record<string, unknown>;
  const params = j['params'];
  return (
    typeof j['run'] === 'string' &&
    [j['batch'], j['index'], j['seed']].every(isIndex) &&
    Array.isArray(j['folds']) &&
    j['folds'].every(isIndex) &&
    typeof params === 'object' &&
    params !== null &&
    Object.values(params).every((v) => typeof v === 'number' || typeof v === 'string')
  );
}

const fileHashes = new Map<string, string>();

/** Throws (a message for the coordinator) unless this machine's copy of `file` has the coordinator's content. */
async function checkDataFile(file: DataFile): Promise<void> {
  const where = `on worker ${hostname()}`;
  if (!existsSync(file.path)) {
    throw new Error(
      `data file ${file.path} does not exist ${where}; copy the coordinator's file to the same path on every worker`,
    );
  }
  const st = statSync(file.path);
  const key = `${file.path}:${String(st.size)}:${String(st.mtimeMs)}`;
  const digest = fileHashes.get(key) ?? (await sha256File(file.path));
  fileHashes.set(key, digest);
  if (digest !== file.sha256) {
    throw new Error(
      `data file ${file.path} ${where} has SHA-256 ${digest.slice(0, 16)}…, the coordinator's has ${file.sha256.slice(0, 16)}…: the files differ; copy the coordinator's file to every worker`,
    );
  }
}

/** Decodes a fold's rows as the coordinator stored them: training count, training rows, held-out rows. */
function decodeFold(raw: Buffer): { train: Int32Array; test: Int32Array } {
  const all = new Int32Array(raw.length / 4);
  new Uint8Array(all.buffer).set(raw);
  const n = all[0] as number;
  return { train: all.slice(1, 1 + n), test: all.slice(1 + n) };
}

/**
 * Takes jobs from the queues that {@link redisEvaluator} (fitness, with `module`) and
 * {@link redisTrialRunner} (tune trials, with `trials`) fill, until closed: one process per
 * machine (`neurite worker` runs this), `concurrency` threads. A job whose genome does not fit its
 * run's architecture, whose payload passes the limits, or whose data file differs from the
 * coordinator's (by SHA-256) is refused: the coordinator gets `FITNESS_ERROR` with the reason. A
 * worker that dies loses nothing: its jobs' locks lapse after `lockDuration` and another worker
 * takes them within `stalledInterval`.
 *
 * @example
 * ```ts
 * const worker = await redisWorker({ url: 'redis://127.0.0.1:6379', module: './fitness.mjs', concurrency: 4 });
 * process.once('SIGTERM', () => void worker.close());
 * ```
 */
export async function redisWorker(options: RedisWorkerOptions): Promise<RedisWorker> {
  const concurrency = options.concurrency ?? Math.max(1, availableParallelism());
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new NeuriteError('INVALID_OPTION', `concurrency must be an integer >= 1, got ${String(concurrency)}`);
  }
  if (options.module === undefined && options.trials === undefined) {
    throw new NeuriteError('INVALID_OPTION', 'a worker needs a fitness module, a trial evaluator, or both');
  }
  const queueName = options.queue ?? DEFAULT_QUEUE;
  assertRunId(queueName);
  const tuneQueue = options.trials?.queue ?? DEFAULT_TUNE_QUEUE;
  assertRunId(tuneQueue);
  const maxModel = options.maxModelBytes ?? DEFAULT_LIMITS.maxModelBytes;
  const maxGeneration = options.maxGenerationBytes ?? DEFAULT_LIMITS.maxGenerationBytes;
  const redis = await connect(options.url, 'the neurite worker');
  const free = slots(concurrency);

  /** A run's record (`keys.model`), refused when missing or over the limit. */
  const readRecord = async (queue: string, run: string, what: string): Promise<unknown> => {
    const key = runKeys(queue, run).model;
    const size = await redis.strlen(key);
    if (size === 0) throw new UnrecoverableError(`the run’s ${what} is no longer in Redis (expired or removed)`);
    if (size > maxModel) {
      throw new UnrecoverableError(
        `the run’s ${what} is ${String(size)} bytes, over this worker’s maxModelBytes ${String(maxModel)}`,
      );
    }
    return JSON.parse((await redis.get(key)) ?? 'null') as unknown;
  };

  const fitnessPools = poolCache(async (run) => {
    const record = (await readRecord(queueName, run, 'architecture')) as RunArchitecture;
    const backend = registeredBackends().includes(record.backend) ? record.backend : 'auto';
    const network = NeuralNetwork.fromJSON(record.model, { backend });
    const pool = await workerPool({
      module: options.module as string | URL,
      exportName: options.exportName ?? 'fitness',
      network,
      workers: concurrency,
    });
    return { pool, params: network.parameterCount, busy: 0, close: () => pool.close() };
  });

  const trialPools = poolCache(async (run) => {
    const record = (await readRecord(tuneQueue, run, 'trial data')) as TrialRecord;
    for (const file of record.files) await checkDataFile(file);
    const trials = options.trials as TrialEvaluatorOptions;
    const pool = await trialPool({
      module: trials.module,
      exportName: trials.exportName ?? 'createEvaluator',
      data: record.data,
      workers: concurrency,
    });
    return { pool, busy: 0, close: () => pool.close() };
  });

  /** Folds' rows by run and fold number (a round's trials share them). */
  const folds = new Map<string, { train: Int32Array; test: Int32Array }>();

  /** Records a refusal for the coordinator and fails the job for good. */
  const refuse = async (
    queue: string,
    data: FitnessJob | TrialJob,
    batch: number,
    ttl: number,
    message: string,
  ): Promise<never> => {
    await recordOutcome(redis, runKeys(queue, data.run), batch, data.index, { error: message }, ttl);
    options.onJob?.(data, { error: message });
    throw new UnrecoverableError(message);
  };

  /** The run's record hash and expiry, or a refusal when the run is gone. */
  const runMeta = async (queue: string, data: FitnessJob | TrialJob, batch: number) => {
    const [hash, ttlText] = await redis.hmget(runKeys(queue, data.run).meta, 'architecture', 'ttl');
    const ttl = Number(ttlText ?? 86400);
    if (hash === null || hash === undefined)
      return refuse(queue, data, batch, ttl, `run ${data.run} is no longer in Redis (expired or removed)`);
    return { hash, ttl };
  };

  const scoreFitness = async (data: FitnessJob): Promise<number> => {
    const keys = runKeys(queueName, data.run);
    const g = data.generation;
    const { hash, ttl } = await runMeta(queueName, data, g);
    const fail = (message: string): Promise<never> => refuse(queueName, data, g, ttl, message);
    const entry = await fitnessPools
      .get(hash, data.run)
      .catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
    const bytes = entry.params * 4;
    if ((data.index + 1) * bytes > maxGeneration) {
      return fail(`genome ${String(data.index)} lies past this worker's maxGenerationBytes ${String(maxGeneration)}`);
    }
    const start = data.index * bytes;
    const raw = await redis.getrangeBuffer(keys.genomes(g), start, start + bytes - 1);
    if (raw.length !== bytes) {
      return fail(
        `genome ${String(data.index)} of generation ${String(g)} has ${String(raw.length)} bytes in Redis; the run's architecture needs ${String(bytes)} (${String(entry.params)} float32 parameters)`,
      );
    }
    const genome = new Float32Array(entry.params);
    new Uint8Array(genome.buffer).set(raw);
    let fitness: number;
    entry.busy++;
    try {
      const values = await entry.pool.evaluate([{ genome, generation: g, index: data.index, seed: data.seed }]);
      fitness = values[0] as number;
    } catch (e) {
      return await fail(e instanceof Error ? e.message : String(e));
    } finally {
      entry.busy--;
    }
    await recordOutcome(redis, keys, g, data.index, { value: encodeFitness(fitness) }, ttl);
    options.onJob?.(data, { fitness });
    return fitness;
  };

  const scoreTrial = async (data: TrialJob): Promise<number[]> => {
    const keys = runKeys(tuneQueue, data.run);
    const { hash, ttl } = await runMeta(tuneQueue, data, data.batch);
    const fail = (message: string): Promise<never> => refuse(tuneQueue, data, data.batch, ttl, message);
    const entry = await trialPools
      .get(hash, data.run)
      .catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
    const scores: number[] = [];
    entry.busy++;
    try {
      // One fold after the other on one thread: the job holds one of the worker's slots.
      for (const fold of data.folds) {
        const key = `${data.run}:${String(fold)}`;
        let rows = folds.get(key);
        if (rows === undefined) {
          const raw = await redis.hgetBuffer(keys.folds, String(fold));
          if (raw === null) return await fail(`fold ${String(fold)} of run ${data.run} is not in Redis`);
          rows = decodeFold(raw);
          if (folds.size >= 64) folds.delete(folds.keys().next().value as string);
          folds.set(key, rows);
        }
        const [score] = await entry.pool.run([{ params: data.params, fold, seed: data.seed, ...rows }]);
        scores.push(score as number);
      }
    } catch (e) {
      if (e instanceof UnrecoverableError) throw e;
      return await fail(`trial ${String(data.index)} failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      entry.busy--;
    }
    await recordOutcome(redis, keys, data.batch, data.index, { value: encodeScores(scores) }, ttl);
    options.onJob?.(data, { scores });
    return scores;
  };

  const lockOptions = {
    connection: redis,
    prefix: BULL_PREFIX,
    concurrency,
    lockDuration: options.lockDuration ?? DEFAULT_LOCKS.lockDuration,
    stalledInterval: options.stalledInterval ?? DEFAULT_LOCKS.stalledInterval,
    maxStalledCount: options.maxStalledCount ?? DEFAULT_LOCKS.maxStalledCount,
  };
  /** A processor that validates the job and runs it in one of the shared slots. */
  const slotted =
    <T extends { run: string }, R>(check: (d: unknown) => d is T, kind: string, run: (data: T) => Promise<R>) =>
    async (job: Job<T>): Promise<R> => {
      const data: unknown = job.data;
      if (!check(data)) throw new UnrecoverableError(`job ${String(job.id)} is not a neurite ${kind} job`);
      assertRunId(data.run);
      await free.take();
      try {
        return await run(data);
      } finally {
        free.give();
      }
    };
  const workers: Worker[] = [];
  if (options.module !== undefined)
    workers.push(new Worker(queueName, slotted(isFitnessJob, 'fitness', scoreFitness), lockOptions));
  if (options.trials !== undefined)
    workers.push(new Worker(tuneQueue, slotted(isTrialJob, 'trial', scoreTrial), lockOptions));
  for (const w of workers) w.on('error', () => undefined);
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    concurrency,
    queues: workers.map((w) => w.name),
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await fitnessPools.closeAll();
      await trialPools.closeAll();
      await redis.quit();
    },
  };
}
