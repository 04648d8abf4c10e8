// The coordinator's side: a ParallelEvaluator that stores each generation in Redis once, queues one
// small BullMQ job per genome and collects the fitnesses by index.
import { randomUUID } from 'node:crypto';
import { NeuriteError, registeredBackends, type NeuralNetwork } from '../index.js';
import type { EvaluationJob, ParallelEvaluator } from '../evolve/index.js';
import { jobId, sha256, type FitnessJob, type RunArchitecture } from './protocol.js';
import { openRun } from './run-session.js';
import { DEFAULT_LIMITS, DEFAULT_QUEUE, type PayloadLimits } from './settings.js';

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
  const maxGeneration = options.maxGenerationBytes ?? DEFAULT_LIMITS.maxGenerationBytes;
  const record: RunArchitecture = {
    model: options.network.toJSON({ optimizerState: false }),
    backend: registeredBackends().includes(options.network.backend.name) ? options.network.backend.name : 'auto',
  };
  const params = options.network.parameterCount;
  const ttl = options.ttlSeconds ?? 86400;
  const session = await openRun<FitnessJob>({
    url: options.url,
    queue: options.queue ?? DEFAULT_QUEUE,
    run,
    record: JSON.stringify(record),
    maxRecordBytes: options.maxModelBytes ?? DEFAULT_LIMITS.maxModelBytes,
    what: 'architecture',
    who: 'the evolve coordinator',
    ttl,
    poll: options.pollInterval ?? 2000,
  });
  const { redis, keys } = session;

  const scoreGeneration = async (jobs: readonly EvaluationJob[]): Promise<Float64Array> => {
    if (session.closed) throw new NeuriteError('ABORTED', 'the Redis evaluator is closed');
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
    await session.claim(g, sha256(raw), `genomes stored for generation ${String(g)}`);
    await redis.set(keys.genomes(g), Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), 'EX', ttl);
    const results = await session.collect(
      g,
      'fitness',
      jobs.map((j) => ({ index: j.index, data: { run, generation: g, index: j.index, seed: j.seed } })),
      jobId,
      { onCount: (count) => options.onProgress?.(count, jobs.length) },
    );
    jobs.forEach((j, k) => (out[k] = Number(results[String(j.index)])));
    // The fitnesses stay (they are the checkpoint a resumed run reads); the genomes go.
    await redis.multi().del(keys.genomes(g), keys.done(g)).expire(keys.fitness(g), ttl).exec();
    return out;
  };

  return {
    run,
    evaluate: (jobs) => session.wrap(scoreGeneration(jobs)),
    close: (closeOptions) => session.close(closeOptions),
  };
}
