import { NeuriteError } from '../core/errors.js';
import { toMatrix, type FloatArray, type MatrixLike } from '../core/matrix.js';
import {
  POPULATION_TABLE_STRIDE,
  populationForward,
  populationScratch,
  type PopulationAttrs,
} from '../backend/js/population.js';
import { getBackend, type BackendChoice } from '../backend/registry.js';
import { ActId, type Backend } from '../backend/types.js';
import { batchActivation } from './fast-activations.js';
import type { GenomeLayout } from './layout.js';

/** Floats per activation block: keeps a chunk's blocks in L2 while amortising every call. */
const BLOCK_FLOATS = 1 << 15;

/**
 * The population-at-once forward pass: every genome sees the same inputs, so a chunk of genomes
 * is one call of the backend's `populationForward` kernel (backend/js/population.ts) instead of
 * thousands of per-network kernel calls. A population of 1,000 small networks then costs a few
 * dozen calls.
 *
 * The kernel's reference is the js backend's arithmetic (each neuron `bias + dot(x, w)` in its
 * summation order, then the activation kernel over the block), so on the js backend the outputs
 * are bit-identical to the per-genome path (and to `predictBatch`). A backend with its own version
 * runs that instead: the wasm build runs linear, relu and the `'fast'` tanh/sigmoid layers four
 * rows per f32x4 (float32 sums, within a few float32 ulps of the reference) and leaves any other
 * network to the reference.
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
  /** The backend running the kernel. */
  readonly backend: Backend;
  /** Genomes per chunk: {@link run} takes at most this many at a time. */
  readonly chunk: number;
  /** Floats between consecutive genomes' outputs in the block {@link run} returns (rows · outputs). */
  readonly stride: number;
  private readonly arrays: FloatArray[];
  private readonly attrs: PopulationAttrs;
  /** The table when this object allocated it (not the backend, so not the backend's to free). */
  private readonly ownTable: Float64Array | undefined;

  /**
   * @param inputs the batch every genome is run on.
   * @param activations `'exact'` (default) or `'fast'` (see `BatchForward`).
   * @param chunk genomes per chunk (default: as many as keep a layer's block ≤ 32k floats).
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
    const x = toMatrix(inputs, layout.inputs, 'inputs');
    this.rows = x.rows;
    const widest = Math.max(...layout.layers.map((l) => l.units));
    this.chunk = chunk ?? Math.max(1, Math.floor(BLOCK_FLOATS / (this.rows * widest)));
    if (!Number.isInteger(this.chunk) || this.chunk < 1) {
      throw new NeuriteError('INVALID_OPTION', `chunk must be an integer >= 1, got ${String(this.chunk)}`);
    }
    this.stride = this.rows * layout.outputs;
    const b = this.backend;
    const input = b.alloc(this.rows * layout.inputs);
    input.set(x.data.subarray(0, this.rows * layout.inputs));
    // The reference reads an activation's param (leakyRelu's 0.01) in float64, as the per-network
    // path uses it, so its outputs stay bit-identical; a native version reads backend memory.
    const tableLength = layout.layers.length * POPULATION_TABLE_STRIDE;
    const native = b.accelerates(populationForward.name);
    this.ownTable = native ? undefined : new Float64Array(tableLength);
    const table = this.ownTable ?? b.alloc(tableLength);
    let acts = 0;
    layout.layers.forEach((l, i) => {
      const act = batchActivation(l.activation, activations);
      const id = l.activation.rowwise ? l.activation.id : act.id;
      if (id === ActId.custom) {
        // The kernel's table carries ids, not functions: an activation without one cannot run there.
        throw new NeuriteError(
          'UNSUPPORTED',
          `layer ${String(i + 1)}'s activation ${JSON.stringify(l.activation.name)} has no kernel id ` +
            '(ActId); the population forward pass runs built-in activations only: give it an id',
        );
      }
      // Bit `id` (ids past 30, custom ones, share bit 30, which no native version claims).
      acts |= 1 << Math.min(id, 30);
      table.set([l.inputs, l.units, l.weightOffset, l.biasOffset, id, act.param], i * POPULATION_TABLE_STRIDE);
    });
    const scratch = populationScratch(this.chunk, this.rows, layout.inputs, widest, layout.layers.length);
    this.arrays = [
      input,
      b.alloc(this.chunk * layout.length),
      b.alloc(this.chunk * this.stride),
      table,
      b.alloc(scratch.a),
      b.alloc(scratch.b),
    ];
    this.attrs = { rows: this.rows, layers: layout.layers.length, genomeLength: layout.length, widest, acts };
  }

  /**
   * Forward pass of `genomes[start … start + count)` (count ≤ {@link chunk}); returns the output
   * block, genome-major: genome i's outputs (rows × outputs) start at `i · stride`. The block is
   * reused by the next call.
   */
  run(genomes: readonly Float32Array[], start: number, count: number): FloatArray {
    const packed = this.arrays[1] as FloatArray;
    const len = this.layout.length;
    for (let g = 0; g < count; g++) packed.set(genomes[start + g] as Float32Array, g * len);
    this.backend.run(populationForward, count, this.arrays, this.attrs);
    return this.arrays[2] as FloatArray;
  }

  /**
   * Runs every genome, chunk by chunk, and calls `visit` with each genome's outputs (rows × outputs,
   * a view reused by the next chunk) and its index in `genomes`.
   */
  each(genomes: readonly Float32Array[], visit: (outputs: FloatArray, index: number) => void): void {
    for (let start = 0; start < genomes.length; start += this.chunk) {
      const count = Math.min(this.chunk, genomes.length - start);
      const y = this.run(genomes, start, count);
      for (let g = 0; g < count; g++) visit(y.subarray(g * this.stride, (g + 1) * this.stride), start + g);
    }
  }

  /** Releases the backend buffers; the object is unusable afterwards. */
  dispose(): void {
    for (const a of this.arrays) if (a !== this.ownTable) this.backend.free?.(a);
  }
}
