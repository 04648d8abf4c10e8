// The runtime-independent half of the wasm thread pools (threads-node.ts, threads-web.ts): the
// shared control block and the caller's side of a split job. The work loop itself, which the
// caller shares with every worker, is in pool-worker.ts. Browser-safe: no Node imports.
import type { GemmRunner, WasmBackend } from './backend.js';
import { ELEMENTWISE_EXPORTS, elementwiseExports } from './native-kernels.js';
import {
  drainChunks,
  POOL_CONTROL_SLOTS,
  POOL_SLOTS as S,
  POOL_WARM_BYTES,
  type PoolWorkerData,
} from './pool-worker.js';
import { SplitChoice } from './split-choice.js';

// Work is cut into fixed chunks (of rows, or of columns when rows are few) that every thread, the
// caller included, claims from a shared counter. A worker the OS has descheduled then only delays
// the chunk it already holds, and the caller never waits for a worker merely to wake up.

/** Products below this many flops are cut into one chunk per thread (see `gemm`). */
const FEW_CHUNKS_FLOPS = 1 << 24;
/** While calm, products below this many flops stay on the caller. */
const CALM_MIN_FLOPS = 1 << 23;
/**
 * After this long (ms) of calm, the caller hands out a split job again. Only a worker that runs a
 * job can clear CALM, and a job the caller keeps to itself never wakes one: without this, a
 * process whose jobs all fit the calm rules (a quantized `predictBatch` loop) stayed on one
 * thread for good after a single descheduled spin.
 */
const CALM_RETRY_MS = 50;
/** Bytes of never-used memory the workers map ahead of the caller's first blocks (see `touchFresh`). */
const FRESH_BYTES = 8 << 20;

export { poolWorkerSource, type PoolWorkerData } from './pool-worker.js';

/** Tuning shared by both pools. */
export interface PoolCoreOptions {
  /** Products below this many flops stay on the calling thread (default 2^20, ~1 MFLOP). */
  minFlops?: number;
  /** Polls of the job counter before a worker sleeps in Atomics.wait (default 20,000, ~50 µs). */
  spin?: number;
  /**
   * Whether the calling thread may block in Atomics.wait for stragglers (true in Node and in Web
   * Workers; false on a browser main thread, where it throws: there the caller only spins).
   */
  canWait: boolean;
  /**
   * Whether the pool measures if splitting pays and keeps its jobs on the calling thread while it
   * does not (default true; see split-choice.ts). False: every job large enough is split.
   */
  adapt?: boolean;
  /** The split-or-solo choice to use (tests pass one with their own clock). */
  choice?: SplitChoice;
}

/** The jobs a pool splits, as the backend calls them. */
type SplitJobs = Required<Omit<GemmRunner, 'start' | 'threads' | 'minFlops'>>;

/** The caller's side of a pool: what the backend calls, plus what starting and stopping workers need. */
export interface PoolCore {
  /** The split jobs, to attach with `backend.setRunner` (every `GemmRunner` method but `start`, which the runtime adds). */
  readonly runner: Required<Omit<GemmRunner, 'start'>>;
  /** Chunks of split jobs computed by workers (not the caller) so far: shows the pool is live. */
  readonly workerChunks: number;
  /** The pool's split-or-solo choice (undefined when `adapt` is false). */
  readonly choice: SplitChoice | undefined;
  /** One entry per worker to start (`threads − 1`). */
  readonly workerData: PoolWorkerData[];
  /** Marks the pool failed: the current and every later job throws. */
  fail(): void;
  /** Detaches the pool from the backend and tells every worker to leave its loop. */
  stop(): void;
}

/**
 * Waits until the workers have finished the job's last chunks (FINISHED reaches `nchunk`), or one
 * has failed. Its own function, not a loop inside the pool's `run`: V8 compiles a long-running
 * loop's function on the spot (OSR), and this wait made it compile all of `run`, with the chunk
 * loop it calls, twice in a process's first epoch (up to 12 ms of background compiling on two
 * cores that both threads need).
 */
function awaitChunks(I: Int32Array, nchunk: number, canWait: boolean): void {
  let done = Atomics.load(I, S.FINISHED);
  for (let s = 0; done < nchunk && s < 1_000_000; s++) done = Atomics.load(I, S.FINISHED);
  // A worker that died cannot report through the (blocked) event loop: give up after 60 s.
  const deadline = done < nchunk ? Date.now() + 60_000 : 0;
  while (done < nchunk) {
    if (Atomics.load(I, S.FAILED) !== 0 || Date.now() > deadline) Atomics.store(I, S.FAILED, 1);
    if (Atomics.load(I, S.FAILED) !== 0) break;
    if (canWait) Atomics.wait(I, S.FINISHED, done, 20);
    done = Atomics.load(I, S.FINISHED);
  }
}

/**
 * Sets up the control block and per-thread scratch for `threads` threads (the caller's included)
 * on a backend with shared memory. The runtime then starts one worker per `workerData` entry
 * running `poolWorkerSource()`, and attaches `runner` with `backend.setRunner`.
 */
export function createPoolCore(backend: WasmBackend, threads: number, options: PoolCoreOptions): PoolCore {
  const ctl = new SharedArrayBuffer(POOL_CONTROL_SLOTS * 4);
  const I = new Int32Array(ctl);
  const F = new Float32Array(ctl);
  const K = backend.kernels;
  const E = elementwiseExports(K);
  const scratchBytes = K.gemmScratchBytes();
  const scratch: number[] = [];
  for (let t = 0; t < threads; t++) {
    const off = backend.reserve(scratchBytes);
    if (off < 0) throw new Error('wasm thread pool: no memory for scratch');
    scratch.push(off);
  }
  const spin = options.spin ?? 20_000;
  // Without room for it, a worker skips its warm-up.
  const warm = scratch.slice(1).map(() => backend.reserve(POOL_WARM_BYTES));
  // Fresh memory for the first blocks the caller will take (a network's moments, weight backup,
  // gradients), whose pages the workers map while they are idle anyway.
  const fresh = backend.freshMemory(FRESH_BYTES) ?? { from: 0, to: 0 };
  const share = Math.ceil((fresh.to - fresh.from) / Math.max(1, threads - 1));
  const workerData = scratch.slice(1).map((s, i): PoolWorkerData => ({
    warm: warm[i] as number,
    module: backend.module,
    memory: backend.memory,
    ctl,
    slots: S,
    elementwise: ELEMENTWISE_EXPORTS,
    scratch: s,
    spin,
    fresh: fresh.from + i * share,
    freshEnd: Math.min(fresh.to, fresh.from + (i + 1) * share),
  }));
  const canWait = options.canWait;
  let gen = 0;
  let workerChunks = 0;
  const own = scratch[0]!;
  /** When the caller first kept a job to itself in the current calm spell (0: not calm). */
  let calmSince = 0;

  /** Whether the pool is calm and the caller should keep this job (see {@link CALM_RETRY_MS}). */
  function calm(): boolean {
    if (I[S.CALM] !== 1) {
      calmSince = 0;
      return false;
    }
    const now = performance.now();
    if (calmSince === 0) calmSince = now;
    if (now - calmSince < CALM_RETRY_MS) return true;
    calmSince = 0;
    return false;
  }

  /**
   * Publishes the job set up in the control block, runs `meanwhile` (the caller's own work, while
   * the workers start on the job), works on the job, waits for the other threads.
   */
  function run(nchunk: number, meanwhile?: () => void): void {
    gen = (gen % 0x7ff) + 1;
    Atomics.store(I, S.NCHUNK, nchunk);
    Atomics.store(I, S.FINISHED, 0);
    Atomics.store(I, S.CLAIM, gen << 20);
    Atomics.store(I, S.SEQ, gen);
    Atomics.notify(I, S.SEQ);
    // The job is out: whatever `meanwhile` does, its chunks must finish before this returns.
    let thrown: Error | undefined;
    try {
      meanwhile?.();
    } catch (err) {
      thrown = err instanceof Error ? err : new Error(String(err));
    }
    const mine = drainChunks(K, E, S, I, F, gen, own);
    if (Atomics.load(I, S.FINISHED) < nchunk) awaitChunks(I, nchunk, canWait);
    if (Atomics.load(I, S.FAILED) !== 0) throw new Error('wasm thread pool: a worker failed');
    workerChunks += nchunk - mine;
    if (thrown) throw thrown;
  }

  const tileRows = K.gemmTileRows();
  const A = S.ARGS;
  const choice = options.adapt === false ? undefined : (options.choice ?? new SplitChoice());
  /** The jobs as the calling thread runs them alone: the values a split gives. */
  const alone: SplitJobs = {
    gemm: (ta, tb, m, n, k, alpha, a, b, beta, c) =>
      K.gemmBlock(ta, tb, m, n, k, alpha, a, b, beta, c, 0, m, 0, n, own),
    elementwise(kernel, n, arrays, attrs, meanwhile) {
      E[kernel]!(0, n, arrays, attrs);
      meanwhile?.();
    },
    gatherRows: (count, cols, idx, src, dst) => K.gatherRows(count, cols, idx, src, dst),
  };

  /** The jobs split over the threads (kept on the caller while the pool is calm; see {@link calm}). */
  const split: SplitJobs = {
    /** A product, in row or column chunks. */
    gemm(ta, tb, m, n, k, alpha, a, b, beta, c) {
      if (2 * m * n * k < CALM_MIN_FLOPS && calm()) return alone.gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
      // Split the dimension whose chunks repack less: row chunks each pack all of op(B) (k×n),
      // column chunks all of op(A) (m×k). About three chunks per thread, so an unlucky thread
      // can be covered for; but one per thread below FEW_CHUNKS_FLOPS, where every chunk's
      // repacking costs more than the balance is worth (W2's 64×784·784×128 with a spinning
      // worker: 125 µs in 2 chunks, 140 µs in 4). Row chunks are whole micro-tiles (4 or 5
      // rows), column chunks multiples of 16.
      const byRows = K.gemmIsDirect(ta, tb, m) === 0 && m >= n;
      const target = 2 * m * n * k < FEW_CHUNKS_FLOPS ? threads : threads * 3;
      const chunk = byRows
        ? Math.max(2 * tileRows, Math.ceil(m / target / tileRows) * tileRows)
        : Math.max(32, Math.ceil(n / target / 16) * 16);
      const nchunk = Math.ceil((byRows ? m : n) / chunk);
      I[S.JOB] = 0;
      I[A] = ta;
      I[A + 1] = tb;
      I[A + 2] = m;
      I[A + 3] = n;
      I[A + 4] = k;
      F[A + 5] = alpha;
      I[A + 6] = a;
      I[A + 7] = b;
      F[A + 8] = beta;
      I[A + 9] = c;
      I[S.CHUNK] = chunk;
      I[S.BYROWS] = byRows ? 1 : 0;
      run(nchunk);
    },

    /** An elementwise pass, in element ranges. */
    elementwise(kernel, n, arrays, attrs, meanwhile, maxChunk) {
      if (calm()) return alone.elementwise(kernel, n, arrays, attrs, meanwhile);
      // Whole vectors per chunk, ~3 chunks per thread, or fewer positions if the kernel asks.
      const chunk = Math.min(maxChunk ?? n, Math.ceil(n / (threads * 3) / 4) * 4);
      I[S.JOB] = S.JOB_ELEMENTWISE;
      I[A] = n;
      I[A + 1] = kernel;
      I[A + 2] = arrays;
      I[A + 3] = attrs;
      I[S.CHUNK] = chunk;
      run(Math.ceil(n / chunk), meanwhile);
    },

    /** A gather, in row ranges. */
    gatherRows(count, cols, idx, src, dst) {
      if (calm()) return alone.gatherRows(count, cols, idx, src, dst);
      // Row ranges, two per thread: a memory-bound copy, split for more loads in flight.
      const chunk = Math.ceil(count / (threads * 2));
      I[S.JOB] = S.JOB_GATHER;
      I[A] = count;
      I[A + 1] = cols;
      I[A + 2] = idx;
      I[A + 3] = src;
      I[A + 4] = dst;
      I[S.CHUNK] = chunk;
      run(Math.ceil(count / chunk));
    },
  };

  // Each job split or alone, as the choice says; without one, split.
  const runner: Required<Omit<GemmRunner, 'start'>> = {
    threads,
    minFlops: options.minFlops ?? 1 << 20,
    gemm(ta, tb, m, n, k, alpha, a, b, beta, c) {
      const jobs = choice === undefined || choice.begin(Math.ceil((m * n * k) / 256)) ? split : alone;
      try {
        jobs.gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
      } finally {
        choice?.end();
      }
    },
    elementwise(kernel, n, arrays, attrs, meanwhile, maxChunk) {
      const jobs = choice === undefined || choice.begin(n) ? split : alone;
      try {
        jobs.elementwise(kernel, n, arrays, attrs, meanwhile, maxChunk);
      } finally {
        choice?.end();
      }
    },
    gatherRows(count, cols, idx, src, dst) {
      const jobs = choice === undefined || choice.begin(count * cols) ? split : alone;
      try {
        jobs.gatherRows(count, cols, idx, src, dst);
      } finally {
        choice?.end();
      }
    },
  };

  return {
    runner,
    choice,
    workerData,
    get workerChunks() {
      return workerChunks;
    },
    fail() {
      Atomics.store(I, S.FAILED, 1);
    },
    stop() {
      backend.setRunner(undefined);
      Atomics.store(I, S.STOP, 1);
      Atomics.store(I, S.SEQ, 0x7ff + 1);
      Atomics.notify(I, S.SEQ);
    },
  };
}
