import { NeuriteError, assertOneOf } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { assertGenomeLength, type GenomeLayout } from './layout.js';

/**
 * A crossover operator: writes a child of parents `a` and `b` (same length) into `child`. Pure
 * apart from drawing from `rng`; `layout` is given for operators that respect neuron boundaries.
 */
export type CrossoverFn = (
  a: Float32Array,
  b: Float32Array,
  child: Float32Array,
  rng: Rng,
  layout: GenomeLayout | undefined,
) => void;

/** Each gene from either parent with probability ½. */
const uniform: CrossoverFn = (a, b, child, rng) => {
  for (let i = 0; i < child.length; i++) child[i] = rng.next() < 0.5 ? (a[i] as number) : (b[i] as number);
};

/** Genes before a random cut from `a`, the rest from `b`. */
const onePoint: CrossoverFn = (a, b, child, rng) => {
  const cut = rng.int(child.length + 1);
  child.set(a.subarray(0, cut));
  child.set(b.subarray(cut), cut);
};

/** Genes between two random cuts from `b`, the rest from `a`. */
const twoPoint: CrossoverFn = (a, b, child, rng) => {
  let p = rng.int(child.length + 1);
  let q = rng.int(child.length + 1);
  if (p > q) [p, q] = [q, p];
  child.set(a);
  child.set(b.subarray(p, q), p);
};

/**
 * Per-neuron crossover: each neuron (its row of incoming weights and its bias) comes whole from
 * one parent, so units that work together are not torn apart.
 */
const neuron: CrossoverFn = (a, b, child, rng, layout) => {
  if (layout === undefined) {
    throw new NeuriteError('INVALID_OPTION', `'neuron' crossover needs the genome layout of the network`);
  }
  for (const l of layout.layers) {
    for (let j = 0; j < l.units; j++) {
      const src = rng.next() < 0.5 ? a : b;
      const w = l.weightOffset + j * l.inputs;
      child.set(src.subarray(w, w + l.inputs), w);
      child[l.biasOffset + j] = src[l.biasOffset + j] as number;
    }
  }
};

/** The crossover table; adding an operator is one entry here (and its name in {@link CrossoverName}). */
export const CROSSOVERS = { uniform, onePoint, twoPoint, neuron } as const satisfies Record<string, CrossoverFn>;

/** Names of the built-in crossover operators. */
export type CrossoverName = keyof typeof CROSSOVERS;

/** Every crossover name, in table order. */
export const CROSSOVER_NAMES = Object.keys(CROSSOVERS) as CrossoverName[];

/**
 * Crosses two genomes with the named operator and returns the child (a new array unless `out` is
 * given). Parents of different lengths fail with `SHAPE_MISMATCH`.
 *
 * @example
 * ```ts
 * const child = crossover('twoPoint', mum, dad, new Rng(1));
 * child.length === mum.length; // true
 * ```
 */
export function crossover(
  name: CrossoverName,
  a: Float32Array,
  b: Float32Array,
  rng: Rng,
  layout?: GenomeLayout,
  out?: Float32Array,
): Float32Array {
  assertOneOf(name, CROSSOVER_NAMES, 'crossover type');
  const length = layout?.length ?? a.length;
  assertGenomeLength(length, a, b);
  const child = out ?? new Float32Array(length);
  assertGenomeLength(length, child);
  CROSSOVERS[name](a, b, child, rng, layout);
  return child;
}
