import { NeuriteError } from '../core/errors.js';
import { toMatrix, type FloatArray, type MatrixLike } from '../core/matrix.js';
import { getBackend, type BackendChoice } from '../backend/registry.js';
import { ActId, type ActKernel, type Backend } from '../backend/types.js';
import { batchActivation, fastSigmoidArray, fastTanhArray } from './fast-activations.js';
import type { GenomeLayout, LayerLayout } from './layout.js';
import { SimdPackedForward, simdPackedSupported } from './packed-wasm.js';

/** Floats per activation block: keeps a chunk's blocks in L2 while amortising every call. */
const BLOCK_FLOATS = 1 << 15;
/** Genomes per call of the WebAssembly kernel (only its copies and outputs scale with it). */
const SIMD_CHUNK = 256;

/**
 * The population-at-once forward pass: every genome sees the same inputs, so each layer is
 * computed for a whole chunk of genomes in one tight loop into one contiguous block
 * (genome-major: genome i's rows × units start at `i · rows · units`), and the activation runs
 * once over that block. A population of 1,000 small networks then costs a few dozen calls instead
 * of thousands of kernel calls, and `'fast'` tanh/sigmoid run inline in one monomorphic loop.
 *
 * The arithmetic is the js backend's: each neuron is `bias + dot(x, w)` with the same summation
 * order, rounded to float32, then the activation kernel of `backend` over the block (or the
 * `'fast'` approximations), so `'exact'` outputs are bit-identical to the js backend's
 * per-genome path (and to `predictBatch` on the js backend). One exception: `'fast'` on the wasm
 * backend, for linear/tanh/sigmoid/relu layers, runs the whole chunk in one WebAssembly SIMD call
 * ({@link SimdPackedForward}: float32 sums, within a few float32 ulps of the JS path).
 *
 * @example
 * ```ts
 * const pf = new PackedForward(genomeLayout(net), inputs, 'auto', 'fast');
 * pf.run(genomes, 0, 64); // outputs of genomes 0–63, 64 × rows × outputs values
 * ```
 */
export class PackedForward {
  /** Rows of the input batch. */
  readonly rows: number;
  /** The genome layout this forward pass expects. */
  readonly layout: GenomeLayout;
  /** The backend running the activation kernels. */
  readonly backend: Backend;
  /** Genomes per chunk: {@link run} takes at most this many at a time. */
  readonly chunk: number;
  /** Floats between consecutive genomes' outputs in the block {@link run} returns (≥ rows · outputs). */
  readonly stride: number;
  /** The WebAssembly SIMD kernel, used for `'fast'` on the wasm backend when it supports the layout. */
  private readonly simd: SimdPackedForward | undefined;
  private readonly input: Float32Array;
  private readonly blocks: FloatArray[];
  private readonly acts: ActKernel[];
  private readonly fast: boolean;

  /**
   * @param inputs the batch every genome is run on.
   * @param activations `'exact'` (default) or `'fast'` (see `BatchForward`).
   * @param chunk genomes per chunk (default: as many as keep a layer's block ≤ 32k floats; giving one
   *   keeps the JS path, whose outputs are bit-identical to the per-genome path, even for `'fast'` on wasm).
   */
  constructor(
    layout: GenomeLayout,
    inputs: MatrixLike,
    backend: BackendChoice = 'auto',
    activations: 'exact' | 'fast' = 'exact',
    chunk?: number,
  ) {
    this.layout = layout;
    this.backend = getBackend(backend);
    this.fast = activations === 'fast';
    this.acts = layout.layers.map((l) => batchActivation(l.activation, activations));
    const x = toMatrix(inputs, layout.inputs, 'inputs');
    this.rows = x.rows;
    this.input = x.data.slice(0, this.rows * layout.inputs);
    const widest = Math.max(...layout.layers.map((l) => l.units));
    this.chunk = chunk ?? Math.max(1, Math.floor(BLOCK_FLOATS / (this.rows * widest)));
    if (!Number.isInteger(this.chunk) || this.chunk < 1) {
      throw new NeuriteError('INVALID_OPTION', `chunk must be an integer >= 1, got ${String(this.chunk)}`);
    }
    const simd = this.fast && this.backend.name === 'wasm' && chunk === undefined && simdPackedSupported(layout);
    if (simd) this.chunk = SIMD_CHUNK;
    this.simd = simd ? new SimdPackedForward(layout, x, this.chunk) : undefined;
    this.stride = this.simd ? this.simd.stride : this.rows * layout.outputs;
    this.blocks = this.simd ? [] : layout.layers.map((l) => this.backend.alloc(this.chunk * this.rows * l.units));
  }

  /**
   * Forward pass of `genomes[start … start + count)` (count ≤ {@link chunk}); returns the output
   * block, genome-major: genome i's outputs (rows × outputs) start at `i · stride`. The block is
   * reused by the next call.
   */
  run(genomes: readonly Float32Array[], start: number, count: number): FloatArray {
    if (this.simd) return this.simd.run(genomes, start, count);
    const rows = this.rows;
    let x: FloatArray = this.input;
    let shared = true;
    this.layout.layers.forEach((l, i) => {
      const y = this.blocks[i] as FloatArray;
      affineChunk(genomes, start, count, rows, l, x, shared, y);
      this.activate(i, l, count * rows, y);
      x = y;
      shared = false;
    });
    return x;
  }

  /** Runs layer `i`'s activation in place over `m` rows of its block. */
  private activate(i: number, l: LayerLayout, m: number, y: FloatArray): void {
    const act = this.acts[i] as ActKernel;
    const n = m * l.units;
    if (l.activation.rowwise) this.backend.softmaxRows(m, l.units, y, y);
    else if (this.fast && l.activation.id === ActId.tanh) fastTanhArray(n, y, y);
    else if (this.fast && l.activation.id === ActId.sigmoid) fastSigmoidArray(n, y, y);
    else this.backend.actForward(act, n, y, y);
  }

  /**
   * Runs every genome, chunk by chunk, and calls `visit` with each genome's outputs (rows × outputs,
   * a view reused by the next chunk) and its index in `genomes`.
   */
  each(genomes: readonly Float32Array[], visit: (outputs: FloatArray, index: number) => void): void {
    const size = this.rows * this.layout.outputs;
    for (let start = 0; start < genomes.length; start += this.chunk) {
      const count = Math.min(this.chunk, genomes.length - start);
      const y = this.run(genomes, start, count);
      for (let g = 0; g < count; g++) visit(y.subarray(g * this.stride, g * this.stride + size), start + g);
    }
  }

  /** Releases the backend buffers; the object is unusable afterwards. */
  dispose(): void {
    for (const a of this.blocks) this.backend.free?.(a);
  }
}

/**
 * z[g][r][j] = bias_j + dot(x_r, w_j) for genomes `start … start + count)`, with the js backend's
 * summation order (four partial sums, combined as (s0 + s1) + (s2 + s3)). `x` is the shared input
 * batch when `shared`, else the previous layer's genome-major block.
 */
function affineChunk(
  genomes: readonly Float32Array[],
  start: number,
  count: number,
  rows: number,
  l: LayerLayout,
  x: FloatArray,
  shared: boolean,
  z: FloatArray,
): void {
  const k = l.inputs;
  const n = l.units;
  const k4 = k & ~3;
  for (let g = 0; g < count; g++) {
    const w = genomes[start + g] as Float32Array;
    const xg = shared ? 0 : g * rows * k;
    const zg = g * rows * n;
    for (let j = 0; j < n; j++) {
      const wo = l.weightOffset + j * k;
      const b = w[l.biasOffset + j] as number;
      for (let r = 0; r < rows; r++) {
        const xo = xg + r * k;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let p = 0;
        for (; p < k4; p += 4) {
          s0 += (x[xo + p] as number) * (w[wo + p] as number);
          s1 += (x[xo + p + 1] as number) * (w[wo + p + 1] as number);
          s2 += (x[xo + p + 2] as number) * (w[wo + p + 2] as number);
          s3 += (x[xo + p + 3] as number) * (w[wo + p + 3] as number);
        }
        for (; p < k; p++) s0 += (x[xo + p] as number) * (w[wo + p] as number);
        z[zg + r * n + j] = b + (s0 + s1 + (s2 + s3));
      }
    }
  }
}
