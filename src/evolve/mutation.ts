import { assertNumber } from '../core/errors.js';
import type { Rng } from '../core/rng.js';

/** Mutation settings (all optional in the options of `evolve`). */
export interface MutationOptions {
  /** Probability that a weight receives Gaussian noise (default 0.1). */
  rate?: number;
  /** Standard deviation of that noise (default 0.5). */
  scale?: number;
  /** Probability that a weight is replaced by a fresh draw from N(0, resetScale²) (default 0.01). */
  resetRate?: number;
  /** Standard deviation of a reset weight (default 1). */
  resetScale?: number;
  /** Factor applied to `scale` after every generation: scale_g = scale · anneal^g (default 1: no annealing). */
  anneal?: number;
  /** Lower bound of the annealed scale (default 0). */
  minScale?: number;
}

/** {@link MutationOptions} with every default filled in and checked. */
export type ResolvedMutation = Required<MutationOptions>;

/** Checks mutation options (rates in [0, 1], scales ≥ 0, anneal in (0, 1]) and fills defaults. */
export function resolveMutation(o: MutationOptions = {}): ResolvedMutation {
  const r: ResolvedMutation = {
    rate: o.rate ?? 0.1,
    scale: o.scale ?? 0.5,
    resetRate: o.resetRate ?? 0.01,
    resetScale: o.resetScale ?? 1,
    anneal: o.anneal ?? 1,
    minScale: o.minScale ?? 0,
  };
  assertNumber(r.rate, 'mutation.rate', 0, 1);
  assertNumber(r.resetRate, 'mutation.resetRate', 0, 1);
  assertNumber(r.scale, 'mutation.scale', 0);
  assertNumber(r.resetScale, 'mutation.resetScale', 0);
  assertNumber(r.anneal, 'mutation.anneal', 0, 1, true);
  assertNumber(r.minScale, 'mutation.minScale', 0);
  return r;
}

/** The mutation scale used in generation `g` after annealing. */
export function annealedScale(m: ResolvedMutation, generation: number): number {
  return Math.max(m.minScale, m.scale * m.anneal ** generation);
}

/**
 * Mutates a genome in place and returns how many weights changed. Each weight is, with
 * probability `resetRate`, replaced by N(0, resetScale²); otherwise, with probability `rate`,
 * perturbed by N(0, scale²). One uniform draw decides per weight, so the stream stays aligned.
 *
 * @example
 * ```ts
 * const g = new Float32Array(10);
 * mutate(g, new Rng(3), { rate: 1, scale: 0.1, resetRate: 0 }); // 10
 * ```
 */
export function mutate(
  genome: Float32Array,
  rng: Rng,
  options: { rate: number; scale: number; resetRate?: number; resetScale?: number },
): number {
  const { rate, scale } = options;
  const resetRate = options.resetRate ?? 0;
  const resetScale = options.resetScale ?? 1;
  const perturbBelow = resetRate + (1 - resetRate) * rate;
  let changed = 0;
  for (let i = 0; i < genome.length; i++) {
    const u = rng.next();
    if (u < resetRate) {
      genome[i] = rng.normal(0, resetScale);
      changed++;
    } else if (u < perturbBelow) {
      genome[i] = (genome[i] as number) + rng.normal(0, scale);
      changed++;
    }
  }
  return changed;
}
