import { assertInt, assertNumber, assertOneOf } from '../core/errors.js';

/** How far apart two genomes are: mean absolute difference or root-mean-square difference. */
export type DistanceName = 'meanAbs' | 'rms';

/** Speciation settings (pass `false` to `evolve` to turn speciation off). */
export interface SpeciationOptions {
  /** Genomes closer than this to a species' representative join it (default 0.5). */
  threshold?: number;
  /** Distance measure (default `'meanAbs'`). */
  distance?: DistanceName;
  /** When set, the threshold adapts by `thresholdStep` each generation to approach this many species. */
  targetSpecies?: number;
  /** Adaptation step of the threshold (default 0.05). */
  thresholdStep?: number;
}

/** {@link SpeciationOptions} with defaults filled in. */
export type ResolvedSpeciation = Required<Omit<SpeciationOptions, 'targetSpecies'>> & { targetSpecies?: number };

/** Checks speciation options and fills defaults. */
export function resolveSpeciation(o: SpeciationOptions): ResolvedSpeciation {
  const r: ResolvedSpeciation = {
    threshold: o.threshold ?? 0.5,
    distance: o.distance ?? 'meanAbs',
    thresholdStep: o.thresholdStep ?? 0.05,
  };
  assertNumber(r.threshold, 'speciation.threshold', 0, Infinity, true);
  assertNumber(r.thresholdStep, 'speciation.thresholdStep', 0);
  assertOneOf(r.distance, ['meanAbs', 'rms'], 'speciation.distance');
  if (o.targetSpecies !== undefined) {
    assertInt(o.targetSpecies, 'speciation.targetSpecies');
    r.targetSpecies = o.targetSpecies;
  }
  return r;
}

/**
 * Distance between two genomes of equal length.
 *
 * @example
 * ```ts
 * genomeDistance(Float32Array.of(0, 0), Float32Array.of(1, -3)); // 2 (mean |a − b|)
 * ```
 */
export function genomeDistance(a: Float32Array, b: Float32Array, kind: DistanceName = 'meanAbs'): number {
  const n = a.length;
  if (n === 0) return 0;
  let s = 0;
  if (kind === 'rms') {
    for (let i = 0; i < n; i++) {
      const d = (a[i] as number) - (b[i] as number);
      s += d * d;
    }
    return Math.sqrt(s / n);
  }
  for (let i = 0; i < n; i++) s += Math.abs((a[i] as number) - (b[i] as number));
  return s / n;
}

/** A species: an id that persists across generations, its representative and its members. */
export interface Species {
  readonly id: number;
  /** The genome new members are compared with (a copy; the best member of the previous generation). */
  representative: Float32Array;
  /** Indices of members in the current population. */
  members: number[];
}

/**
 * Assigns every genome to the first species whose representative is within `threshold`, founding
 * new species for the rest (the genome becomes their representative). Species left empty vanish.
 * Deterministic: genomes are visited in index order, species in creation order.
 */
export function speciate(
  genomes: readonly Float32Array[],
  previous: readonly Species[],
  threshold: number,
  distance: DistanceName,
  nextId: { value: number },
): Species[] {
  const species: Species[] = previous.map((s) => ({ id: s.id, representative: s.representative, members: [] }));
  genomes.forEach((g, i) => {
    const home = species.find((s) => genomeDistance(g, s.representative, distance) < threshold);
    if (home) home.members.push(i);
    else species.push({ id: nextId.value++, representative: Float32Array.from(g), members: [i] });
  });
  return species.filter((s) => s.members.length > 0);
}

/**
 * Explicit fitness sharing (Goldberg & Richardson 1987, as in NEAT): each genome's fitness is
 * divided by its species' size, so a crowded niche cannot take over the population. Fitness is
 * first shifted so the worst genome scores a small positive value, because dividing a negative
 * fitness by the species size would *reward* crowding.
 */
export function shareFitness(raw: ArrayLike<number>, species: readonly Species[]): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < raw.length; i++) {
    min = Math.min(min, raw[i] as number);
    max = Math.max(max, raw[i] as number);
  }
  const floor = max > min ? (max - min) * 1e-3 : 1;
  const shared = new Float64Array(raw.length);
  for (const s of species) {
    for (const i of s.members) shared[i] = ((raw[i] as number) - min + floor) / s.members.length;
  }
  return shared;
}
