// Node worker-thread pool that splits large matrix products over cores, sharing the backend's
// wasm memory. Measured here: a bare Atomics.wait/notify round trip costs 14–118 µs, which made
// small products 2–10× slower, while spinning briefly before waiting costs ~0.4 µs; so both sides
// spin first, and only products from 1 MFLOP are split. With the worker still spinning from the
// previous job (20k polls, ~50 µs, covers every gap in a W2 training step once its 1 MFLOP
// products and its Adam pass are split too), 1 MFLOP products ran ×1.4–1.7 faster on 2 threads on
// the shared 2-vCPU bench machine; a worker that finds itself descheduled spins only briefly for a
// while (see threads-core.ts), as a long spin on a busy machine takes CPU from the caller.
import { Worker } from 'node:worker_threads';
import type { GemmRunner, WasmBackend } from './backend.js';
import { createPoolCore, poolWorkerSource } from './threads-core.js';

// The protocol (chunks claimed from a shared counter, spin-then-wait on both sides) lives in
// threads-core.ts, shared with the browser pool; this file only starts Node workers.
const WORKER_SOURCE = `const { workerData } = require('node:worker_threads');
(${poolWorkerSource()})(workerData);
`;

/** Options for {@link attachThreadPool}. */
export interface ThreadPoolOptions {
  /** Total threads including the caller's (default 2). 1 detaches any pool. */
  threads?: number;
  /** Products below this many flops stay on the calling thread (default 2^20, ~1 MFLOP). */
  minFlops?: number;
  /** Polls of the job counter before a worker sleeps in Atomics.wait (default 20,000, ~50 µs). */
  spin?: number;
  /**
   * Whether the pool measures if splitting pays and keeps its jobs on the calling thread while it
   * does not, as on a VM whose two vCPUs share one core (default true). Results are the same
   * either way.
   */
  adapt?: boolean;
}

/** What a pool's split-or-solo choice (see {@link ThreadPoolOptions.adapt}) has decided so far. */
export interface PoolChoice {
  /** Whether the pool splits its jobs now (false: it keeps them on the calling thread). */
  readonly splitting: boolean;
  /** Jobs run on the calling thread alone because of the choice (its trials included). */
  readonly soloCalls: number;
  /** Times the choice has changed. */
  readonly switches: number;
}

/** A pool; `close()` stops its workers. */
export interface ThreadPool extends GemmRunner {
  /** Starts the workers now, if they have not started yet (see {@link attachThreadPool}). */
  start(): void;
  /** Whether the workers have been started. */
  readonly started: boolean;
  /** Chunks of split jobs the workers (not the caller) have computed so far. */
  readonly workerChunks: number;
  /** The split-or-solo choice (see `adapt`); undefined with `adapt: false`. */
  readonly choice: PoolChoice | undefined;
  close(): Promise<void>;
}

/**
 * Attaches a pool of `threads − 1` workers on the backend's shared memory and routes its large
 * products through them. Chunks are rows or columns of C, and every C element is computed by the
 * same instructions as on one thread: results are bit-identical for any thread count.
 *
 * The workers start on the first split job, or earlier through `start()` (the backend's `prepare`
 * calls it when a network large enough to use them is built; the `neurite` Node entry calls it
 * for the default backend once the importing script yields, see `startDefaultPool`). A process
 * that only trains small networks never starts a thread: starting one costs tens of milliseconds
 * of CPU, which on a 2-core machine slowed seed 002's 4,000-step loop (W1) by up to 2×. Until a
 * worker has started, the caller computes every chunk itself, so a job never waits for one.
 *
 * @example
 * ```ts
 * const backend = createWasmBackend({ shared: true });
 * const pool = attachThreadPool(backend, { threads: 2 });
 * // … products of 1 MFLOP and more now use both cores …
 * await pool?.close();
 * ```
 */
export function attachThreadPool(backend: WasmBackend, options: ThreadPoolOptions = {}): ThreadPool | undefined {
  const threads = Math.max(1, Math.floor(options.threads ?? 2));
  if (threads === 1 || !backend.shared) {
    backend.setRunner(undefined);
    return undefined;
  }
  const core = createPoolCore(backend, threads, { ...options, canWait: true });
  const r = core.runner;
  let workers: Worker[] | undefined;
  const start = (): void => {
    if (workers !== undefined) return;
    workers = core.workerData.map((workerData) => {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData });
      // Workers never keep the process alive; an idle one is parked in Atomics.wait.
      w.unref();
      w.on('error', () => core.fail());
      return w;
    });
  };
  const pool: ThreadPool = {
    threads: r.threads,
    minFlops: r.minFlops,
    gemm(ta, tb, m, n, k, alpha, a, b, beta, c) {
      start();
      r.gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
    },
    elementwise(kernel, n, arrays, attrs, meanwhile, maxChunk) {
      start();
      r.elementwise(kernel, n, arrays, attrs, meanwhile, maxChunk);
    },
    gatherRows(count, cols, idx, src, dst) {
      start();
      r.gatherRows(count, cols, idx, src, dst);
    },
    start,
    get started() {
      return workers !== undefined;
    },
    get workerChunks() {
      return core.workerChunks;
    },
    get choice() {
      return core.choice;
    },
    async close() {
      core.stop();
      if (workers !== undefined) await Promise.all(workers.map((w) => w.terminate()));
    },
  };
  backend.setRunner(pool);
  return pool;
}
