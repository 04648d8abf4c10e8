import { NeuriteError, describe } from '../core/errors.js';
import { base64ToFloats, floatsToBase64 } from '../core/base64.js';
import { checkOptions } from '../core/options.js';
import { ACTIVATION_NAMES } from '../nn/activations.js';
import { INITIALIZER_NAMES } from '../nn/initializers.js';
import { LOSS_NAMES, type LossName } from '../nn/losses.js';
import type { OptimizerSpec } from '../optim/optimizer.js';
import type { OptimizerState } from '../optim/state.js';
import type { RngState } from '../core/rng.js';
import { MAX_PARAMETERS, paramLayout, type ParamLayout } from '../nn/param-layout.js';
import type { NeuralNetwork } from './network.js';
import { optimizerStateToJSON, parseOptimizerState, type OptimizerStateJSON } from './optimizer-state.js';
import type { LayerSpec, NetworkOptions } from './options.js';

export { restoreTraining, type OptimizerStateJSON } from './optimizer-state.js';

/** The `format` field of every neurite model file. */
export const MODEL_FORMAT = 'neurite-model';
/**
 * The current model file version; files of other versions are refused with `INVALID_MODEL`. The
 * optional `optimizerState` field extends version 1 without a bump: files without it (all older
 * ones) still load, and older readers that do not know it load the rest.
 */
export const MODEL_VERSION = 1;

/** Options of `NeuralNetwork.toJSON`. */
export interface ToJSONOptions {
  /**
   * Include the training state (`optimizerState`: step count, moment/velocity arrays, schedule
   * position, and the random generator's position for shuffling and dropout), so a network
   * restored by `fromJSON` trains on exactly as this one would, as Keras saves optimizer state by
   * default. Default `true`; `false` writes the architecture, weights and optimizer settings only,
   * a file up to three times smaller (Adam keeps two arrays of the parameter count), and a restored
   * network starts its optimizer afresh and its generator from `seed`.
   */
  optimizerState?: boolean;
}

/** The JSON form of a network (what `toJSON` returns and `fromJSON` accepts). */
export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: number;
  /** Input size. */
  inputs: number;
  layers: LayerSpec[];
  loss: LossName;
  optimizer: OptimizerSpec;
  seed: number;
  /** Every parameter as little-endian float32, base64 (layer by layer, weights then biases). */
  weights: string;
  /** Number of parameters, checked against the architecture and the decoded weights. */
  parameterCount: number;
  /** The training state (optimizer, generator); absent in files written with `{ optimizerState: false }` or by older neurite. */
  optimizerState?: OptimizerStateJSON;
  metadata?: Record<string, unknown>;
}

const bad = (msg: string): NeuriteError => new NeuriteError('INVALID_MODEL', `invalid model: ${msg}`);

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function posInt(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > MAX_PARAMETERS) {
    throw bad(`${what} must be a positive integer, got ${describe(x)}`);
  }
  return x;
}

function layerSpec(x: unknown, i: number): LayerSpec {
  const where = `layers[${String(i)}]`;
  if (!isRecord(x)) throw bad(`${where} must be an object, got ${describe(x)}`);
  const spec: LayerSpec = { units: posInt(x['units'], `${where}.units`) };
  const act = x['activation'];
  if (typeof act !== 'string' || !(ACTIVATION_NAMES as string[]).includes(act)) {
    throw bad(`${where}.activation must be one of ${ACTIVATION_NAMES.join(', ')}, got ${describe(act)}`);
  }
  spec.activation = act as LayerSpec['activation'] & string;
  const init = x['init'];
  if (init !== undefined) {
    if (typeof init !== 'string' || !(INITIALIZER_NAMES as string[]).includes(init))
      throw bad(`${where}.init is not a known initializer: ${describe(init)}`);
    spec.init = init as LayerSpec['init'] & string;
  }
  for (const k of ['alpha', 'dropout'] as const) {
    const v = x[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw bad(`${where}.${k} must be a finite number, got ${describe(v)}`);
    spec[k] = v;
  }
  return spec;
}

// The network's own layout, so the file's count is the one the network will have.
function layoutOf(inputs: number, units: number[]): ParamLayout {
  try {
    return paramLayout(inputs, units);
  } catch (e) {
    if (e instanceof NeuriteError) throw bad(e.message);
    throw e;
  }
}

/**
 * Validates a parsed model file and returns the options that rebuild it plus its weights. Sizes
 * are checked against each other before anything large is allocated.
 */
export function parseModel(obj: unknown): {
  options: NetworkOptions;
  weights: Float32Array;
  metadata: Record<string, unknown>;
  /** The validated optimizer state, when the file has one. */
  optimizerState?: OptimizerState;
  /** The validated generator position (`optimizerState.rng`), when the file has one. */
  rng?: RngState;
} {
  if (!isRecord(obj)) throw bad(`expected an object, got ${describe(obj)}`);
  if (obj['format'] !== MODEL_FORMAT)
    throw bad(`format must be ${JSON.stringify(MODEL_FORMAT)}, got ${describe(obj['format'])}`);
  if (obj['version'] !== MODEL_VERSION) {
    throw bad(
      `version ${describe(obj['version'])} is not supported; this neurite reads version ${String(MODEL_VERSION)}`,
    );
  }
  const inputs = posInt(obj['inputs'], 'inputs');
  const rawLayers = obj['layers'];
  if (!Array.isArray(rawLayers) || rawLayers.length === 0)
    throw bad(`layers must be a non-empty array, got ${describe(rawLayers)}`);
  const layers = rawLayers.map(layerSpec);
  const count = layoutOf(
    inputs,
    layers.map((l) => l.units),
  ).length;
  if (obj['parameterCount'] !== count) {
    throw bad(`parameterCount is ${describe(obj['parameterCount'])} but the layers need ${String(count)}`);
  }
  const w = obj['weights'];
  let weights: Float32Array | undefined;
  if (typeof w === 'string') {
    if (w.length !== 4 * Math.ceil((count * 4) / 3)) {
      throw bad(
        `weights must encode ${String(count)} float32 values in base64, got a string of ${String(w.length)} characters`,
      );
    }
    weights = base64ToFloats(w);
    if (weights === undefined) throw bad('weights is not valid base64');
  } else if (Array.isArray(w)) {
    weights = Float32Array.from(
      w.map((v: unknown, i) => {
        if (typeof v !== 'number') throw bad(`weights[${String(i)}] must be a number, got ${describe(v)}`);
        return v;
      }),
    );
  } else {
    throw bad(`weights must be a base64 string or an array of numbers, got ${describe(w)}`);
  }
  if (weights.length !== count)
    throw bad(`weights holds ${String(weights.length)} values but the layers need ${String(count)}`);
  for (let i = 0; i < weights.length; i++) {
    if (!Number.isFinite(weights[i])) throw bad(`weights[${String(i)}] is ${String(weights[i])}`);
  }
  const loss = obj['loss'];
  if (typeof loss !== 'string' || !(LOSS_NAMES as string[]).includes(loss))
    throw bad(`loss must be one of ${LOSS_NAMES.join(', ')}, got ${describe(loss)}`);
  const seed = obj['seed'];
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw bad(`seed must be a number, got ${describe(seed)}`);
  const optimizer = obj['optimizer'];
  if (!isRecord(optimizer) || typeof optimizer['type'] !== 'string')
    throw bad(`optimizer must be an object with a type, got ${describe(optimizer)}`);
  const metadata = obj['metadata'];
  if (metadata !== undefined && !isRecord(metadata)) throw bad(`metadata must be an object, got ${describe(metadata)}`);
  const spec = optimizer as unknown as OptimizerSpec;
  const rawState = obj['optimizerState'];
  const training = rawState !== undefined ? parseOptimizerState(rawState, spec, count) : undefined;
  return {
    options: { layers: [inputs, ...layers], loss: loss as LossName, seed, optimizer: spec },
    weights,
    metadata: metadata ?? {},
    ...(training !== undefined ? { optimizerState: training.state } : {}),
    ...(training?.rng !== undefined ? { rng: training.rng } : {}),
  };
}

/**
 * The JSON form of a network (see `NeuralNetwork.toJSON`). `options` that are not an object (such
 * as the key `JSON.stringify` passes to `toJSON`) mean the defaults.
 */
export function toModelJSON(net: NeuralNetwork, options?: ToJSONOptions | string): ModelJSON {
  if (typeof options === 'object' || (options !== undefined && typeof options !== 'string')) {
    checkOptions(options, ['optimizerState'], 'toJSON options');
    const keep: unknown = options.optimizerState;
    if (keep !== undefined && typeof keep !== 'boolean')
      throw new NeuriteError('INVALID_OPTION', `toJSON optimizerState must be true or false, got ${describe(keep)}`);
  }
  const json: ModelJSON = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    inputs: net.inputSize,
    layers: net.layers.map((l) => ({ ...l.config })),
    loss: net.loss.name,
    optimizer: { ...net.optimizer.spec },
    seed: net.seed,
    parameterCount: net.parameterCount,
    weights: floatsToBase64(net.engine.params),
  };
  if (typeof options !== 'object' || options === null || options.optimizerState !== false)
    json.optimizerState = optimizerStateToJSON(net.optimizer, net.engine.rng);
  if (Object.keys(net.metadata).length > 0) json.metadata = structuredClone(net.metadata);
  return json;
}
