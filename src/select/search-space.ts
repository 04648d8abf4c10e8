import { NeuriteError, Rng, describe } from '../core/index.js';

/** A hyper-parameter's value: a number (rate, size) or a name (activation). */
export type ParamValue = number | string;

/** One set of hyper-parameters, by name. */
export type Params = Readonly<Record<string, ParamValue>>;

/**
 * Where a hyper-parameter is drawn from: a list of choices (drawn uniformly), or a numeric range
 * drawn uniformly (or log-uniformly with `log: true`, as scikit-learn's `loguniform`), rounded to
 * an integer with `integer: true`.
 */
export type ParamSpec =
  | readonly ParamValue[]
  | { readonly min: number; readonly max: number; readonly log?: boolean; readonly integer?: boolean };

/** The search space: a spec per hyper-parameter. */
export type SearchSpace = Readonly<Record<string, ParamSpec>>;

/** Throws `INVALID_OPTION` naming the first spec that is not a non-empty list or a valid range. */
export function checkSpace(space: SearchSpace): void {
  if (typeof space !== 'object' || space === null)
    throw new NeuriteError('INVALID_OPTION', `space must be an object of parameter specs, got ${describe(space)}`);
  for (const [name, spec] of Object.entries(space)) {
    if (Array.isArray(spec)) {
      const list = spec as readonly unknown[];
      if (
        list.length === 0 ||
        !list.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
      )
        throw new NeuriteError(
          'INVALID_OPTION',
          `space.${name} must list at least one number or name, got ${describe(spec)}`,
        );
      continue;
    }
    const r = spec as { min?: unknown; max?: unknown; log?: unknown };
    const ok =
      typeof r.min === 'number' &&
      typeof r.max === 'number' &&
      Number.isFinite(r.min) &&
      Number.isFinite(r.max) &&
      r.min <= r.max;
    if (!ok || (r.log === true && (r.min as number) <= 0)) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `space.${name} must be a list of choices or { min, max } with min <= max (and min > 0 when log), got ${describe(spec)}`,
      );
    }
  }
}

/** Rounds to 3 significant digits, so drawn rates print as 0.00123 rather than 0.0012345678. */
function round3(v: number): number {
  return v === 0 ? 0 : Number(v.toPrecision(3));
}

/**
 * Draws one value per hyper-parameter of `space` from `rng`, in the order the space lists them
 * (so the same seed and space give the same draws). An invalid space throws `INVALID_OPTION`.
 *
 * @example
 * ```ts
 * sampleParams({ learningRate: { min: 1e-4, max: 1e-1, log: true }, activation: ['relu', 'tanh'] }, new Rng(1));
 * // { learningRate: 0.00317, activation: 'tanh' } (for example)
 * ```
 */
export function sampleParams(space: SearchSpace, rng: Rng): Params {
  checkSpace(space);
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(space)) {
    if (Array.isArray(spec)) {
      const list = spec as readonly ParamValue[];
      out[name] = list[rng.int(list.length)] as ParamValue;
      continue;
    }
    const { min, max, log = false, integer = false } = spec as Exclude<ParamSpec, readonly ParamValue[]>;
    const u = rng.next();
    const v = log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
    out[name] = integer ? Math.min(max, Math.max(min, Math.round(v))) : round3(v);
  }
  return out;
}
