import type { FloatArray } from '../core/matrix.js';
import type { Rng } from '../core/rng.js';

/**
 * Activation kernel ids. A backend that knows an id runs it natively; otherwise it falls back to
 * the record's scalar `f`/`df`, so adding an activation never requires kernel work.
 */
export const ActId = {
  linear: 0,
  sigmoid: 1,
  tanh: 2,
  relu: 3,
  leakyRelu: 4,
  elu: 5,
  softplus: 6,
  gelu: 7,
  /** Row-wise; never passed to `actForward` (see `softmaxRows`). */
  softmax: 8,
  /** tanh and sigmoid by a float32 rational approximation (`fastTanh`, `fastSigmoid`; evolution's `'fast'`). */
  fastTanh: 9,
  fastSigmoid: 10,
  /** Any activation the backend does not know: use `f`/`df`. */
  custom: 255,
} as const;

/** Elementwise activation as the kernels see it. `param` is e.g. leakyRelu's alpha. */
export interface ActKernel {
  readonly id: number;
  readonly param: number;
  f(x: number): number;
  /** Derivative from the pre-activation `x` and the output `y = f(x)`. */
  df(x: number, y: number): number;
}

/** Loss kernel ids (see {@link ActId} for the fallback rule). */
export const LossId = {
  mse: 0,
  ssr: 1,
  mae: 2,
  huber: 3,
  binaryCrossEntropy: 4,
  categoricalCrossEntropy: 5,
  custom: 255,
} as const;

/** Elementwise loss term as the kernels see it: total = scale * Σ f(p, t). */
export interface LossKernel {
  readonly id: number;
  f(p: number, t: number): number;
  df(p: number, t: number): number;
}

/** One layer of a {@link SampleStepPlan}: its sizes, activation and where its parameters sit. */
export interface SampleStepLayer {
  readonly inputs: number;
  readonly units: number;
  /** The activation's kernel id (`ActId`) and its parameter (leakyRelu's alpha). */
  readonly act: number;
  readonly param: number;
  /** Index of weight [0][0] (row-major [units][inputs]) and of bias 0 in the parameter vector. */
  readonly weightOffset: number;
  readonly biasOffset: number;
}

/** What a compiled per-sample training step computes (see {@link Backend.sampleStep}). */
export interface SampleStepPlan {
  readonly layers: readonly SampleStepLayer[];
  /** The last activation is fused with the loss: its gradient is scale · (p − t). */
  readonly fusedLast: boolean;
  /** The loss's factor for one row (`lossScale(loss, 1, outputs)`). */
  readonly scale: number;
  /** True: the step also applies plain SGD, p −= lr·g, to the parameters; false: it writes the gradient. */
  readonly update: boolean;
  /** The loss's kernel id (`LossId`), for a step that writes the loss out instead of calling `L`. */
  readonly loss: number;
}

/**
 * One per-sample training step on parameters `P` (gradient `G`): checks and reads the rows,
 * forward pass, loss `L`, backward pass and, when planned, the SGD update with rate `lr`. Returns
 * the loss before the step (a non-finite loss changes nothing), or `undefined`, changing nothing,
 * when `input` or `target` is not a row of finite numbers of the planned length.
 */
export type SampleStep = (
  P: FloatArray,
  G: FloatArray,
  input: unknown,
  target: unknown,
  lr: number,
  L: LossKernel,
) => number | undefined;

/** Scalar hyper-parameters of one kernel call, by name (tfjs `attrs`): a record, not a positional list. */
export type KernelAttrs = Readonly<Record<string, number>>;

/**
 * A kernel known by name (tfjs `registerKernel`'s `kernelName`) over n independent positions of
 * its arrays, with scalar hyper-parameters `attrs`: elements for an optimizer update (equally long
 * arrays, updated position by position), genomes for the population forward pass. `reference` is
 * its definition in plain TypeScript and what every backend without a native version of `name`
 * runs (see {@link Backend.run}); a native version must give the same values within float32
 * rounding (test/conformance holds it to that).
 */
export interface Kernel<A extends KernelAttrs = KernelAttrs> {
  /** Registry key; a backend's native version is found by it. */
  readonly name: string;
  /** What each array holds, in call order (e.g. `['p', 'g', 'm', 'v']`). */
  readonly arrays: readonly string[];
  /**
   * Computes positions [0, n) (f64 arithmetic on whatever arrays it is given, rounded where it
   * stores). `backend` is the backend running it: a kernel made of other kernels runs them through
   * `backend.run`, so their native versions run where that backend has them.
   */
  reference(n: number, arrays: readonly FloatArray[], attrs: A, backend: Backend): void;
}

/**
 * The small set of kernels every model operation is made of. Kernels take sizes and arrays,
 * write into caller-owned outputs, allocate nothing and know nothing of layers. Arrays may be
 * longer than needed: a kernel only touches the prefix its sizes describe. All matrices are
 * row-major.
 *
 * Arrays obtained from {@link Backend.alloc} are the fast path (for the wasm backend they live in
 * its linear memory, so a call passes only offsets); any other array must still work.
 */
export interface Backend {
  /** `'js'`, `'wasm'`, … */
  readonly name: string;
  /** A zeroed array of `n` floats that this backend can use without copying. */
  alloc(n: number): FloatArray;
  /** Returns an array from {@link Backend.alloc}; using it afterwards is an error. Optional. */
  free?(a: FloatArray): void;

  /**
   * C[m×n] = alpha · op(A) · op(B) + beta · C, with op(A) m×k and op(B) k×n.
   * A is stored m×k (or k×m when `transA`), B k×n (or n×k when `transB`). beta = 0 ignores C's old values (even NaN).
   * A backend may skip products with an exact zero factor (sparse rows such as image pixels): the
   * sums are the same, except that 0·∞ then adds nothing instead of NaN.
   */
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: FloatArray,
    b: FloatArray,
    beta: number,
    c: FloatArray,
  ): void;
  /** Z[m×n] = X[m×k] · Wᵀ + bias, with W stored n×k (one row per output unit). */
  affine(m: number, n: number, k: number, x: FloatArray, w: FloatArray, bias: FloatArray, z: FloatArray): void;
  /** out[j] = beta · out[j] + Σ_i X[i×n + j] (column sums; the bias gradient). */
  colSum(m: number, n: number, x: FloatArray, beta: number, out: FloatArray): void;

  /** y = f(x) elementwise over n values. */
  actForward(act: ActKernel, n: number, x: FloatArray, y: FloatArray): void;
  /** dx = dy · f'(x, y) elementwise (dx may alias dy). */
  actBackward(act: ActKernel, n: number, x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray): void;
  /** Row-wise numerically stable softmax of an m×n matrix (y may alias x). */
  softmaxRows(m: number, n: number, x: FloatArray, y: FloatArray): void;
  /** dx_i = y_i (dy_i − Σ_j dy_j y_j) per row: the softmax Jacobian-vector product (dx may alias dy). */
  softmaxBackward(m: number, n: number, y: FloatArray, dy: FloatArray, dx: FloatArray): void;

  /**
   * Returns scale · Σ f(p_i, t_i) over n values and writes grad_i = scale · df(p_i, t_i); when
   * `fused` is true it writes grad_i = scale · (p_i − t_i) instead (softmax/sigmoid + cross-entropy).
   */
  loss(
    loss: LossKernel,
    n: number,
    p: FloatArray,
    t: FloatArray,
    scale: number,
    fused: boolean,
    grad: FloatArray,
  ): number;

  /** y = x ⊙ m elementwise (dropout masks; y may alias x). */
  mul(n: number, x: FloatArray, m: FloatArray, y: FloatArray): void;
  /** y += alpha · x. */
  axpy(n: number, alpha: number, x: FloatArray, y: FloatArray): void;
  /** x *= alpha. */
  scale(n: number, alpha: number, x: FloatArray): void;
  /** x = clamp(x, lo, hi). */
  clip(n: number, lo: number, hi: number, x: FloatArray): void;
  /** Σ x_i² (for clip-by-norm and diagnostics). */
  sumSquares(n: number, x: FloatArray): number;
  /**
   * Kernels for work so small that this backend would hand it to them anyway (the wasm backend
   * runs products of ≤ `macs` multiply-adds in the JS kernels): callers whose every product is
   * that small may call `backend` directly on this backend's arrays and skip one dispatch layer.
   */
  readonly tiny?: {
    readonly macs: number;
    /** Optimizer kernels (`run` of `sgd`, `adam`, …) over at most this many positions also run on `backend`. */
    readonly elements?: number;
    readonly backend: Backend;
  };
  /**
   * A per-sample training step specialised for one small stack (optional): the same values as
   * this backend's forward, `loss`, backward and `sgd` kernels on one row, in one call. Returns
   * `undefined` when it cannot build one (the caller keeps the kernel-by-kernel path).
   */
  sampleStep?(plan: SampleStepPlan): SampleStep | undefined;
  /**
   * Optional: a model whose widest layer does `macs` multiply-adds per row was just built on this
   * backend. The backend may start now what that model's passes will use (a thread pool's workers),
   * so that its first `fit` batches do not wait for it. Results never depend on it.
   */
  prepare?(macs: number): void;
  /** Index of the first NaN or ±Infinity in x[0, n), or -1 (validates data where it is copied in). */
  firstNonFinite(n: number, x: FloatArray): number;
  /** dst[r] = src[indices[start + r]] for r < count, rows of `cols` values. */
  gatherRows(count: number, cols: number, indices: Int32Array, start: number, src: FloatArray, dst: FloatArray): void;
  /**
   * Optional: shuffles `order` in place with draws from `rng`, exactly as `rng.shuffle(order)`
   * does (the same permutation, and `rng` left at the same position), and returns true; or
   * returns false having changed neither, and the caller runs `rng.shuffle`. `fit` shuffles its
   * rows here every epoch: a process's first JS shuffle runs unoptimised (3 ms for 8,000 rows).
   */
  shuffle?(order: Int32Array, rng: Rng): boolean;

  /**
   * Runs a named kernel over positions [0, n) of `arrays` (in the order `kernel.arrays` names
   * them) with the scalar hyper-parameters `attrs`. A backend that has its
   * own version of `kernel.name` runs that; every other kernel falls back to `kernel.reference`,
   * so a new kernel needs no backend work. Neither `arrays` nor `attrs` is retained.
   *
   * `meanwhile`, if given, is work for the calling thread that touches neither `arrays` nor this
   * backend (e.g. copying the next batch from the caller's rows): a backend with a thread pool
   * runs it after handing the kernel to its workers, then joins them, so the two overlap; any
   * other backend runs it after the kernel. If it throws, the kernel still completes and the error
   * is rethrown after. A caller can tell whether it ran (a backend may ignore it).
   */
  run<A extends KernelAttrs>(
    kernel: Kernel<A>,
    n: number,
    arrays: readonly FloatArray[],
    attrs: A,
    meanwhile?: () => void,
  ): void;
  /** Whether this backend has its own version of the kernel named `name` (else `run` uses the reference). */
  accelerates(name: string): boolean;
}
