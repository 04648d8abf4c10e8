import type { FloatArray } from '../../core/matrix.js';
import { ActId, type ActKernel, type Kernel } from '../types.js';
import { actForward, softmaxRows } from './activations.js';
import { dot, dot2 } from './gemm.js';

/** Floats per layer in a {@link populationForward} table. */
export const POPULATION_TABLE_STRIDE = 6;

/**
 * Scalars of a {@link populationForward} call. `acts` is a bit set of the activation ids in the
 * table (bit `id`), so a native version can decline a call with an activation it lacks.
 */
export type PopulationAttrs = {
  rows: number;
  layers: number;
  genomeLength: number;
  /** Units of the widest layer. */
  widest: number;
  acts: number;
};

/**
 * Floats the two scratch arrays of a {@link populationForward} call over up to `count` genomes of a
 * network of `layers` layers must hold. The reference keeps a hidden layer's outputs for the whole
 * chunk (genome-major) in `a`, and the next hidden layer's in `b` (so `b` is empty for one hidden
 * layer: nothing to allocate and zero per call); a native version may keep the inputs and two
 * hidden layers feature-major in `a`, blocks padded to four rows.
 */
export function populationScratch(
  count: number,
  rows: number,
  inputs: number,
  widest: number,
  layers: number,
): { a: number; b: number } {
  const padded = (rows + 3) & ~3;
  const block = count * rows * widest;
  return { a: Math.max(block, (inputs + 2 * widest) * padded), b: layers > 2 ? block : 0 };
}

// The activation as `actForward` takes it: the table carries ids, and every built-in id runs in
// actForward's own loops, so `f`/`df` are never called (a caller refuses ActId.custom layers).
function kernelFor(id: number, param: number): ActKernel {
  return { id, param, f: () => NaN, df: () => NaN };
}

/**
 * The forward pass of a population of one fixed-topology network: n genomes (flat parameter
 * vectors, `genomeLength` floats each, packed one after another) over the same input rows.
 *
 * arrays: `x` (rows × inputs, row-major), `genomes`, `out` (n × rows × outputs, genome-major),
 * `table` ({@link POPULATION_TABLE_STRIDE} floats per layer: inputs, units, weight offset, bias
 * offset, activation id, activation param; offsets within a genome, weights row-major [units][inputs]
 * as `getWeights()` lays them out), `scratchA`, `scratchB` (see {@link populationScratch}).
 *
 * Each layer is the {@link populationAffine} kernel, run through the backend running this one (so
 * its bit-identical native version runs where there is one): each neuron `bias + dot(x, w)` with
 * the reference backend's `dot` (its summation order), rounded to the output array's precision;
 * then the layer's activation over the whole block by the reference `actForward`: so
 * every genome's outputs are bit-identical to the reference backend's per-network `affine` +
 * `actForward`/`softmaxRows` path. This is the population fast path's one definition; a backend
 * may run its own version (the wasm build does, four rows per f32x4 for linear, relu and the fast
 * tanh/sigmoid).
 */
export const populationForward: Kernel<PopulationAttrs> = {
  name: 'populationForward',
  arrays: ['x', 'genomes', 'out', 'table', 'scratchA', 'scratchB'],
  reference(n, list, { rows, layers, genomeLength }, backend) {
    const x = list[0] as FloatArray;
    const genomes = list[1] as FloatArray;
    const table = list[3] as FloatArray;
    let src = x;
    let shared = true;
    for (let l = 0; l < layers; l++) {
      const t = l * POPULATION_TABLE_STRIDE;
      // `| 0`: a float array element is a double to V8; small integers keep the index arithmetic
      // in int registers (without it the kernel ran at half speed).
      const k = (table[t] as number) | 0;
      const units = (table[t + 1] as number) | 0;
      const id = (table[t + 4] as number) | 0;
      const dst = list[l === layers - 1 ? 2 : 4 + (l & 1)] as FloatArray;
      // Through the backend: its native affine (bit-identical) runs where it has one, e.g. wasm for
      // 'exact' layers, whose activations it cannot run bit-identically (Math.tanh is the definition).
      backend.run(populationAffine, n, [src, genomes, dst], {
        rows,
        genomeLength,
        k,
        units,
        weightOffset: (table[t + 2] as number) | 0,
        biasOffset: (table[t + 3] as number) | 0,
        srcStride: shared ? 0 : rows * k,
      });
      if (id === ActId.softmax) softmaxRows(n * rows, units, dst, dst);
      else actForward(kernelFor(id, table[t + 5] as number), n * rows * units, dst, dst);
      src = dst;
      shared = false;
    }
  },
};

/** Scalars of a {@link populationAffine} call. */
export type PopulationAffineAttrs = {
  rows: number;
  genomeLength: number;
  /** Inputs of the layer. */
  k: number;
  units: number;
  /** Offsets of the layer's weights ([units][k], row-major) and biases within a genome. */
  weightOffset: number;
  biasOffset: number;
  /** Floats between consecutive genomes' rows in `src` (0: one input batch shared by all). */
  srcStride: number;
};

/**
 * One layer of {@link populationForward} for n genomes: arrays `src` (genome g's rows × k start at
 * `g · srcStride`), `genomes`, `dst` (n × rows × units, genome-major); dst[g][r][j] = bias_j +
 * dot(src_r, w_j) with the reference backend's `dot`. A native version must be bit-identical
 * (float64 sums in `dot`'s order are exact to reproduce), since `'exact'` outputs are.
 */
export const populationAffine: Kernel<PopulationAffineAttrs> = {
  name: 'populationAffine',
  arrays: ['src', 'genomes', 'dst'],
  reference(n, list, a) {
    const genomes = list[1] as FloatArray;
    affineLayer(
      n,
      a.rows,
      a.genomeLength,
      genomes,
      a.k,
      a.units,
      a.weightOffset,
      a.biasOffset,
      list[0] as FloatArray,
      a.srcStride,
      list[2] as FloatArray,
    );
  },
};

/**
 * dst[g][r][j] = bias_j + dot(src_r, w_j) for genomes [0, n) of one layer: genome g's rows start
 * at `g · srcStride` in `src` (0: the shared input batch; rows · k: the previous layer's block). A
 * function of its own, with running offsets: measured ~10% faster than the same loops inline in
 * the layer loop.
 */
function affineLayer(
  n: number,
  rows: number,
  genomeLength: number,
  genomes: FloatArray,
  k: number,
  units: number,
  wo: number,
  bo: number,
  src: FloatArray,
  srcStride: number,
  dst: FloatArray,
): void {
  for (let g = 0; g < n; g++) {
    const go = g * genomeLength;
    const xg = g * srcStride;
    const zg = g * rows * units;
    // Neuron j outside the rows: its bias and weight offset are read once per neuron.
    for (let j = 0; j < units; j++) {
      const b = genomes[go + bo + j] as number;
      const w = go + wo + j * k;
      let xo = xg;
      let zo = zg + j;
      let r = 0;
      // `dot2`/`dot`: the reference backend's own summation order, so sums are bit-identical to
      // `affine`; two rows at a time share the weights' loads.
      for (; r + 1 < rows; r += 2) {
        dot2(src, xo, genomes, w, k, b, dst, zo, units);
        xo += 2 * k;
        zo += 2 * units;
      }
      if (r < rows) dst[zo] = b + dot(src, xo, genomes, w, k);
    }
  }
}
