// Node worker-thread pool that splits large matrix products over cores, sharing the backend's
// wasm memory. Measured here: a bare Atomics.wait/notify round trip costs 14–118 µs, which made
// small products 2–10× slower, while spinning briefly before waiting costs ~0.4 µs; so both sides
// spin first, and only large products are split at all. On the shared 2-vCPU bench machine a
// second thread paid off from ~10 MFLOP (W4 64×784·784×128: ×1.3; 128³ at 4 MFLOP lost), and a
// long worker spin (200k polls) halved W2 training by competing with the caller's elementwise
// work, hence 8 MFLOP and 20k polls.
import { Worker } from 'node:worker_threads';
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

// Plain JS so it runs from sources, compiled output and bundles alike (no worker file to resolve).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctl, scratch, spin } = workerData;
const K = new WebAssembly.Instance(module, { env: { memory } }).exports;
const I = new Int32Array(ctl);
const F = new Float32Array(ctl);
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
`;

/** Options for {@link attachThreadPool}. */
export interface ThreadPoolOptions {
  /** Total threads including the caller's (default 2). 1 detaches any pool. */
  threads?: number;
  /** Products below this many flops stay on the calling thread (default 2^23, ~8 MFLOP). */
  minFlops?: number;
  /** Polls of the job counter before a worker sleeps in Atomics.wait (default 20,000, ~50 µs). */
  spin?: number;
}

/** A running pool; `close()` stops its workers. */
export interface ThreadPool extends GemmRunner {
  close(): Promise<void>;
}

/**
 * Starts `threads − 1` workers on the backend's shared memory and routes its large products
 * through them. Chunks are rows or columns of C, and every C element is computed by the same
 * instructions as on one thread: results are bit-identical for any thread count.
 *
 * @example
 * ```ts
 * const backend = createWasmBackend({ shared: true });
 * const pool = attachThreadPool(backend, { threads: 2 });
 * // … products of 8 MFLOP and more now use both cores …
 * await pool?.close();
 * ```
 */
export function attachThreadPool(backend: WasmBackend, options: ThreadPoolOptions = {}): ThreadPool | undefined {
  const threads = Math.max(1, Math.floor(options.threads ?? 2));
  if (threads === 1 || !backend.shared) {
    backend.setRunner(undefined);
    return undefined;
  }
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
  const workers: Worker[] = [];
  for (let t = 1; t < threads; t++) {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        module: backend.module,
        memory: backend.memory,
        ctl,
        scratch: scratch[t],
        spin: options.spin ?? 20_000,
      },
    });
    // Workers never keep the process alive; an idle one is parked in Atomics.wait.
    w.unref();
    w.on('error', () => Atomics.store(I, FAILED, 1));
    workers.push(w);
  }
  let gen = 0;
  const own = scratch[0]!;

  /** Claims and computes chunks of the current job until none are left. */
  function work(g: number): void {
    for (;;) {
      const v = Atomics.load(I, CLAIM);
      const idx = v & 0xfffff;
      if (v >>> 20 !== g || idx >= I[NCHUNK]!) return;
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
    }
  }

  const pool: ThreadPool = {
    threads,
    minFlops: options.minFlops ?? 1 << 23,
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
      work(gen);
      let done = Atomics.load(I, FINISHED);
      for (let s = 0; done < nchunk && s < 1_000_000; s++) done = Atomics.load(I, FINISHED);
      // A worker that died cannot report through the (blocked) event loop: give up after 60 s.
      const deadline = done < nchunk ? Date.now() + 60_000 : 0;
      while (done < nchunk) {
        if (Atomics.load(I, FAILED) !== 0 || Date.now() > deadline) Atomics.store(I, FAILED, 1);
        if (Atomics.load(I, FAILED) !== 0) break;
        Atomics.wait(I, FINISHED, done, 20);
        done = Atomics.load(I, FINISHED);
      }
      if (Atomics.load(I, FAILED) !== 0) throw new Error('wasm thread pool: a worker failed');
    },
    async close() {
      backend.setRunner(undefined);
      Atomics.store(I, STOP, 1);
      Atomics.store(I, SEQ, 0x7ff + 1);
      Atomics.notify(I, SEQ);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
  backend.setRunner(pool);
  return pool;
}
