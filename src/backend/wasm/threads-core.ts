// The runtime-independent half of the wasm thread pools (threads-node.ts, threads-web.ts): the
// shared control block, the worker loop (as source text, so each runtime can start it without a
// worker file to resolve) and the caller's side of a split product. Browser-safe: no Node imports.
import type { GemmRunner, WasmBackend } from './backend.js';

// Work is cut into fixed chunks (of rows, or of columns when rows are few) that every thread, the
// caller included, claims from a shared counter. A worker the OS has descheduled then only delays
// the chunk it already holds, and the caller never waits for a worker merely to wake up. Chunk
// borders do not depend on who computes what, so results are identical for any thread count.
//
// Control block (Int32 slots; alpha and beta are f32 bits in theirs; Adam's f64 scalars in Float64
// slots from byte 80). CLAIM packs the job's generation (bits 20–30) with the next chunk index, so
// a claim can only succeed on the job whose parameters the claimer is about to read, and those
// stay put until all chunks have finished. JOB says what the chunks are: 0 column or row blocks of
// a product (BYROWS), 1 element ranges of an Adam step (ARGS: n, p, g, m, v, save), 2 row ranges
// of a gather (ARGS: count, cols, idx, src, dst).
const SEQ = 0;
const FINISHED = 1;
const STOP = 2;
const FAILED = 3;
const CLAIM = 4;
const NCHUNK = 5;
const CHUNK = 6;
const BYROWS = 7;
const ARGS = 8; // ta, tb, m, n, k, alpha, a, b, beta, c
const JOB = 18;
const CALM = 19; // 1 while a worker saw itself descheduled recently (see the worker loop)
const D0 = 10; // Float64 index: lr, beta1, beta2, epsilon, t, decay
const SLOTS = 32;
/** A spin window of 1024 polls (~2.5 µs) taking longer than this (ms): the worker was descheduled. */
const PREEMPTED_MS = 0.2;
/** How long a worker then spins only CALM_SPIN polls (ms). */
const CALM_MS = 50;
const CALM_SPIN = 256;
/** Products below this many flops are cut into one chunk per thread (see `gemm`). */
const FEW_CHUNKS_FLOPS = 1 << 24;
/** While calm, products below this many flops stay on the caller. */
const CALM_MIN_FLOPS = 1 << 23;

/**
 * Source of `function neuritePoolWorker(d, ready)`: instantiates the kernels on the shared memory
 * (`d` is a {@link PoolWorkerData}), calls `ready()` if given, then serves jobs until stopped.
 * Plain JS without imports, so Node can `eval` it and browsers can run it from a Blob.
 */
export const POOL_WORKER_SOURCE = `
function neuritePoolWorker(d, ready) {
  const { module, memory, ctl, scratch, spin } = d;
  const K = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const I = new Int32Array(ctl);
  const F = new Float32Array(ctl);
  const D = new Float64Array(ctl);
  if (ready) ready();
  let seen = 0;
  let calmUntil = 0;
  for (;;) {
    let s = Atomics.load(I, ${SEQ});
    if (s === seen) {
      // Spin, unless the machine is oversubscribed: a spinning worker then takes CPU from the
      // caller. A poll window that took far too long means this thread was descheduled, so for
      // the next ${CALM_MS} ms it only spins briefly and says so in CALM (the caller then keeps
      // smaller products to itself).
      let last = performance.now();
      const limit = last < calmUntil ? ${CALM_SPIN} : spin;
      for (let n = 1; s === seen && n < limit; n++) {
        s = Atomics.load(I, ${SEQ});
        if ((n & 1023) === 0) {
          const now = performance.now();
          if (now - last > ${PREEMPTED_MS}) {
            calmUntil = now + ${CALM_MS};
            Atomics.store(I, ${CALM}, 1);
            break;
          }
          last = now;
        }
      }
      if (calmUntil !== 0 && last >= calmUntil) {
        calmUntil = 0;
        Atomics.store(I, ${CALM}, 0);
      }
    }
    while (s === seen) {
      Atomics.wait(I, ${SEQ}, seen);
      s = Atomics.load(I, ${SEQ});
    }
    seen = s;
    if (Atomics.load(I, ${STOP}) !== 0) break;
    for (;;) {
      const v = Atomics.load(I, ${CLAIM});
      if (v >>> 20 !== seen) break;
      const idx = v & 0xfffff;
      if (idx >= Atomics.load(I, ${NCHUNK})) break;
      if (Atomics.compareExchange(I, ${CLAIM}, v, v + 1) !== v) continue;
      const m = I[${ARGS + 2}], n = I[${ARGS + 3}], chunk = I[${CHUNK}];
      const lo = idx * chunk;
      try {
        if (I[${JOB}] === 1) {
          const o = lo * 4, save = I[${ARGS + 5}];
          K.adamStep(Math.min(I[${ARGS}], lo + chunk) - lo, I[${ARGS + 1}] + o, I[${ARGS + 2}] + o, I[${ARGS + 3}] + o,
            I[${ARGS + 4}] + o, D[${D0}], D[${D0 + 1}], D[${D0 + 2}], D[${D0 + 3}], D[${D0 + 4}], D[${D0 + 5}],
            save === 0 ? 0 : save + o);
        } else if (I[${JOB}] === 2) {
          const cols = I[${ARGS + 1}];
          K.gatherRows(Math.min(I[${ARGS}], lo + chunk) - lo, cols, I[${ARGS + 2}] + lo * 4, I[${ARGS + 3}],
            I[${ARGS + 4}] + lo * cols * 4);
        } else if (I[${BYROWS}]) K.gemmBlock(I[${ARGS}], I[${ARGS + 1}], m, n, I[${ARGS + 4}], F[${ARGS + 5}], I[${ARGS + 6}],
          I[${ARGS + 7}], F[${ARGS + 8}], I[${ARGS + 9}], lo, Math.min(m, lo + chunk), 0, n, scratch);
        else K.gemmBlock(I[${ARGS}], I[${ARGS + 1}], m, n, I[${ARGS + 4}], F[${ARGS + 5}], I[${ARGS + 6}],
          I[${ARGS + 7}], F[${ARGS + 8}], I[${ARGS + 9}], 0, m, lo, Math.min(n, lo + chunk), scratch);
      } catch (e) {
        Atomics.store(I, ${FAILED}, 1);
      }
      if (Atomics.add(I, ${FINISHED}, 1) + 1 >= Atomics.load(I, ${NCHUNK})) Atomics.notify(I, ${FINISHED});
    }
  }
}
`;

/** What one worker receives: the backend's module and shared memory, the control block, its scratch. */
export interface PoolWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctl: SharedArrayBuffer;
  /** Byte offset of this worker's gemm scratch block. */
  scratch: number;
  /** Polls of the job counter before the worker sleeps in Atomics.wait. */
  spin: number;
}

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
}

/** The caller's side of a pool: a {@link GemmRunner} plus what starting and stopping workers need. */
export interface PoolCore extends GemmRunner {
  /** Chunks of split products computed by workers (not the caller) so far: shows the pool is live. */
  readonly workerChunks: number;
  /** An Adam step split into element ranges (see `GemmRunner.adamStep`). */
  adamStep: NonNullable<GemmRunner['adamStep']>;
  /** A row gather split into row ranges (see `GemmRunner.gatherRows`). */
  gatherRows: NonNullable<GemmRunner['gatherRows']>;
  /** One entry per worker to start (`threads − 1`). */
  readonly workerData: PoolWorkerData[];
  /** Marks the pool failed: the current and every later product throws. */
  fail(): void;
  /** Detaches the pool from the backend and tells every worker to leave its loop. */
  stop(): void;
}

/**
 * Sets up the control block and per-thread scratch for `threads` threads (the caller's included)
 * on a backend with shared memory. The runtime then starts one worker per `workerData` entry
 * running {@link POOL_WORKER_SOURCE}, and attaches the result with `backend.setRunner`.
 */
export function createPoolCore(backend: WasmBackend, threads: number, options: PoolCoreOptions): PoolCore {
  const ctl = new SharedArrayBuffer(SLOTS * 4);
  const I = new Int32Array(ctl);
  const F = new Float32Array(ctl);
  const D = new Float64Array(ctl);
  const K = backend.kernels;
  const scratchBytes = K.gemmScratchBytes();
  const scratch: number[] = [];
  for (let t = 0; t < threads; t++) {
    const off = backend.reserve(scratchBytes);
    if (off < 0) throw new Error('wasm thread pool: no memory for scratch');
    scratch.push(off);
  }
  const spin = options.spin ?? 20_000;
  const workerData = scratch
    .slice(1)
    .map((s): PoolWorkerData => ({ module: backend.module, memory: backend.memory, ctl, scratch: s, spin }));
  const canWait = options.canWait;
  let gen = 0;
  let workerChunks = 0;
  const own = scratch[0]!;

  /** Claims and computes chunks of the current job until none are left; returns how many. */
  function work(g: number): number {
    let mine = 0;
    for (;;) {
      const v = Atomics.load(I, CLAIM);
      const idx = v & 0xfffff;
      if (v >>> 20 !== g || idx >= I[NCHUNK]!) return mine;
      if (Atomics.compareExchange(I, CLAIM, v, v + 1) !== v) continue;
      mine++;
      if (I[JOB] === 1) {
        const lo = idx * I[CHUNK]!;
        const o = lo * 4;
        const save = I[ARGS + 5]!;
        K.adamStep(
          Math.min(I[ARGS]!, lo + I[CHUNK]!) - lo,
          I[ARGS + 1]! + o,
          I[ARGS + 2]! + o,
          I[ARGS + 3]! + o,
          I[ARGS + 4]! + o,
          D[D0]!,
          D[D0 + 1]!,
          D[D0 + 2]!,
          D[D0 + 3]!,
          D[D0 + 4]!,
          D[D0 + 5]!,
          save === 0 ? 0 : save + o,
        );
        Atomics.add(I, FINISHED, 1);
        continue;
      }
      if (I[JOB] === 2) {
        const lo = idx * I[CHUNK]!;
        const cols = I[ARGS + 1]!;
        K.gatherRows(
          Math.min(I[ARGS]!, lo + I[CHUNK]!) - lo,
          cols,
          I[ARGS + 2]! + lo * 4,
          I[ARGS + 3]!,
          I[ARGS + 4]! + lo * cols * 4,
        );
        Atomics.add(I, FINISHED, 1);
        continue;
      }
      // Plain locals, not destructuring: an array literal here would allocate on every chunk.
      const m = I[ARGS + 2]!;
      const n = I[ARGS + 3]!;
      const lo = idx * I[CHUNK]!;
      const hi = lo + I[CHUNK]!;
      const rows = I[BYROWS] === 1;
      K.gemmBlock(
        I[ARGS]!,
        I[ARGS + 1]!,
        m,
        n,
        I[ARGS + 4]!,
        F[ARGS + 5]!,
        I[ARGS + 6]!,
        I[ARGS + 7]!,
        F[ARGS + 8]!,
        I[ARGS + 9]!,
        rows ? lo : 0,
        rows ? Math.min(m, hi) : m,
        rows ? 0 : lo,
        rows ? n : Math.min(n, hi),
        own,
      );
      Atomics.add(I, FINISHED, 1);
    }
  }

  /** Publishes the job set up in the control block, works on it, waits for the other threads. */
  function run(nchunk: number): void {
    gen = (gen % 0x7ff) + 1;
    Atomics.store(I, NCHUNK, nchunk);
    Atomics.store(I, FINISHED, 0);
    Atomics.store(I, CLAIM, gen << 20);
    Atomics.store(I, SEQ, gen);
    Atomics.notify(I, SEQ);
    const mine = work(gen);
    let done = Atomics.load(I, FINISHED);
    if (done < nchunk) {
      for (let s = 0; done < nchunk && s < 1_000_000; s++) done = Atomics.load(I, FINISHED);
      // A worker that died cannot report through the (blocked) event loop: give up after 60 s.
      const deadline = done < nchunk ? Date.now() + 60_000 : 0;
      while (done < nchunk) {
        if (Atomics.load(I, FAILED) !== 0 || Date.now() > deadline) Atomics.store(I, FAILED, 1);
        if (Atomics.load(I, FAILED) !== 0) break;
        if (canWait) Atomics.wait(I, FINISHED, done, 20);
        done = Atomics.load(I, FINISHED);
      }
    }
    if (Atomics.load(I, FAILED) !== 0) throw new Error('wasm thread pool: a worker failed');
    workerChunks += nchunk - mine;
  }

  const tileRows = K.gemmTileRows();
  return {
    threads,
    minFlops: options.minFlops ?? 1 << 20,
    workerData,
    get workerChunks() {
      return workerChunks;
    },
    gemm(ta, tb, m, n, k, alpha, a, b, beta, c) {
      if (I[CALM] === 1 && 2 * m * n * k < CALM_MIN_FLOPS)
        return K.gemmBlock(ta, tb, m, n, k, alpha, a, b, beta, c, 0, m, 0, n, own);
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
      I[JOB] = 0;
      I[ARGS] = ta;
      I[ARGS + 1] = tb;
      I[ARGS + 2] = m;
      I[ARGS + 3] = n;
      I[ARGS + 4] = k;
      F[ARGS + 5] = alpha;
      I[ARGS + 6] = a;
      I[ARGS + 7] = b;
      F[ARGS + 8] = beta;
      I[ARGS + 9] = c;
      I[CHUNK] = chunk;
      I[BYROWS] = byRows ? 1 : 0;
      run(nchunk);
    },
    adamStep(n, p, g, m, v, lr, beta1, beta2, epsilon, t, decay, save) {
      if (I[CALM] === 1) return K.adamStep(n, p, g, m, v, lr, beta1, beta2, epsilon, t, decay, save);
      // Elementwise: whole vectors per chunk, ~3 chunks per thread.
      const chunk = Math.ceil(n / (threads * 3) / 4) * 4;
      I[JOB] = 1;
      I[ARGS] = n;
      I[ARGS + 1] = p;
      I[ARGS + 2] = g;
      I[ARGS + 3] = m;
      I[ARGS + 4] = v;
      I[ARGS + 5] = save;
      D[D0] = lr;
      D[D0 + 1] = beta1;
      D[D0 + 2] = beta2;
      D[D0 + 3] = epsilon;
      D[D0 + 4] = t;
      D[D0 + 5] = decay;
      I[CHUNK] = chunk;
      run(Math.ceil(n / chunk));
    },
    gatherRows(count, cols, idx, src, dst) {
      if (I[CALM] === 1) return K.gatherRows(count, cols, idx, src, dst);
      // Row ranges, two per thread: a memory-bound copy, split for more loads in flight.
      const chunk = Math.ceil(count / (threads * 2));
      I[JOB] = 2;
      I[ARGS] = count;
      I[ARGS + 1] = cols;
      I[ARGS + 2] = idx;
      I[ARGS + 3] = src;
      I[ARGS + 4] = dst;
      I[CHUNK] = chunk;
      run(Math.ceil(count / chunk));
    },
    fail() {
      Atomics.store(I, FAILED, 1);
    },
    stop() {
      backend.setRunner(undefined);
      Atomics.store(I, STOP, 1);
      Atomics.store(I, SEQ, 0x7ff + 1);
      Atomics.notify(I, SEQ);
    },
  };
}
