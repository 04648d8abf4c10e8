// Node worker-thread pool that splits large matrix products over cores, sharing the backend's
// wasm memory. Measured here: a bare Atomics.wait/notify round trip costs 14–118 µs, which made
// small products 2–10× slower, while spinning briefly before waiting costs ~0.4 µs; so both sides
// spin first, and only products above ~1 MFLOP are split at all.
import { Worker } from 'node:worker_threads';
import type { GemmRunner, WasmBackend } from './backend.js';

// Control block layout (Int32 slots; alpha and beta are stored as f32 bits in their slots).
const SEQ = 0;
const DONE = 1;
const STOP = 2;
const FAILED = 3;
const ARGS = 4; // ta, tb, m, n, k, alpha, a, b, beta, c
const RANGES = 16; // per thread: i0, i1, j0, j1

// Plain JS so it runs from sources, compiled output and bundles alike (no worker file to resolve).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctl, index, scratch, spin } = workerData;
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
  const r = ${RANGES} + 4 * index;
  try {
    K.gemmBlock(I[${ARGS}], I[${ARGS + 1}], I[${ARGS + 2}], I[${ARGS + 3}], I[${ARGS + 4}], F[${ARGS + 5}],
      I[${ARGS + 6}], I[${ARGS + 7}], F[${ARGS + 8}], I[${ARGS + 9}], I[r], I[r + 1], I[r + 2], I[r + 3], scratch);
  } catch (e) {
    Atomics.store(I, ${FAILED}, 1);
  }
  Atomics.add(I, ${DONE}, 1);
  Atomics.notify(I, ${DONE});
}
`;

/** Options for {@link attachThreadPool}. */
export interface ThreadPoolOptions {
  /** Total threads including the caller's (default 2). 1 detaches any pool. */
  threads?: number;
  /** Products below this many flops stay on the calling thread (default 2^20, ~1 MFLOP). */
  minFlops?: number;
  /** Polls of the job counter before a worker sleeps in Atomics.wait (default 200,000 ≈ 0.5 ms). */
  spin?: number;
}

/** A running pool; `close()` stops its workers. */
export interface ThreadPool extends GemmRunner {
  close(): Promise<void>;
}

/**
 * Starts `threads − 1` workers on the backend's shared memory and routes its large products
 * through them. Blocks are split along rows (or columns when there are few rows) so that every C
 * element is computed by the same instructions as on one thread: results are bit-identical for
 * any thread count.
 */
export function attachThreadPool(backend: WasmBackend, options: ThreadPoolOptions = {}): ThreadPool | undefined {
  const threads = Math.max(1, Math.floor(options.threads ?? 2));
  if (threads === 1 || !backend.shared) {
    backend.setRunner(undefined);
    return undefined;
  }
  const ctl = new SharedArrayBuffer((RANGES + 4 * threads) * 4);
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
        index: t,
        scratch: scratch[t],
        spin: options.spin ?? 200_000,
      },
    });
    // Workers never keep the process alive; an idle one is parked in Atomics.wait.
    w.unref();
    w.on('error', () => Atomics.store(I, FAILED, 1));
    workers.push(w);
  }

  function split(ta: number, tb: number, m: number, n: number): void {
    const byRows = K.gemmIsDirect(ta, tb, m) === 0 && (m >= n || m >= 64 * threads);
    // Column blocks start on multiples of 16 and row blocks on multiples of 4 so packing stays whole.
    const extent = byRows ? m : n;
    const align = byRows ? 4 : 16;
    const chunk = Math.ceil(extent / threads / align) * align;
    for (let t = 0; t < threads; t++) {
      const lo = Math.min(extent, t * chunk);
      const hi = Math.min(extent, lo + chunk);
      const r = RANGES + 4 * t;
      I[r] = byRows ? lo : 0;
      I[r + 1] = byRows ? hi : m;
      I[r + 2] = byRows ? 0 : lo;
      I[r + 3] = byRows ? n : hi;
    }
  }

  const pool: ThreadPool = {
    threads,
    minFlops: options.minFlops ?? 1 << 20,
    gemm(ta, tb, m, n, k, alpha, a, b, beta, c) {
      split(ta, tb, m, n);
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
      Atomics.store(I, DONE, 0);
      Atomics.add(I, SEQ, 1);
      Atomics.notify(I, SEQ);
      K.gemmBlock(
        ta,
        tb,
        m,
        n,
        k,
        alpha,
        a,
        b,
        beta,
        c,
        I[RANGES]!,
        I[RANGES + 1]!,
        I[RANGES + 2]!,
        I[RANGES + 3]!,
        scratch[0]!,
      );
      const want = threads - 1;
      let done = Atomics.load(I, DONE);
      for (let s = 0; done < want && s < 1_000_000; s++) done = Atomics.load(I, DONE);
      // A worker that died cannot report through the (blocked) event loop: give up after 60 s.
      const deadline = done < want ? Date.now() + 60_000 : 0;
      while (done < want) {
        if (Atomics.load(I, FAILED) !== 0 || Date.now() > deadline) Atomics.store(I, FAILED, 1);
        if (Atomics.load(I, FAILED) !== 0) break;
        Atomics.wait(I, DONE, done, 50);
        done = Atomics.load(I, DONE);
      }
      if (Atomics.load(I, FAILED) !== 0) throw new Error('wasm thread pool: a worker failed');
    },
    async close() {
      backend.setRunner(undefined);
      Atomics.store(I, STOP, 1);
      Atomics.add(I, SEQ, 1);
      Atomics.notify(I, SEQ);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
  backend.setRunner(pool);
  return pool;
}
