import { NeuriteError } from '../core/errors.js';
import { LossId, type LossKernel } from '../backend/types.js';

/** Names of the built-in losses. */
export type LossName = 'mse' | 'ssr' | 'mae' | 'huber' | 'binaryCrossEntropy' | 'categoricalCrossEntropy';

/**
 * A loss: an elementwise term `f(p, t)` with derivative `df`, and how the batch total is
 * normalised (`'all'`: mean over outputs and samples, `'samples'`: sum over outputs then mean over
 * samples, `'none'`: plain sum). `fusedWith` names the output activation whose combined gradient is
 * simply p − t (times the normalisation), which is both cheaper and numerically stable.
 */
export interface Loss extends LossKernel {
  readonly name: LossName;
  readonly reduction: 'all' | 'samples' | 'none';
  readonly fusedWith?: 'softmax' | 'sigmoid';
}

// Keras' fuzz factor: probabilities are clipped to [EPS, 1 − EPS] inside logs.
const EPS = 1e-7;
const clampP = (p: number): number => (p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p);
const HUBER_DELTA = 1;

const TABLE: Record<LossName, Omit<Loss, 'name'>> = {
  mse: { id: LossId.mse, reduction: 'all', f: (p, t) => (p - t) * (p - t), df: (p, t) => 2 * (p - t) },
  // Sum of squared residuals (seed 001): the same term, not averaged.
  ssr: { id: LossId.ssr, reduction: 'none', f: (p, t) => (p - t) * (p - t), df: (p, t) => 2 * (p - t) },
  mae: { id: LossId.mae, reduction: 'all', f: (p, t) => Math.abs(p - t), df: (p, t) => Math.sign(p - t) },
  huber: {
    id: LossId.huber,
    reduction: 'all',
    f: (p, t) => {
      const a = Math.abs(p - t);
      return a <= HUBER_DELTA ? 0.5 * a * a : HUBER_DELTA * (a - 0.5 * HUBER_DELTA);
    },
    df: (p, t) => {
      const d = p - t;
      return d > HUBER_DELTA ? HUBER_DELTA : d < -HUBER_DELTA ? -HUBER_DELTA : d;
    },
  },
  binaryCrossEntropy: {
    id: LossId.binaryCrossEntropy,
    reduction: 'all',
    fusedWith: 'sigmoid',
    f: (p, t) => {
      const q = clampP(p);
      return -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
    },
    df: (p, t) => {
      const q = clampP(p);
      return (q - t) / (q * (1 - q));
    },
  },
  categoricalCrossEntropy: {
    id: LossId.categoricalCrossEntropy,
    reduction: 'samples',
    fusedWith: 'softmax',
    f: (p, t) => (t === 0 ? 0 : -t * Math.log(clampP(p))),
    df: (p, t) => -t / clampP(p),
  },
};

/** Every built-in loss name, in a stable order. */
export const LOSS_NAMES = Object.keys(TABLE) as LossName[];

/**
 * Looks up a loss by name.
 *
 * @example
 * ```ts
 * getLoss('ssr').f(0.5, 1); // 0.25
 * ```
 */
export function getLoss(name: string): Loss {
  const e = Object.hasOwn(TABLE, name) ? (TABLE as Record<string, Omit<Loss, 'name'> | undefined>)[name] : undefined;
  if (e === undefined) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `unknown loss ${JSON.stringify(name)}; expected one of: ${LOSS_NAMES.join(', ')}`,
    );
  }
  return { name: name as LossName, ...e };
}

/**
 * The loss's kernel id when `loss` is the built-in record its name says (its own `f` and `df`),
 * else `LossId.custom`: code that writes a loss out by id (the wasm per-sample step) trusts it then only.
 */
export function builtinLossId(loss: Loss): number {
  const e = Object.hasOwn(TABLE, loss.name) ? TABLE[loss.name] : undefined;
  return e !== undefined && e.f === loss.f && e.df === loss.df && e.id === loss.id ? loss.id : LossId.custom;
}

/** The factor applied to Σ f over an m×n batch so the value matches the loss's reduction. */
export function lossScale(loss: Loss, m: number, n: number): number {
  return loss.reduction === 'all' ? 1 / (m * n) : loss.reduction === 'samples' ? 1 / m : 1;
}
