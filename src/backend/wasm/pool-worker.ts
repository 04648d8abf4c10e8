// The work loop of the wasm thread pools, shared by the calling thread (threads-core.ts) and every
// worker. Workers start from source text (Node `eval`, a browser Blob) so no worker file has to be
// resolved; that text is generated from the compiled functions below by `poolWorkerSource`, so the
// loop stays one typed, linted function. For that to work the functions here refer to nothing at
// module level but each other: slot numbers arrive as data (`PoolSlots`), and each function is
// emitted whole, under whatever name the compiler or a minifier gave it.
import type { WasmKernels } from './kernels.js';

/**
 * Int32 slots of the control block. CLAIM packs the job's generation (bits 20–30) with the next
 * chunk index, so a claim can only succeed on the job whose parameters the claimer is about to
 * read, and those stay put until all chunks have finished. JOB says what the chunks are:
 * 0 column or row blocks of a product (BYROWS), JOB_ELEMENTWISE element
 * ranges of an elementwise export (ARGS: n, export index, array table, attrs), JOB_GATHER
 * row ranges of a gather (ARGS: count, cols, idx, src, dst).
 */
export const POOL_SLOTS = {
  SEQ: 0,
  FINISHED: 1,
  STOP: 2,
  FAILED: 3,
  CLAIM: 4,
  NCHUNK: 5,
  CHUNK: 6,
  BYROWS: 7,
  /** ta, tb, m, n, k, alpha (f32 bits), a, b, beta (f32 bits), c — or a job's own arguments. */
  ARGS: 8,
  JOB: 18,
  /** 1 while a worker saw itself descheduled recently (see `poolWorker`). */
  CALM: 19,
  /** Values of JOB (0: a product). */
  JOB_ELEMENTWISE: 1,
  JOB_GATHER: 2,
} as const;

/** The slot numbers, as every thread receives them. */
export type PoolSlots = typeof POOL_SLOTS;
/** Int32 slots in the control block. */
export const POOL_CONTROL_SLOTS = 32;

/**
 * The kernels a pool thread calls besides the elementwise ones: the product block and the gather;
 * and those a training step runs on the calling thread, which a worker's warm-up runs too.
 */
export type PoolKernels = Pick<
  WasmKernels,
  | 'gemmBlock'
  | 'gatherRows'
  | 'actForward'
  | 'actBackward'
  | 'softmaxRows'
  | 'softmaxBackward'
  | 'fillRows'
  | 'colSum'
  | 'firstNonFinite'
  | 'sumSquares'
>;
/** An elementwise export (native-kernels.ts): positions [lo, hi) of the arrays in its table. */
export type ElementwiseFn = (lo: number, hi: number, arrays: number, attrs: number) => void;

/** What one worker receives: the backend's module and shared memory, the control block, its scratch. */
export interface PoolWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctl: SharedArrayBuffer;
  slots: PoolSlots;
  /** The elementwise export names, in the order jobs number them. */
  elementwise: readonly string[];
  /** Byte offset of this worker's gemm scratch block. */
  scratch: number;
  /** Polls of the job counter before the worker sleeps in Atomics.wait. */
  spin: number;
  /** Byte offset of this worker's {@link POOL_WARM_BYTES} warm-up block (see {@link warmUp}). */
  warm: number;
  /** A never-used stretch of memory [fresh, freshEnd) whose pages this worker maps (see {@link touchFresh}). */
  fresh: number;
  freshEnd: number;
}

/** Bytes of a worker's warm-up block: six 64×64 float matrices, then an array table, attrs, row numbers. */
export const POOL_WARM_BYTES = 6 * 64 * 64 * 4 + 64 + 64 + 256;

/**
 * Claims and computes chunks of job generation `gen` until none are left; returns how many this
 * thread computed. Chunk borders do not depend on who computes what, so results are identical for
 * any thread count. A chunk that throws marks the pool failed (the caller then throws).
 */
export function drainChunks(
  K: PoolKernels,
  E: readonly ElementwiseFn[],
  S: PoolSlots,
  I: Int32Array,
  F: Float32Array,
  gen: number,
  scratch: number,
): number {
  let mine = 0;
  const A = S.ARGS;
  for (;;) {
    const v = Atomics.load(I, S.CLAIM);
    const idx = v & 0xfffff;
    if (v >>> 20 !== gen || idx >= Atomics.load(I, S.NCHUNK)) return mine;
    if (Atomics.compareExchange(I, S.CLAIM, v, v + 1) !== v) continue;
    mine++;
    // Plain locals, not destructuring: an array literal here would allocate on every chunk.
    const chunk = I[S.CHUNK] as number;
    const lo = idx * chunk;
    const job = I[S.JOB];
    try {
      if (job === S.JOB_ELEMENTWISE) {
        const hi = Math.min(I[A] as number, lo + chunk);
        (E[I[A + 1] as number] as ElementwiseFn)(lo, hi, I[A + 2] as number, I[A + 3] as number);
      } else if (job === S.JOB_GATHER) {
        const cols = I[A + 1] as number;
        const count = Math.min(I[A] as number, lo + chunk) - lo;
        K.gatherRows(
          count,
          cols,
          (I[A + 2] as number) + lo * 4,
          I[A + 3] as number,
          (I[A + 4] as number) + lo * cols * 4,
        );
      } else {
        const m = I[A + 2] as number;
        const n = I[A + 3] as number;
        const rows = I[S.BYROWS] === 1;
        K.gemmBlock(
          I[A] as number,
          I[A + 1] as number,
          m,
          n,
          I[A + 4] as number,
          F[A + 5] as number,
          I[A + 6] as number,
          I[A + 7] as number,
          F[A + 8] as number,
          I[A + 9] as number,
          rows ? lo : 0,
          rows ? Math.min(m, lo + chunk) : m,
          rows ? 0 : lo,
          rows ? n : Math.min(n, lo + chunk),
          scratch,
        );
      }
    } catch {
      Atomics.store(I, S.FAILED, 1);
    }
    if (Atomics.add(I, S.FINISHED, 1) + 1 >= Atomics.load(I, S.NCHUNK)) Atomics.notify(I, S.FINISHED);
  }
}

/**
 * Runs the jobs a training step sends (products in every transpose case, split by rows and by
 * columns; Adam, copy and gather passes) through {@link drainChunks} on the worker's own warm-up
 * block (`at`), gemm `scratch` and a private control block, and the kernels the calling thread
 * runs itself in a step (activations forward and backward, softmax, bias rows, column sums, the
 * finiteness checks), for up to `ms` or until a real job is published on `live`.
 * A fresh worker's loop and the kernels it calls otherwise run their first jobs unoptimised: V8
 * compiles a wasm function lazily with its baseline compiler and moves it to its optimising one
 * only after it has run a while, and the compiled module is shared by every thread, so this also
 * speeds the caller's first calls (W2's first batch compiled the activation kernels, and its first
 * ~20 batches ran them unoptimised). Touches nothing outside its block.
 */
export function warmUp(
  K: PoolKernels,
  E: readonly ElementwiseFn[],
  S: PoolSlots,
  names: readonly string[],
  memory: WebAssembly.Memory,
  at: number,
  scratch: number,
  live: Int32Array,
  ms: number,
): void {
  const seq = Atomics.load(live, S.SEQ);
  const I = new Int32Array(new SharedArrayBuffer(live.length * 4));
  const F = new Float32Array(I.buffer);
  const MAT = 64 * 64 * 4;
  const table = at + 6 * MAT;
  const attrs = table + 64;
  const rows = attrs + 64;
  const i32 = new Int32Array(memory.buffer);
  // Adam's arrays (params, gradient, moments m and v) are the fourth, first, third and second
  // matrices; the copy job copies the fourth into the first; products multiply the first and
  // second into the third; the gather copies the first's rows into the fourth. The block starts
  // from set values (a reserved block may hold anything), so every value stays finite: v, the
  // second matrix, is never negative.
  [3, 0, 2, 1].forEach((m, i) => (i32[(table >> 2) + i] = at + m * MAT));
  // Every fourth column of the first matrix and row of the second is zero, as in image data, so
  // the products also run the kernels that skip zero steps.
  const f = new Float32Array(memory.buffer, at, (6 * MAT) / 4);
  for (let i = 0; i < MAT / 4; i++) {
    f[i] = (i & 3) === 0 ? 0 : ((i >> 6) + 1) / 64;
    f[i + MAT / 4] = ((i >> 6) & 3) === 0 ? 0 : 0.5;
  }
  f.fill(0, MAT / 2);
  for (let r = 0; r < 64; r++) i32[(rows >> 2) + r] = 63 - r;
  // lr, beta1, beta2, epsilon, t, decay: Adam's usual settings at step 1.
  new Float64Array(memory.buffer, attrs, 6).set([1e-3, 0.9, 0.999, 1e-7, 1, 0]);
  const A = S.ARGS;
  const end = performance.now() + ms;
  let gen = 0;
  // The step's own kernels write the fifth and sixth matrices only; every activation id, since
  // each is a branch of one function (an id without a wasm form returns at once).
  const x = at;
  const y = at + 4 * MAT;
  const dy = at + 5 * MAT;
  for (let round = 0; round < 64 && performance.now() < end; round++) {
    for (let job = 0; job < 8; job++) {
      if (Atomics.load(live, S.SEQ) !== seq) return;
      gen++;
      I[S.NCHUNK] = 4;
      I[S.CLAIM] = gen << 20;
      if (job < 6) {
        I[S.JOB] = 0;
        I[A] = job & 1;
        I[A + 1] = (job >> 1) & 1;
        I[A + 2] = 64;
        I[A + 3] = 64;
        I[A + 4] = 64;
        F[A + 5] = 1;
        I[A + 6] = at;
        I[A + 7] = at + MAT;
        F[A + 8] = 0;
        I[A + 9] = at + 2 * MAT;
        I[S.CHUNK] = 16;
        I[S.BYROWS] = job < 3 ? 1 : 0;
      } else if (job === 6) {
        const adam = names.indexOf('adamStep');
        const copy = names.indexOf('copyRange');
        I[S.JOB] = S.JOB_ELEMENTWISE;
        I[A] = 4096;
        I[A + 1] = round % 4 !== 3 && adam >= 0 ? adam : copy;
        I[A + 2] = table;
        I[A + 3] = attrs;
        I[S.CHUNK] = 1024;
      } else {
        I[S.JOB] = S.JOB_GATHER;
        I[A] = 64;
        I[A + 1] = 64;
        I[A + 2] = rows;
        I[A + 3] = at;
        I[A + 4] = at + 3 * MAT;
        I[S.CHUNK] = 16;
      }
      if (I[S.JOB] === S.JOB_ELEMENTWISE && (I[A + 1] as number) < 0) continue;
      drainChunks(K, E, S, I, F, gen, scratch);
    }
    // The step's kernels after the jobs, so their outputs always follow the first matrix as the
    // round's copy job left it.
    for (let id = 0; id < 12; id++) {
      K.actForward(id, 0.5, 1024, x, y);
      K.actBackward(id, 0.5, 1024, x, y, x, dy);
    }
    // The small ones four times, or they would still be tiering up in a first epoch.
    for (let rep = 0; rep < 4; rep++) {
      K.softmaxRows(64, 64, x, y);
      K.softmaxBackward(64, 64, y, x, dy);
      K.fillRows(64, 64, x, dy);
      K.colSum(64, 64, x, 0, dy);
      K.firstNonFinite(4096, x);
      K.sumSquares(4096, x);
    }
  }
}

/**
 * Maps the pages of the never-used (still zero) stretch [from, to) of `memory` before the caller
 * needs them, until a real job is published on `live`: a compare-exchange of zero for zero per
 * 4 KiB page, so a value the caller has stored there meanwhile stays. A first write to a page
 * costs ~12 µs in the kernel on the bench VM; ~600 of them fell in the first batch of W2's first
 * fit (the optimizer's moments, the weight backup, the gradients), on the calling thread.
 */
export function touchFresh(memory: WebAssembly.Memory, from: number, to: number, S: PoolSlots, live: Int32Array): void {
  const seq = Atomics.load(live, S.SEQ);
  const i32 = new Int32Array(memory.buffer);
  const end = Math.min(to, i32.length * 4);
  for (let p = Math.ceil(from / 4096) * 4096; p < end; p += 4096) {
    if ((p & 0xffff) === 0 && Atomics.load(live, S.SEQ) !== seq) return;
    Atomics.compareExchange(i32, p >> 2, 0, 0);
  }
}

/**
 * Polls SEQ until it moves past `seen`, then returns it; after `spin` polls, sleeps in
 * Atomics.wait. Spinning stops early when the machine is oversubscribed, where a spinning worker
 * takes CPU from the caller: a window of 1024 polls that took far too long means this thread was
 * descheduled, so until `calm[0]` (a time) it spins only briefly and says so in CALM (the caller
 * then keeps smaller products to itself). Its own function, not a loop inside
 * {@link poolWorker}: V8 compiles a long-running loop's function on the spot (OSR), and each of
 * this loop's rare branches first taken there had it throw that code away and compile the whole
 * worker loop again (8–16 ms of background compiling, three times, in W2's first two epochs).
 */
export function awaitJob(I: Int32Array, S: PoolSlots, seen: number, spin: number, calm: Float64Array): number {
  /** A poll window taking longer than this (ms): the worker was descheduled. */
  const PREEMPTED_MS = 0.2;
  /** How long a worker then spins only CALM_SPIN polls (ms). */
  const CALM_MS = 50;
  const CALM_SPIN = 256;
  let s = Atomics.load(I, S.SEQ);
  if (s !== seen) return s;
  let last = performance.now();
  const limit = last < (calm[0] as number) ? CALM_SPIN : spin;
  for (let n = 1; s === seen && n < limit; n++) {
    s = Atomics.load(I, S.SEQ);
    if ((n & 1023) === 0) {
      const now = performance.now();
      if (now - last > PREEMPTED_MS) {
        calm[0] = now + CALM_MS;
        Atomics.store(I, S.CALM, 1);
        break;
      }
      last = now;
    }
  }
  if (calm[0] !== 0 && last >= (calm[0] as number)) {
    calm[0] = 0;
    Atomics.store(I, S.CALM, 0);
  }
  while (s === seen) {
    Atomics.wait(I, S.SEQ, seen);
    s = Atomics.load(I, S.SEQ);
  }
  return s;
}

/**
 * A worker's life: instantiates the kernels on the shared memory, calls `ready()` if given, warms
 * up (see {@link warmUp}), maps its stretch of fresh memory (see {@link touchFresh}), then serves
 * jobs (waiting with {@link awaitJob}, computing with {@link drainChunks}) until told to stop.
 */
export function poolWorker(d: PoolWorkerData, ready?: () => void): void {
  /** Longest warm-up (ms). */
  const WARM_MS = 40;
  const S = d.slots;
  const K = new WebAssembly.Instance(d.module, { env: { memory: d.memory } }).exports as unknown as PoolKernels &
    Record<string, ElementwiseFn>;
  const E = d.elementwise.map((name) => K[name] as ElementwiseFn);
  const I = new Int32Array(d.ctl);
  const F = new Float32Array(d.ctl);
  if (ready) ready();
  if (d.warm >= 0) warmUp(K, E, S, d.elementwise, d.memory, d.warm, d.scratch, I, WARM_MS);
  touchFresh(d.memory, d.fresh, d.freshEnd, S, I);
  const calm = new Float64Array(1);
  let seen = 0;
  for (;;) {
    seen = awaitJob(I, S, seen, d.spin, calm);
    if (Atomics.load(I, S.STOP) !== 0) break;
    drainChunks(K, E, S, I, F, seen, d.scratch);
  }
}

/**
 * Source text that defines the worker loop as a function expression of `(data, ready)`: the
 * compiled {@link drainChunks} and {@link poolWorker}, emitted as they are. A runtime appends the
 * call, e.g. `(${poolWorkerSource()})(workerData)`.
 */
export function poolWorkerSource(): string {
  const parts = [drainChunks, warmUp, touchFresh, awaitJob].map((f) => f.toString()).join('\n');
  return `(function () {\n${parts}\nreturn ${poolWorker.toString()};\n})()`;
}
