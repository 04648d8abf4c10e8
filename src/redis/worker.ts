// The worker's side: a BullMQ worker whose processor reads a job's genome from Redis and scores it
// on a pool of worker threads, so the event loop stays free to renew the job's lock however long
// the fitness takes.
import { availableParallelism } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { NeuralNetwork, NeuriteError, registeredBackends } from '../index.js';
import { workerPool, type WorkerPool } from '../evolve/node.js';
import { assertRunId, connect, encodeFitness, runKeys, type FitnessJob, type RunArchitecture } from './protocol.js';
import {
  BULL_PREFIX,
  DEFAULT_LIMITS,
  DEFAULT_LOCKS,
  DEFAULT_QUEUE,
  type LockOptions,
  type PayloadLimits,
} from './settings.js';

/** Options of {@link redisWorker}. */
export interface RedisWorkerOptions extends PayloadLimits, LockOptions {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://…` for TLS. */
  readonly url: string;
  /** Path or file: URL of the ES module exporting the fitness function (as for `workerPool`). */
  readonly module: string | URL;
  /** Name of the export (default `'fitness'`); it receives `(network, { generation, index, seed })`. */
  readonly exportName?: string;
  /** Jobs at once, each on its own thread (default: the machine's available parallelism). */
  readonly concurrency?: number;
  /** BullMQ queue to take jobs from (default `'neurite-evolve'`). */
  readonly queue?: string;
  /** Called after each job, with its fitness or the reason it failed (for logs). */
  readonly onJob?: (job: FitnessJob, result: { fitness?: number; error?: string }) => void;
}

/** A running worker; `close()` finishes the jobs in hand and stops. */
export interface RedisWorker {
  /** Jobs it runs at once. */
  readonly concurrency: number;
  /** Stops taking jobs, waits for the running ones, then closes threads and connections. */
  close(): Promise<void>;
}

interface PoolEntry {
  readonly pool: WorkerPool;
  readonly params: number;
  busy: number;
}

/** The most architectures whose thread pools a worker keeps (older idle ones are closed). */
const KEEP_POOLS = 2;

function isFitnessJob(d: unknown): d is FitnessJob {
  if (typeof d !== 'object' || d === null) return false;
  const j = d as Record<string, unknown>;
  return (
    typeof j['run'] === 'string' &&
    [j['generation'], j['index'], j['seed']].every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)
  );
}

/**
 * Takes fitness jobs from the queue that {@link redisEvaluator} fills, until closed: one process
 * per machine (`neurite worker` runs this), `concurrency` threads. A job whose genome does not fit
 * its run's architecture, or whose payload passes the limits, is refused: the coordinator gets
 * `FITNESS_ERROR` with the reason. A worker that dies loses nothing: its jobs' locks lapse after
 * `lockDuration` and another worker takes them within `stalledInterval`.
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
  const queueName = options.queue ?? DEFAULT_QUEUE;
  assertRunId(queueName);
  const maxModel = options.maxModelBytes ?? DEFAULT_LIMITS.maxModelBytes;
  const maxGeneration = options.maxGenerationBytes ?? DEFAULT_LIMITS.maxGenerationBytes;
  const redis = await connect(options.url, 'the neurite worker');
  const pools = new Map<string, Promise<PoolEntry>>();

  /** The thread pool of one architecture (by content hash), started on first use from `run`'s record. */
  const poolFor = (hash: string, run: string): Promise<PoolEntry> => {
    const cached = pools.get(hash);
    if (cached !== undefined) return cached;
    const made = (async (): Promise<PoolEntry> => {
      const key = runKeys(queueName, run).model;
      const size = await redis.strlen(key);
      if (size === 0) throw new UnrecoverableError('the run’s architecture is no longer in Redis (expired or removed)');
      if (size > maxModel) {
        throw new UnrecoverableError(
          `the run’s architecture is ${String(size)} bytes, over this worker’s maxModelBytes ${String(maxModel)}`,
        );
      }
      const record = JSON.parse((await redis.get(key)) ?? 'null') as RunArchitecture;
      const backend = registeredBackends().includes(record.backend) ? record.backend : 'auto';
      const network = NeuralNetwork.fromJSON(record.model, { backend });
      const pool = await workerPool({
        module: options.module,
        exportName: options.exportName ?? 'fitness',
        network,
        workers: concurrency,
      });
      return { pool, params: network.parameterCount, busy: 0 };
    })();
    pools.set(hash, made);
    made.catch(() => pools.delete(hash));
    // Close idle pools of architectures no longer in use.
    void (async () => {
      for (const [h, p] of pools) {
        if (pools.size <= KEEP_POOLS) break;
        const entry = await p.catch(() => undefined);
        if (h !== hash && entry?.busy === 0) {
          pools.delete(h);
          await entry.pool.close();
        }
      }
    })();
    return made;
  };

  const refuse = async (data: FitnessJob, ttl: number, message: string): Promise<never> => {
    const keys = runKeys(queueName, data.run);
    await redis
      .multi()
      .hsetnx(keys.errors(data.generation), String(data.index), message)
      .expire(keys.errors(data.generation), ttl)
      .rpush(keys.done(data.generation), String(data.index))
      .expire(keys.done(data.generation), ttl)
      .exec();
    options.onJob?.(data, { error: message });
    throw new UnrecoverableError(message);
  };

  const processor = async (job: Job<FitnessJob>): Promise<number> => {
    const data = job.data;
    if (!isFitnessJob(data)) throw new UnrecoverableError(`job ${String(job.id)} is not a neurite fitness job`);
    assertRunId(data.run);
    const keys = runKeys(queueName, data.run);
    const [hash, ttlText] = await redis.hmget(keys.meta, 'architecture', 'ttl');
    const ttl = Number(ttlText ?? 86400);
    if (hash === null || hash === undefined)
      return refuse(data, ttl, `run ${data.run} is no longer in Redis (expired or removed)`);
    let entry: PoolEntry;
    try {
      entry = await poolFor(hash, data.run);
    } catch (e) {
      return refuse(data, ttl, e instanceof Error ? e.message : String(e));
    }
    const bytes = entry.params * 4;
    if ((data.index + 1) * bytes > maxGeneration) {
      return refuse(
        data,
        ttl,
        `genome ${String(data.index)} lies past this worker's maxGenerationBytes ${String(maxGeneration)}`,
      );
    }
    const start = data.index * bytes;
    const raw = await redis.getrangeBuffer(keys.genomes(data.generation), start, start + bytes - 1);
    if (raw.length !== bytes) {
      return refuse(
        data,
        ttl,
        `genome ${String(data.index)} of generation ${String(data.generation)} has ${String(raw.length)} bytes in Redis; the run's architecture needs ${String(bytes)} (${String(entry.params)} float32 parameters)`,
      );
    }
    const genome = new Float32Array(entry.params);
    new Uint8Array(genome.buffer).set(raw);
    let fitness: number;
    entry.busy++;
    try {
      const values = await entry.pool.evaluate([
        { genome, generation: data.generation, index: data.index, seed: data.seed },
      ]);
      fitness = values[0] as number;
    } catch (e) {
      return await refuse(data, ttl, e instanceof Error ? e.message : String(e));
    } finally {
      entry.busy--;
    }
    await redis
      .multi()
      .hsetnx(keys.fitness(data.generation), String(data.index), encodeFitness(fitness))
      .expire(keys.fitness(data.generation), ttl)
      .rpush(keys.done(data.generation), String(data.index))
      .expire(keys.done(data.generation), ttl)
      .exec();
    options.onJob?.(data, { fitness });
    return fitness;
  };

  const worker = new Worker<FitnessJob, number>(queueName, processor, {
    connection: redis,
    prefix: BULL_PREFIX,
    concurrency,
    lockDuration: options.lockDuration ?? DEFAULT_LOCKS.lockDuration,
    stalledInterval: options.stalledInterval ?? DEFAULT_LOCKS.stalledInterval,
    maxStalledCount: options.maxStalledCount ?? DEFAULT_LOCKS.maxStalledCount,
  });
  worker.on('error', () => undefined);
  await worker.waitUntilReady();
  return {
    concurrency,
    async close() {
      await worker.close();
      for (const p of pools.values()) await (await p.catch(() => undefined))?.pool.close();
      await redis.quit();
    },
  };
}
