import { NeuriteError, assertInt, describe } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import type { BackendChoice } from '../backend/registry.js';
import type { ActivationName } from '../nn/activations.js';
import type { DenseConfig } from '../nn/dense.js';
import type { InitializerName } from '../nn/initializers.js';
import type { LossName } from '../nn/losses.js';
import type { OptimizerName, OptimizerSpec } from '../optim/optimizer.js';

/** One layer after the inputs, in the full form; every field but `units` is optional. */
export interface LayerSpec {
  units: number;
  activation?: ActivationName;
  /** leakyRelu slope (default 0.01) or elu scale (default 1). */
  alpha?: number;
  init?: InitializerName;
  /** Dropout rate applied to this layer's outputs while training (not allowed on the output layer). */
  dropout?: number;
}

/** Options of `new NeuralNetwork(…)`. */
export interface NetworkOptions {
  /** `[inputs, hidden…, outputs]`: the first entry is the input size; others are unit counts or {@link LayerSpec}s. */
  layers: readonly (number | LayerSpec)[];
  /** Activation of layers that don't name one (default `'sigmoid'`, as in the seed posts and brain.js). */
  activation?: ActivationName;
  /** Activation of the output layer when it doesn't name one (default: `activation`). */
  outputActivation?: ActivationName;
  /** Default initialiser (default: He for the ReLU family, Glorot otherwise). */
  initializer?: InitializerName;
  /** Learning rate of the default optimizer used by `train` and `fit` (default 0.1). */
  learningRate?: number;
  /** Optimizer used by `train` and, unless `fit` names another, by `fit` (default plain SGD). */
  optimizer?: OptimizerName | OptimizerSpec;
  /** Loss used by `train`, and by `fit`/`evaluate` unless they name another (default `'mse'`). */
  loss?: LossName;
  /** Seed of the one generator behind every random choice (default: drawn at random and kept in `seed`). */
  seed?: number;
  /** Compute backend: `'auto'` (default; WebAssembly SIMD when available), `'js'`, `'wasm'` or an instance. */
  backend?: BackendChoice;
}

/** Every key {@link NetworkOptions} accepts. */
const NETWORK_KEYS = [
  'layers',
  'activation',
  'outputActivation',
  'initializer',
  'learningRate',
  'optimizer',
  'loss',
  'seed',
  'backend',
] as const satisfies readonly (keyof NetworkOptions)[];
const LAYER_KEYS = ['units', 'activation', 'alpha', 'init', 'dropout'] as const satisfies readonly (keyof LayerSpec)[];
// Keras and brain.js words a newcomer may reach for.
const HINTS = { lr: 'learningRate', hiddenLayers: 'layers', init: 'initializer', kernelInitializer: 'initializer' };
const LAYER_HINTS = {
  initializer: 'init',
  kernelInitializer: 'init',
  rate: 'dropout',
  size: 'units',
  neurons: 'units',
};

/**
 * Checks the constructor's options as plain JavaScript may pass them: unknown keys (with the
 * closest valid one), names that are not strings, a backend instance that is not one.
 */
export function checkNetworkOptions(o: unknown): asserts o is NetworkOptions {
  checkOptions(o, NETWORK_KEYS, 'NeuralNetwork options', HINTS);
  const opts = o as Record<string, unknown>;
  for (const k of ['activation', 'outputActivation', 'initializer', 'loss'] as const) {
    const v = opts[k];
    if (v !== undefined && typeof v !== 'string') {
      throw new NeuriteError('INVALID_OPTION', `${k} must be a name (a string), got ${describe(v)}`);
    }
  }
  const seed = opts['seed'];
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) {
    throw new NeuriteError('INVALID_OPTION', `seed must be a finite number, got ${describe(seed)}`);
  }
  const b = opts['backend'];
  if (b !== undefined && typeof b !== 'string') {
    const alloc = typeof b === 'object' && b !== null ? (b as { alloc?: unknown }).alloc : undefined;
    if (typeof alloc !== 'function') {
      throw new NeuriteError(
        'INVALID_OPTION',
        `backend must be 'auto', 'js', 'wasm' or a backend instance, got ${describe(b)}`,
      );
    }
  }
}

/** Turns the `layers` option into the input size and one {@link DenseConfig} per layer. */
export function resolveLayers(o: NetworkOptions): { inputs: number; configs: DenseConfig[] } {
  const layers = o.layers as unknown;
  if (!Array.isArray(layers) || layers.length < 2) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `layers must list the input size and at least one layer, e.g. [3, 2, 1]; got ${
        Array.isArray(layers) ? `${String(layers.length)} entr${layers.length === 1 ? 'y' : 'ies'}` : typeof layers
      }`,
    );
  }
  const [first, ...rest] = layers as unknown[];
  assertInt(first, 'layers[0] (the input size)');
  const fallback = o.activation ?? 'sigmoid';
  const configs = rest.map((spec, i): DenseConfig => {
    const where = `layers[${String(i + 1)}]`;
    const isLast = i === rest.length - 1;
    const defaultAct = isLast ? (o.outputActivation ?? fallback) : fallback;
    if (typeof spec === 'number') {
      assertInt(spec, `${where} (units)`);
      const c: DenseConfig = { units: spec, activation: defaultAct };
      if (o.initializer !== undefined) c.init = o.initializer;
      return c;
    }
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `${where} must be a unit count or { units, activation? }, got ${describe(spec)}`,
      );
    }
    checkOptions(spec, LAYER_KEYS, where, LAYER_HINTS);
    const s = spec as LayerSpec;
    for (const k of ['activation', 'init'] as const) {
      if (s[k] !== undefined && typeof s[k] !== 'string')
        throw new NeuriteError('INVALID_OPTION', `${where}.${k} must be a name (a string), got ${describe(s[k])}`);
    }
    assertInt(s.units, `${where}.units`);
    if (isLast && s.dropout !== undefined && s.dropout > 0) {
      throw new NeuriteError('INVALID_OPTION', `${where}: dropout is not allowed on the output layer`);
    }
    const c: DenseConfig = { units: s.units, activation: s.activation ?? defaultAct };
    if (s.alpha !== undefined) c.alpha = s.alpha;
    const init = s.init ?? o.initializer;
    if (init !== undefined) c.init = init;
    if (s.dropout !== undefined) c.dropout = s.dropout;
    return c;
  });
  return { inputs: first, configs };
}
