// What the coordinator (evaluator.ts) and the workers (worker.ts) agree on: the key layout in Redis,
// the job record, the limits, and how a connection is opened. Kept in one file so the two sides
// cannot drift.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { NeuriteError } from '../index.js';
import { redactUrl } from './settings.js';

/** The job record: everything else (architecture, genomes) is read from Redis by key. */
export interface FitnessJob {
  readonly run: string;
  readonly generation: number;
  readonly index: number;
  readonly seed: number;
}

/** The architecture a run evaluates, stored once per run (a model file without optimizer state). */
export interface RunArchitecture {
  readonly model: unknown;
  readonly backend: string;
}

const RUN_ID = /^[A-Za-z0-9_.-]{1,100}$/;

/** Throws `INVALID_OPTION` unless `run` can name keys and job ids (BullMQ refuses `:` in ids). */
export function assertRunId(run: unknown): asserts run is string {
  if (typeof run !== 'string' || !RUN_ID.test(run)) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `run must be 1-100 characters of letters, digits, '_', '.' or '-', got ${JSON.stringify(run)}`,
    );
  }
}

/** The Redis keys of one run (under the queue's name, so several queues share a server). */
export function runKeys(queue: string, run: string) {
  const base = `neurite:${queue}:runs:${run}`;
  const gen = (g: number, what: string): string => `${base}:gen:${String(g)}:${what}`;
  return {
    /** Pattern matching every key of the run. */
    all: `${base}:*`,
    /** Hash: `architecture` (content hash of the record under `model`) and `ttl` (seconds). */
    meta: `${base}:meta`,
    /** The architecture record (JSON), stored once per run. */
    model: `${base}:model`,
    /** The generation's genomes: little-endian float32, genome i at byte i × parameters × 4. */
    genomes: (g: number) => gen(g, 'genomes'),
    /** SHA-256 of the genomes bytes, so a resumed run proves it is the same run. */
    digest: (g: number) => gen(g, 'digest'),
    /** Hash index → fitness (written once per index: a retried job cannot count twice). */
    fitness: (g: number) => gen(g, 'fitness'),
    /** Hash index → error message of a fitness that failed. */
    errors: (g: number) => gen(g, 'errors'),
    /** List the workers push to after each result, to wake the coordinator. */
    done: (g: number) => gen(g, 'done'),
  };
}

/** BullMQ job id of one evaluation: the same evaluation always gets the same id. */
export function jobId(job: FitnessJob): string {
  return `${job.run}-${String(job.generation)}-${String(job.index)}`;
}

/** SHA-256 in hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A fitness as a string that parses back to the same double (String() loses the sign of −0). */
export function encodeFitness(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/**
 * Opens a connection to `url` (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS,
 * passed to ioredis as is) and proves it works with a PING, so a wrong address or password is
 * one clear `IO_ERROR` instead of endless reconnecting. Once open, the connection reconnects by
 * itself when Redis restarts (BullMQ needs `maxRetriesPerRequest: null`).
 */
export async function connect(url: string, what: string): Promise<Redis> {
  if (typeof url !== 'string' || !/^rediss?:\/\//.test(url)) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `the Redis URL must start with redis:// or rediss:// (TLS), got ${JSON.stringify(url)}`,
    );
  }
  let first = true;
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    lazyConnect: true,
    connectTimeout: 5000,
    // Give up at once while connecting for the first time; afterwards retry with a capped backoff.
    retryStrategy: (times) => (first ? null : Math.min(times * 200, 2000)),
  });
  let lastError: Error | undefined;
  redis.on('error', (e: Error) => (lastError = e));
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    const why = e instanceof Error ? e.message : String(lastError ?? e);
    throw new NeuriteError(
      'IO_ERROR',
      `${what} cannot use Redis at ${redactUrl(url)}: ${why}; check that redis-server runs there and the URL's user and password (docs/scaling-out.md)`,
    );
  }
  first = false;
  return redis;
}
