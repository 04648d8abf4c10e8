import type { FloatArray } from '../core/matrix.js';

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
  readonly tiny?: { readonly macs: number; readonly backend: Backend };
  /** Index of the first NaN or ±Infinity in x[0, n), or -1 (validates data where it is copied in). */
  firstNonFinite(n: number, x: FloatArray): number;
  /** dst[r] = src[indices[start + r]] for r < count, rows of `cols` values. */
  gatherRows(count: number, cols: number, indices: Int32Array, start: number, src: FloatArray, dst: FloatArray): void;

  /** SGD with momentum (PyTorch/tfjs form): v = μv + g; p −= lr·(nesterov ? g + μv : v). μ = 0 skips v. */
  sgdStep(
    n: number,
    p: FloatArray,
    g: FloatArray,
    v: FloatArray,
    lr: number,
    momentum: number,
    nesterov: boolean,
  ): void;
  /**
   * Adam (Kingma & Ba 2014, Algorithm 1, as tfjs and PyTorch compute it):
   * m = β1m + (1−β1)g; v = β2v + (1−β2)g²; p −= lr · (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε).
   * `decay` > 0 applies AdamW's decoupled decay first: p −= lr·decay·p.
   * `save`, when given, receives p's values from before the update (a checkpoint taken in the same
   * pass, e.g. `fit`'s last weights with a finite loss).
   */
  adamStep(
    n: number,
    p: FloatArray,
    g: FloatArray,
    m: FloatArray,
    v: FloatArray,
    lr: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    t: number,
    decay: number,
    save?: FloatArray,
  ): void;
  /** RMSprop (tfjs form): s = ρs + (1−ρ)g²; mom = μ·mom + lr·g/√(s + ε); p −= mom (μ = 0 skips mom). */
  rmspropStep(
    n: number,
    p: FloatArray,
    g: FloatArray,
    s: FloatArray,
    mom: FloatArray,
    lr: number,
    rho: number,
    momentum: number,
    epsilon: number,
  ): void;
  /** Adagrad (tfjs form): s += g²; p −= lr·g/√(s + ε). */
  adagradStep(n: number, p: FloatArray, g: FloatArray, s: FloatArray, lr: number, epsilon: number): void;
}
