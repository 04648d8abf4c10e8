// What both kinds of run (evolve's generations, tune's rounds) do with one batch of jobs. The
// coordinator queues the jobs that have no result yet, waits for every result by index and queues
// again the jobs that were lost; a worker writes each outcome once by index and wakes the
// coordinator. Kept in one place so the two kinds of run cannot drift.
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { NeuriteError } from '../index.js';
import type { RunKeys } from './protocol.js';

/** One job of a batch: its place in the batch and its BullMQ payload. */
export interface BatchJob<T> {
  readonly index: number;
  readonly data: T;
}

/** What {@link collectBatch} needs. */
export interface BatchOptions<T> {
  readonly redis: Redis;
  /** A connection of its own: BLPOP holds it while waiting. */
  readonly waiter: Redis;
  readonly queue: Queue<T>;
  readonly keys: RunKeys;
  /** The generation (evolve) or round (tune) the results are stored under. */
  readonly batch: number;
  /** BullMQ job name: `'fitness'` or `'trial'`. */
  readonly name: string;
  readonly jobs: readonly BatchJob<T>[];
  /** The job's id: the same job always gets the same one, so it is never queued twice. */
  readonly id: (data: T) => string;
  /** Seconds the failed jobs and the results live. */
  readonly ttl: number;
  /** How long to wait for a result before looking for lost jobs, ms. */
  readonly poll: number;
  /** Why waiting must stop (the coordinator was closed or aborted), checked at each wake-up. */
  readonly stopped: () => NeuriteError | undefined;
  /** Called at each wake-up with how many results are in. */
  readonly onCount?: (count: number) => void | Promise<void>;
}

/**
 * Queues the batch's jobs that have no result in Redis (a resumed run reads the others back),
 * waits until every index has a result and returns them (index → value as the worker wrote it).
 * A job that is gone from the queue or failed for a reason other than its own evaluation (its
 * worker died past `maxStalledCount`) is queued again after a quiet `poll`. The first evaluation
 * error stops the batch with `FITNESS_ERROR` naming the index.
 */
export async function collectBatch<T>(o: BatchOptions<T>): Promise<Record<string, string>> {
  const { redis, queue, keys, batch } = o;
  const enqueue = async (jobs: readonly BatchJob<T>[]): Promise<void> => {
    if (jobs.length === 0) return;
    await queue.addBulk(
      jobs.map((j) => ({
        name: o.name,
        data: j.data,
        opts: { jobId: o.id(j.data), removeOnComplete: true, removeOnFail: { age: o.ttl } },
      })) as Parameters<Queue<T>['addBulk']>[0],
    );
  };
  const missing = (results: Record<string, string>): BatchJob<T>[] =>
    o.jobs.filter((j) => results[String(j.index)] === undefined);
  const requeueLost = async (jobs: readonly BatchJob<T>[]): Promise<void> => {
    const lost: BatchJob<T>[] = [];
    for (const j of jobs) {
      const job = await queue.getJob(o.id(j.data));
      if (job === undefined) lost.push(j);
      else if ((await job.getState()) === 'failed') {
        await job.remove();
        lost.push(j);
      }
    }
    await enqueue(lost);
  };
  const stopIfAsked = (): void => {
    const reason = o.stopped();
    if (reason !== undefined) throw reason;
  };

  await enqueue(missing(await redis.hgetall(keys.fitness(batch))));
  const total = o.jobs.length;
  // Counting is cheap (HLEN); the results are read when all are in, or to find lost jobs.
  for (;;) {
    stopIfAsked();
    const [[, failures], [, count]] = (await redis
      .multi()
      .hlen(keys.errors(batch))
      .hlen(keys.fitness(batch))
      .exec()) as [[unknown, number], [unknown, number]];
    if (failures > 0) {
      const errors = await redis.hgetall(keys.errors(batch));
      const failed = Math.min(...Object.keys(errors).map(Number));
      const message = errors[String(failed)] ?? '';
      throw new NeuriteError('FITNESS_ERROR', message, { index: failed, cause: new Error(message) });
    }
    await o.onCount?.(Math.min(count, total));
    let results: Record<string, string> | undefined;
    if (count >= total) {
      results = await redis.hgetall(keys.fitness(batch));
      if (missing(results).length === 0) return results;
    }
    // Woken by each result; after a quiet poll interval, look for jobs that were lost.
    const woke = await o.waiter.blpop(keys.done(batch), o.poll / 1000).catch((e: unknown) => {
      stopIfAsked();
      throw e;
    });
    if (woke === null) await requeueLost(missing(results ?? (await redis.hgetall(keys.fitness(batch)))));
  }
}

/**
 * Worker side: writes a job's outcome once by index (`HSETNX`, so a job that ran twice counts
 * once), a result under `fitness` or a refusal under `errors`, and wakes the coordinator.
 */
export async function recordOutcome(
  redis: Redis,
  keys: RunKeys,
  batch: number,
  index: number,
  outcome: { readonly value: string } | { readonly error: string },
  ttl: number,
): Promise<void> {
  const hash = 'value' in outcome ? keys.fitness(batch) : keys.errors(batch);
  await redis
    .multi()
    .hsetnx(hash, String(index), 'value' in outcome ? outcome.value : outcome.error)
    .expire(hash, ttl)
    .rpush(keys.done(batch), String(index))
    .expire(keys.done(batch), ttl)
    .exec();
}
