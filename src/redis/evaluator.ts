// The coordinator's side: a ParallelEvaluator that stores each generation in Redis once, queues one
// small BullMQ job per genome and collects the fitnesses by index.
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { NeuriteError, registeredBackends, type NeuralNetwork } from '../index.js';
import type { EvaluationJob, ParallelEvaluator } from '../evolve/index.js';
import { assertRunId, connect, jobId, runKeys, sha256, type FitnessJob, type RunArchitecture } from './protocol.js';
import { BULL_PREFIX, DEFAULT_LIMITS, DEFAULT_QUEUE, redactUrl, type PayloadLimits } from './settings.js';

/** Options of {@link redisEvaluator}. */
export interface RedisEvaluatorOptions extends PayloadLimits {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://…` for TLS. */
  readonly url: string;
  /** The architecture every genome must fit (the population's network). */
  readonly network: NeuralNetwork;
  /**
   * Names the run's keys and jobs (letters, digits, `_ . -`). Give the same name to resume after
   * the coordinator restarts: generations already scored are read back instead of queued again.
   * Default: a fresh random name (no resuming).
   */
  readonly run?: string;
  /** BullMQ queue the workers listen on (default `'neurite-evolve'`). */
  readonly queue?: string;
  /** Seconds a run's keys live without activity (default 86400: a day to resume a crashed run). */
  readonly ttlSeconds?: number;
  /** How long to wait between checks on jobs that have not reported, ms (default 2000). */
  readonly pollInterval?: number;
  /** Called after each result arrives (done, total) for progress displays. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A {@link ParallelEvaluator} on Redis workers; `close()` it when done. */
export interface RedisEvaluator extends ParallelEvaluator {
  /** The run's name (its keys and job ids start with it). */
  readonly run: string;
  /**
   * Closes the connections. With `{ removeRun: true }` (after the run finished) also deletes the
   * run's keys; otherwise they expire after `ttlSeconds`, and a run of the same name resumes.
   */
  close(options?: { removeRun?: boolean }): Promise<void>;
}

/**
 * Evaluates genomes on `neurite worker` processes (or {@link redisWorker}s) through a BullMQ
 * queue on Redis. Pass it as `parallel` to `evolve`/`Population`. The architecture is stored once
 * per run; each generation's genomes once, as raw bytes under their own key with an expiry; a job
 * carries only `{ run, generation, index, seed }`. Results are written by index, once, so a job
 * that runs twice (its worker crashed, the job came back) is counted once, and since fitness is
 * pure given its seed the run equals a serial run bit for bit.
 *
 * Errors: an unreachable Redis or a wrong password is `IO_ERROR`; a fitness that throws is
 * `FITNESS_ERROR` with `details.index`; genomes that do not fit the architecture or a generation
 * larger than `maxGenerationBytes` are `SHAPE_MISMATCH`/`INVALID_OPTION`.
 *
 * @example
 * ```ts
 * const evaluator = await redisEvaluator({ url: 'redis://127.0.0.1:6379', network: net, run: 'cartpole-1' });
 * try {
 *   const r = await evolve({ network: net, parallel: evaluator, populationSize: 200, generations: 50, seed: 1 });
 *   await evaluator.close({ removeRun: true });
 * } finally {
 *   await evaluator.close();
 * }
 * ```
 */
export async function redisEvaluator(options: RedisEvaluatorOptions): Promise<RedisEvaluator> {
  const run = options.run ?? randomUUID();
  assertRunId(run);
  const queueName = options.queue ?? DEFAULT_QUEUE;
  assertRunId(queueName);
  const ttl = options.ttlSeconds ?? 86400;
  const poll = options.pollInterval ?? 2000;
  const maxGeneration = options.maxGenerationBytes ?? DEFAULT_LIMITS.maxGenerationBytes;
  const keys = runKeys(queueName, run);
  const record: RunArchitecture = {
    model: options.network.toJSON({ optimizerState: false }),
    backend: registeredBackends().includes(options.network.backend.name) ? options.network.backend.name : 'auto',
  };
  const recordText = JSON.stringify(record);
  const maxModel = options.maxModelBytes ?? DEFAULT_LIMITS.maxModelBytes;
  if (Buffer.byteLength(recordText) > maxModel) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `the architecture record is ${String(Buffer.byteLength(recordText))} bytes, over maxModelBytes ${String(maxModel)}`,
    );
  }
  const params = options.network.parameterCount;
  const hash = sha256(recordText);
  const redis = await connect(options.url, 'the evolve coordinator');
  // BLPOP holds its connection, so waiting gets one of its own.
  const waiter = redis.duplicate();
  waiter.on('error', () => undefined);
  const queue = new Queue<FitnessJob>(queueName, { connection: redis, prefix: BULL_PREFIX });
  queue.on('error', () => undefined);
  let closed = false;

  const stored = await redis.hget(keys.meta, 'architecture');
  if (stored !== null && stored !== hash) {
    await Promise.all([queue.close(), waiter.quit(), redis.quit()]);
    throw new NeuriteError(
      'INVALID_OPTION',
      `run ${JSON.stringify(run)} exists in Redis with another architecture; give a new run name or remove the old run's keys (${keys.all})`,
    );
  }
  await redis
    .multi()
    .set(keys.model, recordText, 'EX', ttl)
    .hset(keys.meta, { architecture: hash, ttl: String(ttl) })
    .expire(keys.meta, ttl)
    .exec();

  /** Queues the jobs of `missing` indices; a job still queued under the same id is left as is. */
  const enqueue = async (g: number, missing: readonly EvaluationJob[]): Promise<void> => {
    await queue.addBulk(
      missing.map((j) => {
        const data: FitnessJob = { run, generation: g, index: j.index, seed: j.seed };
        return {
          name: 'fitness',
          data,
          opts: { jobId: jobId(data), removeOnComplete: true, removeOnFail: { age: ttl } },
        };
      }),
    );
  };

  /** Jobs of this generation that have no result yet and are gone or failed for a reason other than fitness: queue again. */
  const requeueLost = async (g: number, missing: readonly EvaluationJob[]): Promise<void> => {
    const lost: EvaluationJob[] = [];
    for (const j of missing) {
      const job = await queue.getJob(jobId({ run, generation: g, index: j.index, seed: j.seed }));
      if (job === undefined) lost.push(j);
      else if ((await job.getState()) === 'failed') {
        await job.remove();
        lost.push(j);
      }
    }
    if (lost.length > 0) await enqueue(g, lost);
  };

  const scoreGeneration = async (jobs: readonly EvaluationJob[]): Promise<Float64Array> => {
    if (closed) throw new NeuriteError('ABORTED', 'the Redis evaluator is closed');
    const out = new Float64Array(jobs.length);
    if (jobs.length === 0) return out;
    const g = (jobs[0] as EvaluationJob).generation;
    let slots = 0;
    for (const j of jobs) {
      if (j.generation !== g) {
        throw new NeuriteError(
          'INVALID_OPTION',
          `jobs of one call must share a generation (${String(g)}, ${String(j.generation)})`,
        );
      }
      if (j.genome.length !== params) {
        throw new NeuriteError(
          'SHAPE_MISMATCH',
          `genome ${String(j.index)} has ${String(j.genome.length)} values; the run's architecture has ${String(params)} parameters`,
          { index: j.index },
        );
      }
      slots = Math.max(slots, j.index + 1);
    }
    const bytes = slots * params * 4;
    if (bytes > maxGeneration) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `generation ${String(g)} is ${String(bytes)} bytes of genomes, over maxGenerationBytes ${String(maxGeneration)}; raise the limit (workers too) or use a smaller population or network`,
      );
    }
    // Genome i at byte i × params × 4 (elites keep their fitness and are not sent: zeros there).
    const genomes = new Float32Array(slots * params);
    for (const j of jobs) genomes.set(j.genome, j.index * params);
    const raw = new Uint8Array(genomes.buffer);
    const digest = sha256(raw);
    const previous = await redis.get(keys.digest(g));
    if (previous !== null && previous !== digest) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `run ${JSON.stringify(run)} has other genomes stored for generation ${String(g)}: the settings or seed changed since it started; give a new run name`,
      );
    }
    await redis
      .multi()
      .set(keys.genomes(g), Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), 'EX', ttl)
      .set(keys.digest(g), digest, 'EX', ttl)
      .expire(keys.meta, ttl)
      .expire(keys.model, ttl)
      .exec();
    const have = await redis.hgetall(keys.fitness(g));
    await enqueue(
      g,
      jobs.filter((j) => have[String(j.index)] === undefined),
    );
    const total = jobs.length;
    // Counting is cheap (HLEN); the results are read once, when all are in.
    for (;;) {
      if (closed) throw new NeuriteError('ABORTED', 'the Redis evaluator was closed during a generation');
      const [[, failures], [, count]] = (await redis.multi().hlen(keys.errors(g)).hlen(keys.fitness(g)).exec()) as [
        [unknown, number],
        [unknown, number],
      ];
      if (failures > 0) {
        const errors = await redis.hgetall(keys.errors(g));
        const failed = Math.min(...Object.keys(errors).map(Number));
        const message = errors[String(failed)] ?? '';
        throw new NeuriteError('FITNESS_ERROR', message, { index: failed, cause: new Error(message) });
      }
      options.onProgress?.(Math.min(count, total), total);
      let results: Record<string, string> | undefined;
      if (count >= total) {
        results = await redis.hgetall(keys.fitness(g));
        if (jobs.every((j) => results?.[String(j.index)] !== undefined)) {
          jobs.forEach((j, k) => (out[k] = Number(results?.[String(j.index)])));
          break;
        }
      }
      // Woken by each result; after a quiet poll interval, look for jobs that were lost.
      const woke = await waiter.blpop(keys.done(g), poll / 1000).catch((e: unknown) => {
        if (closed) throw new NeuriteError('ABORTED', 'the Redis evaluator was closed during a generation');
        throw e;
      });
      if (woke === null) {
        results ??= await redis.hgetall(keys.fitness(g));
        await requeueLost(
          g,
          jobs.filter((j) => results?.[String(j.index)] === undefined),
        );
      }
    }
    // The fitnesses stay (they are the checkpoint a resumed run reads); the genomes go.
    await redis.multi().del(keys.genomes(g), keys.done(g)).expire(keys.fitness(g), ttl).exec();
    return out;
  };

  /** Redis's own errors (a lost connection, a missing permission) become one IO_ERROR naming the server. */
  const evaluate = (jobs: readonly EvaluationJob[]): Promise<Float64Array> =>
    scoreGeneration(jobs).catch((e: unknown) => {
      if (e instanceof NeuriteError) throw e;
      throw new NeuriteError(
        'IO_ERROR',
        `Redis at ${redactUrl(options.url)} failed: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    });

  return {
    run,
    evaluate,
    async close(closeOptions = {}) {
      if (closed) return;
      closed = true;
      waiter.disconnect();
      if (closeOptions.removeRun === true) {
        let cursor = '0';
        do {
          const [next, found] = await redis.scan(cursor, 'MATCH', keys.all, 'COUNT', 1000);
          if (found.length > 0) await redis.del(...found);
          cursor = next;
        } while (cursor !== '0');
      }
      await queue.close();
      await redis.quit();
    },
  };
}
