// The coordinator's hold on one run in Redis, shared by evolve's evaluator and tune's trial runner:
// the connections and queue, the run's record stored once (refused when the run name is taken by
// other settings), one batch of jobs at a time, and closing with or without the run's keys.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { NeuriteError } from '../index.js';
import { collectBatch, type BatchJob } from './batch.js';
import { assertRunId, connect, runKeys, sha256, type RunKeys } from './protocol.js';
import { BULL_PREFIX, redactUrl } from './settings.js';

/** What {@link openRun} needs. */
export interface RunSessionOptions {
  readonly url: string;
  readonly queue: string;
  readonly run: string;
  /** The run's record (architecture, or a tune run's data), stored once under `keys.model`. */
  readonly record: string;
  /** Most bytes the record may have. */
  readonly maxRecordBytes: number;
  /** What the record is, for messages: `'architecture'` or `'data'`. */
  readonly what: string;
  /** Who connects, for messages: `'the evolve coordinator'`. */
  readonly who: string;
  readonly ttl: number;
  readonly poll: number;
}

/** An open run; see {@link openRun}. */
export interface RunSession<T> {
  readonly redis: Redis;
  readonly keys: RunKeys;
  /** True once closed. */
  readonly closed: boolean;
  /** Queues `jobs` (those without a result) under `batch` and resolves with every result by index. */
  collect(
    batch: number,
    name: string,
    jobs: readonly BatchJob<T>[],
    id: (data: T) => string,
    extra?: {
      signal?: AbortSignal | undefined;
      onCount?: (count: number) => void | Promise<void>;
    },
  ): Promise<Record<string, string>>;
  /**
   * Records the content hash of batch `batch`'s inputs and renews the run's expiry; a resumed run
   * whose batch differs (`what`, e.g. "genomes for generation 3") is refused.
   */
  claim(batch: number, digest: string, what: string): Promise<void>;
  /** Redis's own errors (a lost connection, a missing permission) as one `IO_ERROR` naming the server. */
  wrap<R>(work: Promise<R>): Promise<R>;
  close(options?: { removeRun?: boolean }): Promise<void>;
}

/**
 * Connects, checks that `run` is free or holds the same record (a resumed run), stores the record
 * with the run's expiry and opens the queue.
 */
export async function openRun<T>(o: RunSessionOptions): Promise<RunSession<T>> {
  assertRunId(o.run);
  assertRunId(o.queue);
  const size = Buffer.byteLength(o.record);
  if (size > o.maxRecordBytes) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `the ${o.what} record is ${String(size)} bytes, over the limit of ${String(o.maxRecordBytes)} (maxModelBytes)`,
    );
  }
  const keys = runKeys(o.queue, o.run);
  const hash = sha256(o.record);
  const redis = await connect(o.url, o.who);
  // BLPOP holds its connection, so waiting gets one of its own.
  const waiter = redis.duplicate();
  waiter.on('error', () => undefined);
  const queue = new Queue<T>(o.queue, { connection: redis, prefix: BULL_PREFIX });
  queue.on('error', () => undefined);
  let closed = false;

  const stored = await redis.hget(keys.meta, 'architecture');
  if (stored !== null && stored !== hash) {
    await Promise.all([queue.close(), waiter.quit(), redis.quit()]);
    throw new NeuriteError(
      'INVALID_OPTION',
      `run ${JSON.stringify(o.run)} exists in Redis with another ${o.what}; give a new run name or remove the old run's keys (${keys.all})`,
    );
  }
  await redis
    .multi()
    .set(keys.model, o.record, 'EX', o.ttl)
    .hset(keys.meta, { architecture: hash, ttl: String(o.ttl) })
    .expire(keys.meta, o.ttl)
    .exec();

  return {
    redis,
    keys,
    get closed() {
      return closed;
    },
    collect: (batch, name, jobs, id, extra = {}) =>
      collectBatch<T>({
        redis,
        waiter,
        queue,
        keys,
        batch,
        name,
        jobs,
        id,
        ttl: o.ttl,
        poll: o.poll,
        stopped: () => {
          if (closed) return new NeuriteError('ABORTED', `the Redis run ${o.run} was closed while it waited`);
          if (extra.signal?.aborted === true) return new NeuriteError('ABORTED', 'stopped by its AbortSignal');
          return undefined;
        },
        ...(extra.onCount !== undefined ? { onCount: extra.onCount } : {}),
      }),
    async claim(batch, digest, what) {
      const previous = await redis.get(keys.digest(batch));
      if (previous !== null && previous !== digest) {
        throw new NeuriteError(
          'INVALID_OPTION',
          `run ${JSON.stringify(o.run)} has other ${what}: the settings or seed changed since it started; give a new run name`,
        );
      }
      await redis
        .multi()
        .set(keys.digest(batch), digest, 'EX', o.ttl)
        .expire(keys.meta, o.ttl)
        .expire(keys.model, o.ttl)
        .expire(keys.folds, o.ttl)
        .exec();
    },
    wrap: (work) =>
      work.catch((e: unknown) => {
        if (e instanceof NeuriteError) throw e;
        throw new NeuriteError(
          'IO_ERROR',
          `Redis at ${redactUrl(o.url)} failed: ${e instanceof Error ? e.message : String(e)}`,
          { cause: e },
        );
      }),
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
