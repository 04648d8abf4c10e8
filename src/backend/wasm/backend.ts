import type { FloatArray } from '../../core/matrix.js';
import { jsBackend } from '../js/index.js';
import { stepKey } from '../js/sample-step.js';
import type { ActKernel, Backend, LossKernel, SampleStep } from '../types.js';
import { Heap } from './heap.js';
import {
  instantiateKernels,
  kernelModule,
  MAX_PAGES,
  type OffsetGemm,
  type SimdFlavour,
  type WasmKernels,
} from './kernels.js';
import { elementwiseExports, NATIVE_ELEMENTWISE, type ElementwiseExport } from './native-kernels.js';
import { hasRelaxedSimd, hasSharedMemory } from './probe.js';
import { wasmSampleStep, type StepHost } from './sample-step.js';
import { handOver } from './step-handover.js';

/** Options for {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /** Which build: `'auto'` (default) takes relaxed SIMD when the runtime validates it. */
  simd?: 'auto' | SimdFlavour;
  /** Shared memory (needed for threads; default: whenever the runtime can create it). */
  shared?: boolean;
  /** Capacity of an unshared memory, which can never grow (default 64 MiB). */
  reserveBytes?: number;
}

/**
 * Splits products over threads; the Node worker pool implements it. `gemm` receives byte offsets
 * and must leave C exactly as a single-threaded `gemmBlock` over the whole product would.
 */
export interface GemmRunner {
  readonly threads: number;
  /** Products with at least this many flops (2·m·n·k) are worth splitting. */
  readonly minFlops: number;
  readonly gemm: OffsetGemm;
  /**
   * Optional: the elementwise export numbered `kernel` in `ELEMENTWISE_EXPORTS` over n positions,
   * split into element ranges over the threads (elementwise, so any split gives the
   * single-threaded result). `arrays` and `attrs` are byte offsets of its i32 array table and f64
   * attrs. Called for at least `RUNNER_MIN_ELEMENTS`. `meanwhile` (see `Backend.run`) runs on the
   * calling thread once the workers have the job. `maxChunk`: at most this many positions per
   * range (see `NativeElementwise.chunk`).
   */
  elementwise?(
    kernel: number,
    n: number,
    arrays: number,
    attrs: number,
    meanwhile?: () => void,
    maxChunk?: number,
  ): void;
  /**
   * Optional: `gatherRows` over byte offsets (`idx`: i32 row numbers), split into row ranges.
   * Called for at least `RUNNER_MIN_ELEMENTS` copied values.
   */
  gatherRows?(count: number, cols: number, idx: number, src: number, dst: number): void;
  /** Optional: starts the threads now rather than on the first split job (see `Backend.prepare`). */
  start?(): void;
}

/**
 * `prepare` starts a pool's threads for a model when a batch of this many rows through its widest
 * layer would be split over them (W2's 784 → 128 layer: from 6 rows; seed 002's 3 → 2: never).
 */
const PREPARE_ROWS = 64;

/** Elementwise passes shorter than this stay on the calling thread (Adam over ~16k floats ≈ 8 µs). */
export const RUNNER_MIN_ELEMENTS = 16384;

/** The wasm backend plus what a thread pool needs to share its memory. */
export interface WasmBackend extends Backend {
  readonly flavour: SimdFlavour;
  readonly shared: boolean;
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  readonly kernels: WasmKernels;
  /** Threads products are split over (1 without a pool). */
  readonly threads: number;
  /** Returns an array from `alloc` to the heap (other arrays are ignored). */
  free(a: FloatArray): void;
  /** A raw block of linear memory (byte offset), e.g. per-thread scratch; -1 when exhausted. */
  reserve(bytes: number): number;
  /** Attaches (or detaches, with `undefined`) a thread pool. */
  setRunner(runner: GemmRunner | undefined): void;
  /**
   * Grows the memory so at least `bytes` of it lie above every block handed out so far, and
   * returns that never-used, still zero stretch [from, to) (byte offsets), or undefined when the
   * memory cannot grow (see `Heap.freshStretch`).
   */
  freshMemory(bytes: number): { from: number; to: number } | undefined;
}

// Below these sizes the JS reference kernels, run on the same views, beat a boundary crossing
// plus packing (measured with bench/workloads/w1 and test sizes; see bench/RESULTS.md).
const JS_GEMM_MAX_MACS = 1024;
const JS_VEC_MAX = 16;
/**
 * Arrays and attrs an elementwise kernel call may have (a larger one runs its reference). Arrays:
 * `quantizedForward` takes 3 + 6 per layer (see src/quant/quantized-forward.ts).
 */
export const MAX_KERNEL_ARRAYS = 64;
const MAX_KERNEL_ATTRS = 16;
/** Floats per block when `firstNonFinite` checks an array outside memory (64 KiB: stays in L2). */
const CHECK_BLOCK = 16384;
/** Shorter orders are shuffled by `Rng.shuffle` (its first, unoptimised call takes ~0.4 µs a row). */
export const SHUFFLE_MIN = 256;
/** The reference backend, which takes whatever the wasm kernels do not. */
const js = jsBackend;

/**
 * Creates a wasm SIMD backend. Throws when the runtime cannot compile the kernels.
 *
 * @example
 * ```ts
 * const b = createWasmBackend();
 * const a = b.alloc(4); // a view of b.memory: kernels get its offset only
 * a.set([1, 2, 3, 4]);
 * const c = b.alloc(4);
 * b.gemm(false, false, 2, 2, 2, 1, a, a, 0, c); // c = [7, 10, 15, 22]
 * ```
 */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  const flavour: SimdFlavour =
    options.simd === undefined || options.simd === 'auto' ? (hasRelaxedSimd() ? 'relaxed' : 'simd') : options.simd;
  const shared = options.shared ?? hasSharedMemory();
  const mod = kernelModule(flavour, shared);
  const reservePages = Math.ceil((options.reserveBytes ?? 64 << 20) / 65536);
  const memory = shared
    ? new WebAssembly.Memory({ initial: 64, maximum: MAX_PAGES, shared: true })
    : new WebAssembly.Memory({ initial: Math.min(reservePages, MAX_PAGES), maximum: MAX_PAGES });
  const K = instantiateKernels(mod, memory);
  const heap = new Heap(memory, K.heapBase(), shared, shared ? MAX_PAGES * 65536 : memory.buffer.byteLength);
  const scratch0 = heap.alloc(K.gemmScratchBytes());
  // The i32 array table and f64 attrs of elementwise kernel calls (see native-kernels.ts).
  const tableAt = heap.alloc(MAX_KERNEL_ARRAYS * 4);
  const attrsAt = heap.alloc(MAX_KERNEL_ATTRS * 8);
  if (scratch0 < 0 || tableAt < 0 || attrsAt < 0) throw new Error('wasm backend: no room for gemm scratch');
  const fns = elementwiseExports(K);
  // Elementwise passes of up to JS_VEC_MAX values stay in JS; a population or quantized pass of any size is worth it.
  const natives = new Map(
    Object.entries(NATIVE_ELEMENTWISE).map(([name, e], index) => [
      name,
      { ...e, index, min: e.split && e.work === undefined ? JS_VEC_MAX : 0, fn: fns[index] as ElementwiseExport },
    ]),
  );

  // Every buffer object memory has had: after a shared memory grows, views made earlier keep the
  // old SharedArrayBuffer object, which still aliases the same bytes.
  const buffers: ArrayBufferLike[] = [memory.buffer];
  let buf: ArrayBufferLike = memory.buffer;
  let f32 = new Float32Array(buf);
  let i32 = new Int32Array(buf);
  let f64 = new Float64Array(buf);
  let runner: GemmRunner | undefined;
  let stage = -1;
  let stageBytes = 0;
  /** Block `firstNonFinite` streams a caller's array through (reserved on first use). */
  let checkAt = -1;
  /** Block `shuffle` copies an order and the generator's four words into, and its capacity in rows. */
  let shuffleAt = -1;
  let shuffleRows = 0;

  function refresh(): void {
    if (memory.buffer === buf) return;
    buf = memory.buffer;
    buffers.push(buf);
    f32 = new Float32Array(buf);
    i32 = new Int32Array(buf);
    f64 = new Float64Array(buf);
  }

  function reserve(bytes: number): number {
    const off = heap.alloc(bytes);
    refresh();
    return off;
  }

  /** Byte offset of a Float32Array living in this memory, else -1. */
  function off(a: FloatArray): number {
    if (!(a instanceof Float32Array)) return -1;
    const b = a.buffer;
    // From the newest buffer back, every operation of the loop running on the first test too: an
    // operation first met after `placed` was optimised (for a view made before the memory grew,
    // at the end of W2's first epoch) threw that code away, and epoch 2 ran unoptimised while it
    // recompiled.
    for (let i = buffers.length; i-- > 0;) if (buffers[i] === b) return a.byteOffset;
    return -1;
  }

  /** Byte offsets found by {@link placed}, in argument order. */
  const at = new Int32Array(4);

  /**
   * The routing rule of every kernel, written once: work not `worth` a boundary crossing stays in
   * the JS reference; otherwise each array's byte offset goes to `at`, and the wasm kernel may run
   * only when all of them live in this memory (any other array takes the reference, on the views).
   */
  function placed(worth: boolean, a: FloatArray, b?: FloatArray, c?: FloatArray, d?: FloatArray): boolean {
    return (
      worth &&
      put(0, a) &&
      (b === undefined || put(1, b)) &&
      (c === undefined || put(2, c)) &&
      (d === undefined || put(3, d))
    );
  }

  function put(i: number, a: FloatArray): boolean {
    const o = off(a);
    at[i] = o;
    return o >= 0;
  }

  /** {@link placed} for an elementwise kernel's array list: writes its offsets to the table at `tableAt`. */
  function table(worth: boolean, arrays: readonly FloatArray[]): boolean {
    if (!worth || arrays.length > MAX_KERNEL_ARRAYS) return false;
    for (let i = 0; i < arrays.length; i++) {
      const o = off(arrays[i] as FloatArray);
      if (o < 0) return false;
      i32[(tableAt >> 2) + i] = o;
    }
    return true;
  }

  const product: OffsetGemm = (ta, tb, m, n, k, alpha, a, b, beta, c) => {
    if (runner && 2 * m * n * k >= runner.minFlops) runner.gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
    else K.gemmBlock(ta, tb, m, n, k, alpha, a, b, beta, c, 0, m, 0, n, scratch0);
  };

  /** Copies arrays that live outside memory into a staging block and runs the product; false when it cannot. */
  const staged: (...args: Parameters<Backend['gemm']>) => boolean = (transA, transB, m, n, k, alpha, a, b, beta, c) => {
    if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array)) return false;
    const la = m * k;
    const lb = k * n;
    const lc = m * n;
    const need = (la + lb + lc) * 4 + 192;
    if (need > stageBytes) {
      if (stage >= 0) heap.release(stage);
      stage = reserve(need);
      stageBytes = stage < 0 ? 0 : need;
      if (stage < 0) return false;
    }
    let ao = off(a);
    let bo = off(b);
    let co = off(c);
    const base = stage >> 2;
    const sa = base;
    const sb = sa + Math.ceil(la / 16) * 16;
    const sc = sb + Math.ceil(lb / 16) * 16;
    if (ao < 0) {
      f32.set(a.length === la ? a : a.subarray(0, la), sa);
      ao = sa << 2;
    }
    if (bo < 0) {
      f32.set(b.length === lb ? b : b.subarray(0, lb), sb);
      bo = sb << 2;
    }
    const copyC = co < 0;
    if (copyC) {
      if (beta !== 0) f32.set(c.length === lc ? c : c.subarray(0, lc), sc);
      co = sc << 2;
    }
    product(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, ao, bo, beta, co);
    if (copyC) c.set(f32.subarray(sc, sc + lc));
    return true;
  };

  /** Compiled per-sample steps by plan, each with its staging block (`undefined`: not compilable). */
  const steps = new Map<string, SampleStep | undefined>();
  const stepHost: StepHost = { memory, shared, maxPages: MAX_PAGES, reserve, offsetOf: off };

  const backend: WasmBackend = {
    name: 'wasm',
    flavour,
    shared,
    memory,
    module: mod,
    kernels: K,
    tiny: { macs: JS_GEMM_MAX_MACS, elements: JS_VEC_MAX, backend: jsBackend },
    get threads() {
      return runner?.threads ?? 1;
    },
    reserve,
    freshMemory(bytes) {
      const stretch = heap.freshStretch(bytes);
      refresh();
      return stretch;
    },
    setRunner(r) {
      runner = r;
    },
    prepare(macs) {
      if (runner?.start && 2 * macs * PREPARE_ROWS >= runner.minFlops) runner.start();
    },
    alloc(n) {
      const o = reserve(n * 4);
      // Exhausted (an unshared memory cannot grow): a plain array still works, just via copies.
      if (o < 0) return new Float32Array(n);
      const v = new Float32Array(buf, o, n);
      if (!heap.lastWasFresh) v.fill(0);
      return v;
    },
    free(a) {
      const o = off(a);
      if (o >= 0) heap.release(o);
    },
    gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
      if (m === 0 || n === 0) return;
      const big = m * n * k > JS_GEMM_MAX_MACS;
      const ta = transA ? 1 : 0;
      const tb = transB ? 1 : 0;
      if (placed(big, a, b, c)) return product(ta, tb, m, n, k, alpha, at[0]!, at[1]!, beta, at[2]!);
      if (big && staged(transA, transB, m, n, k, alpha, a, b, beta, c)) return;
      js.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    },
    affine(m, n, k, x, w, bias, z) {
      if (m * n * k <= JS_GEMM_MAX_MACS || m === 0 || n === 0) return js.affine(m, n, k, x, w, bias, z);
      if (placed(true, bias, z)) K.fillRows(m, n, at[0]!, at[1]!);
      else for (let r = 0; r < m; r++) for (let j = 0; j < n; j++) z[r * n + j] = bias[j] as number;
      backend.gemm(false, true, m, n, k, 1, x, w, 1, z);
    },
    colSum(m, n, x, beta, out) {
      if (placed(m * n > JS_VEC_MAX, x, out)) K.colSum(m, n, at[0]!, beta, at[1]!);
      else js.colSum(m, n, x, beta, out);
    },
    // An activation the build does not know (custom records) makes the kernel return 0: reference.
    actForward(act: ActKernel, n, x, y) {
      if (!placed(n > JS_VEC_MAX, x, y) || K.actForward(act.id, act.param, n, at[0]!, at[1]!) === 0)
        js.actForward(act, n, x, y);
    },
    actBackward(act: ActKernel, n, x, y, dy, dx) {
      if (
        !placed(n > JS_VEC_MAX, x, y, dy, dx) ||
        K.actBackward(act.id, act.param, n, at[0]!, at[1]!, at[2]!, at[3]!) === 0
      )
        js.actBackward(act, n, x, y, dy, dx);
    },
    softmaxRows(m, n, x, y) {
      if (placed(m * n > JS_VEC_MAX, x, y)) K.softmaxRows(m, n, at[0]!, at[1]!);
      else js.softmaxRows(m, n, x, y);
    },
    softmaxBackward(m, n, y, dy, dx) {
      if (placed(m * n > JS_VEC_MAX, y, dy, dx)) K.softmaxBackward(m, n, at[0]!, at[1]!, at[2]!);
      else js.softmaxBackward(m, n, y, dy, dx);
    },
    // The loss value needs the record's scalar f per element (its formula, e.g. epsilon clamps,
    // belongs to src/nn), so a wasm pass would save nothing: run the reference on the views.
    loss(kernel: LossKernel, n, p, t, scale, fused, grad) {
      return js.loss(kernel, n, p, t, scale, fused, grad);
    },
    mul(n, x, m, y) {
      if (placed(n > JS_VEC_MAX, x, m, y)) K.mul(n, at[0]!, at[1]!, at[2]!);
      else js.mul(n, x, m, y);
    },
    axpy(n, alpha, x, y) {
      if (placed(n > JS_VEC_MAX, x, y)) K.axpy(n, alpha, at[0]!, at[1]!);
      else js.axpy(n, alpha, x, y);
    },
    scale(n, alpha, x) {
      if (placed(n > JS_VEC_MAX, x)) K.scale(n, alpha, at[0]!);
      else js.scale(n, alpha, x);
    },
    clip(n, lo, hi, x) {
      if (placed(n > JS_VEC_MAX, x)) K.clip(n, lo, hi, at[0]!);
      else js.clip(n, lo, hi, x);
    },
    sumSquares(n, x) {
      return placed(n > JS_VEC_MAX, x) ? K.sumSquares(n, at[0]!) : js.sumSquares(n, x);
    },
    firstNonFinite(n, x) {
      if (placed(n > JS_VEC_MAX, x)) return K.firstNonFinite(n, at[0]!);
      if (n < CHECK_BLOCK || !(x instanceof Float32Array)) return js.firstNonFinite(n, x);
      // A caller's large array (fit's inputs): through a block of this memory, a copy and a SIMD pass
      // per block, ~3× faster than the JS pass on a process's first call, which lands in the first epoch.
      if (checkAt < 0) checkAt = reserve(CHECK_BLOCK * 4);
      if (checkAt < 0) return js.firstNonFinite(n, x);
      for (let i = 0; i < n; i += CHECK_BLOCK) {
        const c = Math.min(CHECK_BLOCK, n - i);
        f32.set(x.subarray(i, i + c), checkAt >> 2);
        const bad = K.firstNonFinite(c, checkAt);
        if (bad >= 0) return i + bad;
      }
      return -1;
    },
    gatherRows(count, cols, indices, start, src, dst) {
      // Row numbers go to scratch (they rarely live in wasm memory); a loop, so no view allocates.
      if (placed(count * cols > JS_VEC_MAX && count <= K.gemmScratchBytes() >> 2, src, dst)) {
        const idx = scratch0 >> 2;
        for (let r = 0; r < count; r++) i32[idx + r] = indices[start + r] as number;
        if (runner?.gatherRows && count * cols >= RUNNER_MIN_ELEMENTS)
          runner.gatherRows(count, cols, idx << 2, at[0]!, at[1]!);
        else K.gatherRows(count, cols, idx << 2, at[0]!, at[1]!);
      } else js.gatherRows(count, cols, indices, start, src, dst);
    },
    shuffle(order, rng) {
      const n = order.length;
      if (n < SHUFFLE_MIN) return false;
      if (n > shuffleRows) {
        if (shuffleAt >= 0) heap.release(shuffleAt);
        shuffleAt = reserve((n + 4) * 4);
        if (shuffleAt < 0) {
          shuffleRows = 0;
          return false;
        }
        shuffleRows = n;
      }
      const state = rng.getState();
      const s = (shuffleAt >> 2) + n;
      i32.set(order, shuffleAt >> 2);
      for (let w = 0; w < 4; w++) i32[s + w] = state.words[w] as number;
      K.shuffleIndices(n, shuffleAt, shuffleAt + n * 4);
      order.set(i32.subarray(shuffleAt >> 2, s));
      state.words = [i32[s]! >>> 0, i32[s + 1]! >>> 0, i32[s + 2]! >>> 0, i32[s + 3]! >>> 0];
      rng.setState(state);
      return true;
    },
    run(kernel, n, arrays, attrs, meanwhile) {
      const native = natives.get(kernel.name);
      if (native === undefined || native.accepts?.(attrs) === false || !table(n > native.min, arrays)) {
        // The reference, on the views; a kernel made of kernels runs its parts through this backend.
        kernel.reference(n, arrays, attrs, backend);
        meanwhile?.();
        return;
      }
      native.attrs(attrs, f64, attrsAt >> 3);
      if (native.split && runner?.elementwise && n * (native.work?.(attrs) ?? 1) >= RUNNER_MIN_ELEMENTS)
        return runner.elementwise(native.index, n, tableAt, attrsAt, meanwhile, native.chunk?.(attrs));
      native.fn(0, n, tableAt, attrsAt);
      meanwhile?.();
    },
    accelerates: (name) => natives.has(name),
    sampleStep(plan) {
      const key = stepKey(plan);
      if (!steps.has(key)) {
        // The wasm step for a process's first steps, then the JS step it hands tiny work to (same bits).
        const own = wasmSampleStep(plan, stepHost);
        steps.set(key, own && handOver(own, () => js.sampleStep?.(plan)));
      }
      return steps.get(key);
    },
  };
  return backend;
}
