import { NeuriteError } from '../../core/index.js';
import { meanStd } from '../moments.js';
import { badModel, readChoice, readNumber, readRecord } from './json-checks.js';

/** How numeric inputs are scaled: `standard` (zero mean, unit variance; the default), `minmax` (training range → [0, 1]) or `none`. */
export type ScaleMethod = 'standard' | 'minmax' | 'none';

/** Every {@link ScaleMethod}, in the order help texts list them. */
export const SCALE_METHODS: readonly ScaleMethod[] = ['standard', 'minmax', 'none'];

/**
 * A fitted scaling of one numeric input: `(value - center) / scale`. Every method is stored in
 * this one form (standard: mean and standard deviation; minmax: minimum and range; none: 0 and 1).
 */
export interface Scale {
  readonly method: ScaleMethod;
  readonly center: number;
  /** Positive; 1 for a column that does not vary in training. */
  readonly scale: number;
}

const FIT: Record<ScaleMethod, (values: Float64Array) => { center: number; scale: number }> = {
  // Population standard deviation, as scikit-learn's StandardScaler.
  standard: (v) => {
    const { mean, std } = meanStd(v);
    return { center: mean, scale: std };
  },
  minmax: (v) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of v) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    return { center: lo, scale: hi > lo ? hi - lo : 1 };
  },
  none: () => ({ center: 0, scale: 1 }),
};

/** Checks a user's `scale` option. */
export function scaleMethod(x: unknown): ScaleMethod {
  if (typeof x === 'string' && (SCALE_METHODS as readonly string[]).includes(x)) return x as ScaleMethod;
  throw new NeuriteError(
    'INVALID_OPTION',
    `scale must be one of ${SCALE_METHODS.join(', ')}, got ${JSON.stringify(x)}`,
  );
}

/** Fits `method` on the training values of one input (at least one value). */
export function fitScale(values: Float64Array, method: ScaleMethod): Scale {
  return { method, ...FIT[method](values) };
}

/** The scaled value. */
export function applyScale(s: Scale, v: number): number {
  return (v - s.center) / s.scale;
}

/** Reads a saved {@link Scale} strictly. */
export function readScale(x: unknown, path: string): Scale {
  const r = readRecord(x, path);
  const scale = readNumber(r['scale'], `${path}.scale`);
  if (!(scale > 0)) throw badModel(`${path}.scale`, `must be positive, got ${String(scale)}`);
  return {
    method: readChoice(r['method'], SCALE_METHODS, `${path}.method`),
    center: readNumber(r['center'], `${path}.center`),
    scale,
  };
}
