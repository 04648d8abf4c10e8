// What the coordinator (evaluator.ts) and the workers (worker.ts) agree on: the key layout in Redis,
// the job record, the limits, and how a connection is opened. Kept in one file so the two sides
// cannot drift.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
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

/**
 * A tune trial's job record: one candidate's hyper-parameters scored on some folds of the run's
 * data. The data's description (and its files' content hashes) and the folds' row indices are
 * stored once per run; `batch` counts the runner's calls (a search round), `index` is the trial's
 * place in it.
 */
export interface TrialJob {
  readonly run: string;
  readonly batch: number;
  readonly index: number;
  /** The trial's settings (what the evaluator trains with). */
  readonly params: Readonly<Record<string, number | string>>;
  readonly seed: number;
  /** Fold numbers, in the order their scores come back. */
  readonly folds: readonly number[];
}

/** A file the trial data reads, as the coordinator found it. */
export interface DataFile {
  /** Absolute path: each worker reads the file at the same path. */
  readonly path: string;
  /** SHA-256 of the file's bytes (hex); a worker refuses a file whose hash differs. */
  readonly sha256: string;
}

/** What a tune run's trials are built from, stored once per run. */
export interface TrialRecord {
  /** Handed to the workers' evaluator factory (plain data). */
  readonly data: unknown;
  readonly files: readonly DataFile[];
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
    /** The architecture record (JSON), stored once per run; a tune run's {@link TrialRecord}. */
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
    /** Tune runs: hash fold number → its rows as int32 bytes (training count, training rows, held-out rows). */
    folds: `${base}:folds`,
  };
}

/** The keys of one run. */
export type RunKeys = ReturnType<typeof runKeys>;

/** BullMQ job id of one evaluation: the same evaluation always gets the same id. */
export function jobId(job: FitnessJob): string {
  return `${job.run}-${String(job.generation)}-${String(job.index)}`;
}

/** BullMQ job id of one trial (`t` keeps it apart from a fitness job of a run of the same name). */
export function trialJobId(job: Pick<TrialJob, 'run' | 'batch' | 'index'>): string {
  return `${job.run}-t${String(job.batch)}-${String(job.index)}`;
}

/** SHA-256 in hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 of a file in hex, read as a stream (data files may be larger than memory). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
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
    // A failed TLS handshake surfaces as "Connection is closed"; the socket's own error says why.
    const why = lastError?.message ?? (e instanceof Error ? e.message : String(e));
    const hint = /certificate/i.test(why)
      ? 'a server certificate from a private CA needs that CA, e.g. NODE_EXTRA_CA_CERTS=/path/ca.crt in the environment'
      : "check that redis-server runs there and the URL's user and password";
    throw new NeuriteError(
      'IO_ERROR',
      `${what} cannot use Redis at ${redactUrl(url)}: ${why}; ${hint} (docs/scaling-out.md)`,
    );
  }
  first = false;
  return redis;
}

/** The scores a worker writes for one trial: each fold's, as strings that parse back exactly. */
export function encodeScores(scores: readonly number[]): string {
  return JSON.stringify(scores.map(encodeFitness));
}

/** The scores of {@link encodeScores}. */
export function decodeScores(text: string): number[] {
  return (JSON.parse(text) as string[]).map(Number);
}
