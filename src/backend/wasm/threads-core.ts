// The runtime-independent half of the wasm thread pools (threads-node.ts, threads-web.ts): the
// shared control block, the worker loop (as source text, so each runtime can start it without a
// worker file to resolve) and the caller's side of a split product. Browser-safe: no Node imports.
import type { GemmRunner, WasmBackend } from './backend.js';

// Work is cut into fixed chunks (of rows, or of columns when rows are few) that every thread, the
// caller included, claims from a shared counter. A worker the OS has descheduled then only delays
// the chunk it already holds, and the caller never waits for a worker merely to wake up. Chunk
// borders do not depend on who computes what, so results are identical for any thread count.
//
// Control block (Int32 slots; alpha and beta are f32 bits in theirs). CLAIM packs the job's
// generation (bits 20–30) with the next chunk index, so a claim can only succeed on the job whose
// parameters the claimer is about to read, and those stay put until all chunks have finished.
const SEQ = 0;
const FINISHED = 1;
const STOP = 2;
const FAILED = 3;
const CLAIM = 4;
const NCHUNK = 5;
const CHUNK = 6;
const BYROWS = 7;
const ARGS = 8; // ta, tb, m, n, k, alpha, a, b, beta, c
const SLOTS = 18;

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
  if (ready) ready();
  let seen = 0;
  for (;;) {
    let s = Atomics.load(I, ${SEQ});
    for (let n = spin; s === seen && n > 0; n--) s = Atomics.load(I, ${SEQ});
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
        if (I[${BYROWS}]) K.gemmBlock(I[${ARGS}], I[${ARGS + 1}], m, n, I[${ARGS + 4}], F[${ARGS + 5}], I[${ARGS + 6}],
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
  /** Products below this many flops stay on the calling thread (default 2^23, ~8 MFLOP). */
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
      mine++;
    }
  }

  return {
    threads,
    minFlops: options.minFlops ?? 1 << 23,
    workerData,
    get workerChunks() {
      return workerChunks;
    },
    gemm(ta, tb, m, n, k, alpha, a, b, beta, c) {
      // Split the dimension whose chunks repack less: row chunks each pack all of op(B) (k×n),
      // column chunks all of op(A) (m×k). About three chunks per thread, so an unlucky thread
      // can be covered for. Row chunks are multiples of 4, column chunks of 16 (whole tiles).
      const byRows = K.gemmIsDirect(ta, tb, m) === 0 && m >= n;
      const target = threads * 3;
      const chunk = byRows ? Math.max(8, Math.ceil(m / target / 4) * 4) : Math.max(32, Math.ceil(n / target / 16) * 16);
      const nchunk = Math.ceil((byRows ? m : n) / chunk);
      gen = (gen % 0x7ff) + 1;
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
      Atomics.store(I, NCHUNK, nchunk);
      Atomics.store(I, FINISHED, 0);
      Atomics.store(I, CLAIM, gen << 20);
      Atomics.store(I, SEQ, gen);
      Atomics.notify(I, SEQ);
      const mine = work(gen);
      let done = Atomics.load(I, FINISHED);
      for (let s = 0; done < nchunk && s < 1_000_000; s++) done = Atomics.load(I, FINISHED);
      // A worker that died cannot report through the (blocked) event loop: give up after 60 s.
      const deadline = done < nchunk ? Date.now() + 60_000 : 0;
      while (done < nchunk) {
        if (Atomics.load(I, FAILED) !== 0 || Date.now() > deadline) Atomics.store(I, FAILED, 1);
        if (Atomics.load(I, FAILED) !== 0) break;
        if (canWait) Atomics.wait(I, FINISHED, done, 20);
        done = Atomics.load(I, FINISHED);
      }
      if (Atomics.load(I, FAILED) !== 0) throw new Error('wasm thread pool: a worker failed');
      workerChunks += nchunk - mine;
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
