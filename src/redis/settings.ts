// The settings of neurite-redis that both sides and the command line share: defaults, limits and
// how URLs are shown. Importable as `neurite-redis/settings` without loading bullmq or ioredis.

/** Limits both sides enforce; see docs/scaling-out.md. */
export interface PayloadLimits {
  /** Largest architecture record in bytes (default 16 MiB). */
  readonly maxModelBytes?: number;
  /** Largest generation of genomes in bytes, population × parameters × 4 (default 256 MiB). */
  readonly maxGenerationBytes?: number;
}

/** The defaults of {@link PayloadLimits}. */
export const DEFAULT_LIMITS = { maxModelBytes: 16 << 20, maxGenerationBytes: 256 << 20 } as const;

/** The BullMQ queue of evolve's fitness jobs unless one is given. */
export const DEFAULT_QUEUE = 'neurite-evolve';

/** The BullMQ queue of tune's trials unless one is given. */
export const DEFAULT_TUNE_QUEUE = 'neurite-tune';

/** BullMQ's key prefix for neurite queues (its default is `bull`). */
export const BULL_PREFIX = 'neurite';

/**
 * Lock settings of the workers: a job whose worker stops renewing its lock (crash, SIGKILL, lost
 * network) returns to the queue after about `lockDuration + stalledInterval` ms.
 */
export interface LockOptions {
  /** How long a job's lock lasts without renewal, ms (default 4000; BullMQ's own default is 30000). */
  readonly lockDuration?: number;
  /** How often workers look for jobs whose lock expired, ms (default 2000). */
  readonly stalledInterval?: number;
  /** How many times a job may stall before it fails (default 10: fitness is pure, a rerun is harmless). */
  readonly maxStalledCount?: number;
}

/** The defaults of {@link LockOptions}. */
export const DEFAULT_LOCKS = { lockDuration: 4000, stalledInterval: 2000, maxStalledCount: 10 } as const;

/** The URL with its password replaced, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
}
