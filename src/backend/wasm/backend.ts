import type { FloatArray } from '../../core/matrix.js';
import { jsBackend } from '../js/index.js';
import type { ActKernel, Backend, LossKernel } from '../types.js';
import { Heap } from './heap.js';
import { instantiateKernels, kernelModule, MAX_PAGES, type SimdFlavour, type WasmKernels } from './kernels.js';
import { hasRelaxedSimd, hasSharedMemory } from './probe.js';

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
  gemm(
    ta: number,
    tb: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    b: number,
    beta: number,
    c: number,
  ): void;
  /**
   * Optional: Adam over byte offsets, split into element ranges over the threads (elementwise, so
   * any split gives the single-threaded result). Called for at least {@link RUNNER_MIN_ELEMENTS}.
   */
  adamStep?(
    n: number,
    p: number,
    g: number,
    m: number,
    v: number,
    lr: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    t: number,
    decay: number,
    save: number,
  ): void;
  /**
   * Optional: `gatherRows` over byte offsets (`idx`: i32 row numbers), split into row ranges.
   * Called for at least {@link RUNNER_MIN_ELEMENTS} copied values.
   */
  gatherRows?(count: number, cols: number, idx: number, src: number, dst: number): void;
}

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
}

// Below these sizes the JS reference kernels, run on the same views, beat a boundary crossing
// plus packing (measured with bench/workloads/w1 and test sizes; see bench/RESULTS.md).
const JS_GEMM_MAX_MACS = 1024;
const JS_VEC_MAX = 16;

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
  if (scratch0 < 0) throw new Error('wasm backend: no room for gemm scratch');

  // Every buffer object memory has had: after a shared memory grows, views made earlier keep the
  // old SharedArrayBuffer object, which still aliases the same bytes.
  const buffers: ArrayBufferLike[] = [memory.buffer];
  let buf: ArrayBufferLike = memory.buffer;
  let f32 = new Float32Array(buf);
  let i32 = new Int32Array(buf);
  let runner: GemmRunner | undefined;
  let stage = -1;
  let stageBytes = 0;

  function refresh(): void {
    if (memory.buffer === buf) return;
    buf = memory.buffer;
    buffers.push(buf);
    f32 = new Float32Array(buf);
    i32 = new Int32Array(buf);
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
    if (b === buf) return a.byteOffset;
    for (const old of buffers) if (old === b) return a.byteOffset;
    return -1;
  }

  function product(
    ta: number,
    tb: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    b: number,
    beta: number,
    c: number,
  ): void {
    if (runner && 2 * m * n * k >= runner.minFlops) runner.gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
    else K.gemmBlock(ta, tb, m, n, k, alpha, a, b, beta, c, 0, m, 0, n, scratch0);
  }

  /** Copies arrays that live outside memory into a staging block; offsets, or undefined. */
  function staged(
    ta: number,
    tb: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: FloatArray,
    b: FloatArray,
    beta: number,
    c: FloatArray,
  ): boolean {
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
    product(ta, tb, m, n, k, alpha, ao, bo, beta, co);
    if (copyC) c.set(f32.subarray(sc, sc + lc));
    return true;
  }

  const backend: WasmBackend = {
    name: 'wasm',
    flavour,
    shared,
    memory,
    module: mod,
    kernels: K,
    tiny: { macs: JS_GEMM_MAX_MACS, backend: jsBackend },
    get threads() {
      return runner?.threads ?? 1;
    },
    reserve,
    setRunner(r) {
      runner = r;
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
      if (m * n * k > JS_GEMM_MAX_MACS) {
        const ta = transA ? 1 : 0;
        const tb = transB ? 1 : 0;
        const ao = off(a);
        const bo = off(b);
        const co = off(c);
        if (ao >= 0 && bo >= 0 && co >= 0) return product(ta, tb, m, n, k, alpha, ao, bo, beta, co);
        if (staged(ta, tb, m, n, k, alpha, a, b, beta, c)) return;
      }
      jsBackend.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    },
    affine(m, n, k, x, w, bias, z) {
      if (m * n * k <= JS_GEMM_MAX_MACS || m === 0 || n === 0) return jsBackend.affine(m, n, k, x, w, bias, z);
      const bo = off(bias);
      const zo = off(z);
      if (bo >= 0 && zo >= 0) K.fillRows(m, n, bo, zo);
      else for (let r = 0; r < m; r++) for (let j = 0; j < n; j++) z[r * n + j] = bias[j] as number;
      backend.gemm(false, true, m, n, k, 1, x, w, 1, z);
    },
    colSum(m, n, x, beta, out) {
      if (m * n <= JS_VEC_MAX) return jsBackend.colSum(m, n, x, beta, out);
      const xo = off(x);
      const oo = off(out);
      if (xo >= 0 && oo >= 0) K.colSum(m, n, xo, beta, oo);
      else jsBackend.colSum(m, n, x, beta, out);
    },
    actForward(act: ActKernel, n, x, y) {
      if (n > JS_VEC_MAX) {
        const xo = off(x);
        const yo = off(y);
        if (xo >= 0 && yo >= 0 && K.actForward(act.id, act.param, n, xo, yo) !== 0) return;
      }
      jsBackend.actForward(act, n, x, y);
    },
    actBackward(act: ActKernel, n, x, y, dy, dx) {
      if (n > JS_VEC_MAX) {
        const xo = off(x);
        const yo = off(y);
        const go = off(dy);
        const do_ = off(dx);
        if (xo >= 0 && yo >= 0 && go >= 0 && do_ >= 0 && K.actBackward(act.id, act.param, n, xo, yo, go, do_) !== 0)
          return;
      }
      jsBackend.actBackward(act, n, x, y, dy, dx);
    },
    softmaxRows(m, n, x, y) {
      if (m * n <= JS_VEC_MAX) return jsBackend.softmaxRows(m, n, x, y);
      const xo = off(x);
      const yo = off(y);
      if (xo >= 0 && yo >= 0) K.softmaxRows(m, n, xo, yo);
      else jsBackend.softmaxRows(m, n, x, y);
    },
    softmaxBackward(m, n, y, dy, dx) {
      if (m * n <= JS_VEC_MAX) return jsBackend.softmaxBackward(m, n, y, dy, dx);
      const yo = off(y);
      const go = off(dy);
      const xo = off(dx);
      if (yo >= 0 && go >= 0 && xo >= 0) K.softmaxBackward(m, n, yo, go, xo);
      else jsBackend.softmaxBackward(m, n, y, dy, dx);
    },
    // The loss value needs the record's scalar f per element (its formula, e.g. epsilon clamps,
    // belongs to src/nn), so a wasm pass would save nothing: run the reference on the views.
    loss(kernel: LossKernel, n, p, t, scale, fused, grad) {
      return jsBackend.loss(kernel, n, p, t, scale, fused, grad);
    },
    mul(n, x, m, y) {
      if (n <= JS_VEC_MAX) return jsBackend.mul(n, x, m, y);
      const xo = off(x);
      const mo = off(m);
      const yo = off(y);
      if (xo >= 0 && mo >= 0 && yo >= 0) K.mul(n, xo, mo, yo);
      else jsBackend.mul(n, x, m, y);
    },
    axpy(n, alpha, x, y) {
      if (n <= JS_VEC_MAX) return jsBackend.axpy(n, alpha, x, y);
      const xo = off(x);
      const yo = off(y);
      if (xo >= 0 && yo >= 0) K.axpy(n, alpha, xo, yo);
      else jsBackend.axpy(n, alpha, x, y);
    },
    scale(n, alpha, x) {
      const xo = n <= JS_VEC_MAX ? -1 : off(x);
      if (xo >= 0) K.scale(n, alpha, xo);
      else jsBackend.scale(n, alpha, x);
    },
    clip(n, lo, hi, x) {
      const xo = n <= JS_VEC_MAX ? -1 : off(x);
      if (xo >= 0) K.clip(n, lo, hi, xo);
      else jsBackend.clip(n, lo, hi, x);
    },
    sumSquares(n, x) {
      const xo = n <= JS_VEC_MAX ? -1 : off(x);
      return xo >= 0 ? K.sumSquares(n, xo) : jsBackend.sumSquares(n, x);
    },
    firstNonFinite(n, x) {
      const xo = n <= JS_VEC_MAX ? -1 : off(x);
      return xo >= 0 ? K.firstNonFinite(n, xo) : jsBackend.firstNonFinite(n, x);
    },
    gatherRows(count, cols, indices, start, src, dst) {
      if (count * cols <= JS_VEC_MAX) return jsBackend.gatherRows(count, cols, indices, start, src, dst);
      const so = off(src);
      const dO = off(dst);
      if (so >= 0 && dO >= 0) {
        // Row numbers go to scratch (they rarely live in wasm memory); a loop, so no view allocates.
        const idx = scratch0 >> 2;
        if (count <= K.gemmScratchBytes() >> 2) {
          for (let r = 0; r < count; r++) i32[idx + r] = indices[start + r] as number;
          if (runner?.gatherRows && count * cols >= RUNNER_MIN_ELEMENTS)
            runner.gatherRows(count, cols, idx << 2, so, dO);
          else K.gatherRows(count, cols, idx << 2, so, dO);
          return;
        }
      }
      jsBackend.gatherRows(count, cols, indices, start, src, dst);
    },
    sgdStep(n, p, g, v, lr, momentum, nesterov) {
      if (n <= JS_VEC_MAX) return jsBackend.sgdStep(n, p, g, v, lr, momentum, nesterov);
      const po = off(p);
      const go = off(g);
      const vo = momentum === 0 ? 0 : off(v);
      if (po >= 0 && go >= 0 && vo >= 0) K.sgdStep(n, po, go, vo, lr, momentum, nesterov ? 1 : 0);
      else jsBackend.sgdStep(n, p, g, v, lr, momentum, nesterov);
    },
    adamStep(n, p, g, m, v, lr, beta1, beta2, epsilon, t, decay, save) {
      if (n <= JS_VEC_MAX) return jsBackend.adamStep(n, p, g, m, v, lr, beta1, beta2, epsilon, t, decay, save);
      const po = off(p);
      const go = off(g);
      const mo = off(m);
      const vo = off(v);
      const so = save === undefined ? 0 : off(save);
      if (po >= 0 && go >= 0 && mo >= 0 && vo >= 0 && so >= 0) {
        if (runner?.adamStep && n >= RUNNER_MIN_ELEMENTS)
          runner.adamStep(n, po, go, mo, vo, lr, beta1, beta2, epsilon, t, decay, so);
        else K.adamStep(n, po, go, mo, vo, lr, beta1, beta2, epsilon, t, decay, so);
      } else jsBackend.adamStep(n, p, g, m, v, lr, beta1, beta2, epsilon, t, decay, save);
    },
    rmspropStep(n, p, g, s, mom, lr, rho, momentum, epsilon) {
      if (n <= JS_VEC_MAX) return jsBackend.rmspropStep(n, p, g, s, mom, lr, rho, momentum, epsilon);
      const po = off(p);
      const go = off(g);
      const so = off(s);
      const mo = momentum === 0 ? 0 : off(mom);
      if (po >= 0 && go >= 0 && so >= 0 && mo >= 0) K.rmspropStep(n, po, go, so, mo, lr, rho, momentum, epsilon);
      else jsBackend.rmspropStep(n, p, g, s, mom, lr, rho, momentum, epsilon);
    },
    adagradStep(n, p, g, s, lr, epsilon) {
      if (n <= JS_VEC_MAX) return jsBackend.adagradStep(n, p, g, s, lr, epsilon);
      const po = off(p);
      const go = off(g);
      const so = off(s);
      if (po >= 0 && go >= 0 && so >= 0) K.adagradStep(n, po, go, so, lr, epsilon);
      else jsBackend.adagradStep(n, p, g, s, lr, epsilon);
    },
  };
  return backend;
}
