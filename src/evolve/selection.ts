import { NeuriteError, assertInt, assertNumber, assertOneOf } from '../core/errors.js';
import type { Rng } from '../core/rng.js';

/** Selection settings. `size` is the tournament size k; `fraction` the share kept by truncation. */
export interface SelectionOptions {
  /** `'tournament'` (default), `'roulette'` (fitness-proportionate) or `'truncation'`. */
  type: SelectionName;
  /** Tournament size k ≥ 1 (default 3); larger k means stronger selection pressure. */
  size?: number;
  /** Truncation: the best fraction of the pool that may become parents, in (0, 1] (default 0.5). */
  fraction?: number;
}

/** Draws one parent: returns an index into the population. */
export type Selector = (rng: Rng) => number;

/**
 * A selection scheme: given fitness values (higher is better) and the candidate indices `pool`,
 * prepares a {@link Selector}. Preparation does the sorting or summing once per generation.
 */
export type SelectionFactory = (
  fitness: ArrayLike<number>,
  pool: readonly number[],
  options: SelectionOptions,
) => Selector;

/** k uniform picks from the pool; the fittest wins (ties: the first drawn). */
const tournament: SelectionFactory = (fitness, pool, o) => {
  const k = o.size ?? 3;
  return (rng) => {
    let best = pool[rng.int(pool.length)] as number;
    for (let i = 1; i < k; i++) {
      const c = pool[rng.int(pool.length)] as number;
      if ((fitness[c] as number) > (fitness[best] as number)) best = c;
    }
    return best;
  };
};

/**
 * Fitness-proportionate (roulette wheel). Fitness is shifted so the worst of the pool has weight
 * 0 (plus a small floor, so everyone keeps a chance), since raw fitness may be negative.
 */
const roulette: SelectionFactory = (fitness, pool) => {
  let min = Infinity;
  let max = -Infinity;
  for (const i of pool) {
    min = Math.min(min, fitness[i] as number);
    max = Math.max(max, fitness[i] as number);
  }
  const floor = max > min ? (max - min) * 1e-3 : 1;
  const cumulative = new Float64Array(pool.length);
  let total = 0;
  pool.forEach((i, p) => (cumulative[p] = total += (fitness[i] as number) - min + floor));
  return (rng) => {
    const r = rng.next() * total;
    let lo = 0;
    let hi = pool.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return pool[lo] as number;
  };
};

/** Uniform among the best `fraction` of the pool (stable sort: ties keep population order). */
const truncation: SelectionFactory = (fitness, pool, o) => {
  const sorted = [...pool].sort((x, y) => (fitness[y] as number) - (fitness[x] as number));
  const keep = Math.max(1, Math.ceil(sorted.length * (o.fraction ?? 0.5)));
  return (rng) => sorted[rng.int(keep)] as number;
};

/** The selection table; adding a scheme is one entry here. */
export const SELECTIONS = { tournament, roulette, truncation } as const satisfies Record<string, SelectionFactory>;

/** Names of the built-in selection schemes. */
export type SelectionName = keyof typeof SELECTIONS;

/** Every selection name, in table order. */
export const SELECTION_NAMES = Object.keys(SELECTIONS) as SelectionName[];

/** Checks selection options and fills the defaults. */
export function resolveSelection(o: SelectionOptions | SelectionName | undefined): SelectionOptions {
  const r: SelectionOptions = typeof o === 'string' ? { type: o } : { type: 'tournament', ...(o ?? {}) };
  assertOneOf(r.type, SELECTION_NAMES, 'selection type');
  if (r.size !== undefined) assertInt(r.size, 'selection.size (tournament k)');
  if (r.fraction !== undefined) assertNumber(r.fraction, 'selection.fraction', 0, 1, true);
  return r;
}

/**
 * Prepares a parent selector over `pool` (default: every index of `fitness`).
 *
 * @example
 * ```ts
 * const pick = selector({ type: 'tournament', size: 3 }, [0.1, 0.9, 0.5]);
 * pick(new Rng(1)); // an index, most often 1
 * ```
 */
export function selector(
  options: SelectionOptions | SelectionName,
  fitness: ArrayLike<number>,
  pool?: readonly number[],
): Selector {
  const o = resolveSelection(options);
  const p = pool ?? Array.from({ length: fitness.length }, (_, i) => i);
  if (p.length === 0) throw new NeuriteError('EMPTY_DATA', 'selection needs at least one candidate');
  return SELECTIONS[o.type](fitness, p, o);
}
