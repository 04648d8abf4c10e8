import { NeuriteError } from '../core/errors.js';
import type { FloatArray } from '../core/matrix.js';
import type { Rng } from '../core/rng.js';
import type { ActivationName } from './activations.js';

/** Names of the built-in weight initialisers. */
export type InitializerName = 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'normal' | 'zeros';

type Init = (w: FloatArray, fanIn: number, fanOut: number, rng: Rng) => void;

const uniform =
  (limit: number): Init =>
  (w, _i, _o, rng) => {
    for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-limit, limit);
  };
const normal =
  (std: number): Init =>
  (w, _i, _o, rng) => {
    for (let i = 0; i < w.length; i++) w[i] = rng.normal(0, std);
  };

const TABLE: Record<InitializerName, Init> = {
  // Glorot & Bengio 2010.
  glorotUniform: (w, i, o, r) => uniform(Math.sqrt(6 / (i + o)))(w, i, o, r),
  glorotNormal: (w, i, o, r) => normal(Math.sqrt(2 / (i + o)))(w, i, o, r),
  // He et al. 2015: keeps ReLU activations' variance from shrinking layer by layer.
  heUniform: (w, i, o, r) => uniform(Math.sqrt(6 / i))(w, i, o, r),
  heNormal: (w, i, o, r) => normal(Math.sqrt(2 / i))(w, i, o, r),
  // Seed 002: np.random.normal(0, units ** -0.5).
  normal: (w, i, o, r) => normal(1 / Math.sqrt(o))(w, i, o, r),
  zeros: (w) => w.fill(0),
};

/** Every built-in initialiser name. */
export const INITIALIZER_NAMES = Object.keys(TABLE) as InitializerName[];

/** He initialisation for the ReLU family, Glorot otherwise (Keras' default is Glorot everywhere). */
export function defaultInitializer(activation: ActivationName): InitializerName {
  return activation === 'relu' || activation === 'leakyRelu' || activation === 'elu' || activation === 'gelu'
    ? 'heUniform'
    : 'glorotUniform';
}

/**
 * Fills a layer's weight matrix (`fanOut` rows of `fanIn`) in place.
 *
 * @example
 * ```ts
 * initialize('heNormal', layer.weights, layer.inputs, layer.units, new Rng(1));
 * ```
 */
export function initialize(name: string, w: FloatArray, fanIn: number, fanOut: number, rng: Rng): void {
  const f = Object.hasOwn(TABLE, name) ? (TABLE as Record<string, Init | undefined>)[name] : undefined;
  if (f === undefined) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `unknown initializer ${JSON.stringify(name)}; expected one of: ${INITIALIZER_NAMES.join(', ')}`,
    );
  }
  f(w, fanIn, fanOut, rng);
}
