import { NeuriteError } from '../core/errors.js';
import { toMatrix, type FloatArray, type MatrixLike } from '../core/matrix.js';
import { getBackend, type BackendChoice } from '../backend/registry.js';
import type { Backend } from '../backend/types.js';
import { NeuralNetwork } from '../model/network.js';
import type { ActKernel } from '../backend/types.js';
import { batchActivation } from './fast-activations.js';
import { assertGenomeLength, genomeLayout, type GenomeLayout } from './layout.js';
import { PackedForward } from './packed-eval.js';

/**
 * Runs one genome's forward pass over a fixed batch of inputs, straight from the genome: the
 * weights are `subarray` views of the genome handed to the backend's `affine` and `actForward`
 * kernels, and every activation buffer is allocated once. No {@link NeuralNetwork} is built per
 * genome, which is what makes evaluating a whole population cheap.
 *
 * @example
 * ```ts
 * const fwd = new BatchForward(genomeLayout(net), [[0, 0], [0, 1], [1, 0], [1, 1]]);
 * const y = fwd.run(genome); // 4 × outputs values, valid until the next run
 * ```
 */
export class BatchForward {
  /** Rows of the input batch. */
  readonly rows: number;
  /** The genome layout this forward pass expects. */
  readonly layout: GenomeLayout;
  /** The backend running the kernels. */
  readonly backend: Backend;
  /** The input batch (rows × inputs), in backend memory; may be overwritten between runs. */
  readonly input: FloatArray;
  private readonly z: FloatArray[];
  private readonly y: FloatArray[];
  private readonly acts: ActKernel[];

  /**
   * @param inputs the batch (any {@link MatrixLike}), or a row count to fill {@link input} yourself.
   * @param activations `'exact'` (default) runs each layer's own activation kernel, bit-identical to
   * `predictBatch`; `'fast'` swaps tanh and sigmoid for float32-accurate rational approximations
   * (error ≤ 3e-7), several times cheaper than `Math.tanh`/`Math.exp`.
   */
  constructor(
    layout: GenomeLayout,
    inputs: MatrixLike | number,
    backend: BackendChoice = 'auto',
    activations: 'exact' | 'fast' = 'exact',
  ) {
    this.layout = layout;
    this.acts = layout.layers.map((l) => batchActivation(l.activation, activations));
    this.backend = getBackend(backend);
    const x = typeof inputs === 'number' ? undefined : toMatrix(inputs, layout.inputs, 'inputs');
    this.rows = x ? x.rows : (inputs as number);
    if (!Number.isInteger(this.rows) || this.rows < 1) {
      throw new NeuriteError('INVALID_OPTION', `batch rows must be an integer >= 1, got ${String(this.rows)}`);
    }
    this.input = this.backend.alloc(this.rows * layout.inputs);
    if (x) this.input.set(x.data.subarray(0, this.rows * layout.inputs));
    this.z = layout.layers.map((l) => this.backend.alloc(this.rows * l.units));
    this.y = layout.layers.map((l) => this.backend.alloc(this.rows * l.units));
  }

  /** Forward pass of `genome` over the first `m` rows; returns the output buffer (m × outputs valid). */
  run(genome: Float32Array, m = this.rows): FloatArray {
    const b = this.backend;
    let x = this.input;
    this.layout.layers.forEach((l, i) => {
      const z = this.z[i] as FloatArray;
      const y = this.y[i] as FloatArray;
      const w = genome.subarray(l.weightOffset, l.biasOffset);
      const bias = genome.subarray(l.biasOffset, l.biasOffset + l.units);
      b.affine(m, l.units, l.inputs, x, w, bias, z);
      if (l.activation.rowwise) b.softmaxRows(m, l.units, z, y);
      else b.actForward(this.acts[i] as ActKernel, m * l.units, z, y);
      x = y;
    });
    return x;
  }

  /** Releases the backend buffers; the object is unusable afterwards. */
  dispose(): void {
    for (const a of [this.input, ...this.z, ...this.y]) this.backend.free?.(a);
  }
}

/** The layout of a network or a layout as is. */
function layoutOf(source: NeuralNetwork | GenomeLayout): GenomeLayout {
  return source instanceof NeuralNetwork ? genomeLayout(source) : source;
}

/** Options of {@link evaluateBatch} and {@link forwardBatch}. */
export interface BatchOptions {
  /** Backend running the kernels (default `'auto'`). */
  backend?: BackendChoice;
  /** `'exact'` (default) or `'fast'` tanh/sigmoid (see {@link BatchForward}). */
  activations?: 'exact' | 'fast';
}

/**
 * Scores every genome on the same inputs: runs each genome's forward pass over the whole batch and
 * calls `score(outputs, index)` with its outputs (rows × outputs, row-major; a view that is reused,
 * so copy it to keep it). Returns the scores in genome order.
 *
 * @example
 * ```ts
 * const xs = [[0, 0], [0, 1], [1, 0], [1, 1]];
 * const ys = [0, 1, 1, 0];
 * const scores = evaluateBatch(net, genomes, xs, (out) => -ys.reduce((s, t, i) => s + (out[i] - t) ** 2, 0));
 * ```
 */
export function evaluateBatch(
  source: NeuralNetwork | GenomeLayout,
  genomes: readonly Float32Array[],
  inputs: MatrixLike,
  score: (outputs: FloatArray, index: number) => number,
  options: BatchOptions = {},
): Float64Array {
  const layout = layoutOf(source);
  assertGenomeLength(layout.length, ...genomes);
  const fwd = new PackedForward(layout, inputs, options.backend, options.activations);
  const out = new Float64Array(genomes.length);
  try {
    fwd.each(genomes, (y, i) => (out[i] = score(y, i)));
  } finally {
    fwd.dispose();
  }
  return out;
}

/**
 * The outputs of every genome on the same inputs, as one array: genome i's outputs start at
 * `i · rows · outputs`. This is W5 of the benchmark suite (population forward throughput).
 */
export function forwardBatch(
  source: NeuralNetwork | GenomeLayout,
  genomes: readonly Float32Array[],
  inputs: MatrixLike,
  options: BatchOptions = {},
): Float32Array {
  const layout = layoutOf(source);
  assertGenomeLength(layout.length, ...genomes);
  const fwd = new PackedForward(layout, inputs, options.backend, options.activations);
  const size = fwd.rows * layout.outputs;
  const all = new Float32Array(genomes.length * size);
  try {
    fwd.each(genomes, (y, i) => all.set(y, i * size));
  } finally {
    fwd.dispose();
  }
  return all;
}
