import { NeuriteError, describe } from '../core/errors.js';
import { elu, eluGrad, gelu, geluGrad, sigmoid, softplus } from '../backend/js/activations.js';
import { ActId, type ActKernel } from '../backend/types.js';

/** Names of the built-in activations (the registry key, the JSON name and the CLI value). */
export type ActivationName =
  'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'elu' | 'softplus' | 'gelu' | 'softmax';

/**
 * An activation: a kernel record (`f`, `df(x, y)`, optional native `id`) plus its name.
 * `rowwise` activations (softmax) couple a row's outputs and are run by `softmaxRows`.
 */
export interface Activation extends ActKernel {
  readonly name: ActivationName;
  readonly rowwise: boolean;
}

interface Entry {
  /** The backends' native id; without one (ActId.custom) every backend runs the scalar f/df. */
  id?: number;
  /** Default for `param` (alpha); undefined when the activation has none. */
  defaultParam?: number;
  f(x: number, a: number): number;
  df(x: number, y: number, a: number): number;
}

const TABLE: Record<ActivationName, Entry> = {
  linear: { id: ActId.linear, f: (x) => x, df: () => 1 },
  sigmoid: { id: ActId.sigmoid, f: sigmoid, df: (_x, y) => y * (1 - y) },
  tanh: { id: ActId.tanh, f: Math.tanh, df: (_x, y) => 1 - y * y },
  // Written as x < 0 so NaN passes through (Math.max would too; x > 0 ? x : 0 would hide it).
  relu: { id: ActId.relu, f: (x) => (x < 0 ? 0 : x), df: (x) => (x > 0 ? 1 : 0) },
  // PyTorch's and brain.js's default slope; Keras uses 0.3, tfjs 0.2.
  leakyRelu: {
    id: ActId.leakyRelu,
    defaultParam: 0.01,
    f: (x, a) => (x < 0 ? a * x : x),
    df: (x, _y, a) => (x < 0 ? a : 1),
  },
  elu: { id: ActId.elu, defaultParam: 1, f: elu, df: eluGrad },
  softplus: { id: ActId.softplus, f: softplus, df: sigmoid },
  gelu: { id: ActId.gelu, f: gelu, df: geluGrad },
  // Elementwise f/df are never used for softmax; the layer calls softmaxRows/softmaxBackward.
  softmax: { id: ActId.softmax, f: Math.exp, df: () => NaN },
};

/** Every built-in activation name, in a stable order. */
export const ACTIVATION_NAMES = Object.keys(TABLE) as ActivationName[];

/** True when `name` takes a parameter (`alpha`). */
export function activationHasParam(name: ActivationName): boolean {
  return TABLE[name].defaultParam !== undefined;
}

/**
 * Builds the activation record for `name`; `alpha` sets leakyRelu's slope or elu's scale.
 *
 * @example
 * ```ts
 * getActivation('leakyRelu', 0.2).f(-1); // -0.2
 * ```
 */
export function getActivation(name: string, alpha?: number): Activation {
  // hasOwn, so names such as 'toString' are refused instead of reaching Object.prototype.
  const e = Object.hasOwn(TABLE, name) ? (TABLE as Record<string, Entry | undefined>)[name] : undefined;
  if (e === undefined) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `unknown activation ${JSON.stringify(name)}; expected one of: ${ACTIVATION_NAMES.join(', ')}`,
    );
  }
  if (alpha !== undefined && !Number.isFinite(alpha)) {
    throw new NeuriteError('INVALID_OPTION', `activation alpha must be a finite number, got ${describe(alpha)}`);
  }
  const a = alpha ?? e.defaultParam ?? 0;
  return {
    name: name as ActivationName,
    id: e.id ?? ActId.custom,
    param: a,
    rowwise: e.id === ActId.softmax,
    f: (x) => e.f(x, a),
    df: (x, y) => e.df(x, y, a),
  };
}
