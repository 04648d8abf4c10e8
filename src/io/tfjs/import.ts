// Reads a TensorFlow.js layers model (model.json + weight files) into a NeuralNetwork: chains of
// InputLayer, Dense, activation layers, LeakyReLU/ReLU/ELU/Softmax, Dropout (a no-op when
// predicting) and Flatten, as tfjs saves them and as tensorflowjs_converter writes Keras 2 and 3
// models. Anything else is UNSUPPORTED, naming the layer and its position.
import { NeuriteError, describe } from '../../core/errors.js';
import type { ActivationName } from '../../nn/activations.js';
import type { NeuralNetwork } from '../../model/network.js';
import { networkWithSettings, type StackSettings } from '../saved-settings.js';
import { neuriteActivation } from './activations.js';
import { invalid, isRecord, layerLabel, readTopology, type TopologyLayer } from './topology.js';
import { decodeWeights, type DecodedWeight, type TfjsWeightFiles } from './weights.js';

/** A layer being assembled: its Dense part, then the activation layers that follow it. */
interface Pending {
  inputs: number;
  units: number;
  weights: Float32Array;
  biases: Float32Array;
  activation: ActivationName;
  alpha?: number;
  label: string;
}

/** The input width a layer or model declares, if any (`[null, n]`, `[null, a, b]` → a·b when flattened). */
function declaredShape(l: TopologyLayer): number[] | undefined {
  const c = l.config;
  const raw = c['batch_input_shape'] ?? c['batch_shape'] ?? c['batchInputShape'] ?? l.buildConfig?.['input_shape'];
  if (Array.isArray(raw)) return shapeDims(raw.slice(1), layerLabel(l));
  const dim = c['input_dim'] ?? c['inputDim'];
  if (typeof dim === 'number') return shapeDims([dim], layerLabel(l));
  const shape = c['input_shape'] ?? c['inputShape'];
  return Array.isArray(shape) ? shapeDims(shape, layerLabel(l)) : undefined;
}

function shapeDims(dims: unknown[], label: string): number[] {
  return Array.from(dims, (d) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1) {
      throw new NeuriteError(
        'UNSUPPORTED',
        `TF.js model: ${label} has input dimensions ${JSON.stringify(dims)}; neurite needs fixed sizes`,
      );
    }
    return d;
  });
}

/** The one weight whose name is `<layer>/<kind>`, also under a scope prefix (`sequential/dense/kernel`). */
function weightOf(weights: Map<string, DecodedWeight>, layer: string, kind: string): DecodedWeight | undefined {
  const exact = weights.get(`${layer}/${kind}`) ?? weights.get(`${layer}/${kind}:0`);
  if (exact !== undefined) return exact;
  const found = [...weights.entries()].filter(
    ([k]) => k.endsWith(`/${layer}/${kind}`) || k.endsWith(`/${layer}/${kind}:0`),
  );
  if (found.length > 1) throw invalid(`several weights match ${layer}/${kind}: ${found.map(([k]) => k).join(', ')}`);
  return found[0]?.[1];
}

function denseOf(l: TopologyLayer, weights: Map<string, DecodedWeight>, inputs: number | undefined): Pending {
  const label = layerLabel(l);
  const kernel = weightOf(weights, l.name, 'kernel');
  if (kernel === undefined) throw invalid(`${label}: no weight named ${l.name}/kernel in the weights manifest`);
  const [rows, units] = kernel.shape;
  if (kernel.shape.length !== 2 || rows === undefined || units === undefined || rows < 1 || units < 1) {
    throw invalid(`${label}: kernel shape ${JSON.stringify(kernel.shape)} is not [inputs, units]`);
  }
  if (l.config['units'] !== undefined && l.config['units'] !== units) {
    throw invalid(`${label}: units is ${describe(l.config['units'])} but the kernel has ${String(units)} columns`);
  }
  if (inputs !== undefined && rows !== inputs) {
    throw invalid(`${label}: the kernel takes ${String(rows)} inputs but the layer before gives ${String(inputs)}`);
  }
  const useBias = l.config['use_bias'] ?? l.config['useBias'] ?? true;
  const bias = useBias === false ? undefined : weightOf(weights, l.name, 'bias');
  if (useBias !== false && bias === undefined) throw invalid(`${label}: no weight named ${l.name}/bias`);
  if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== units)) {
    throw invalid(`${label}: bias shape ${JSON.stringify(bias.shape)} is not [${String(units)}]`);
  }
  // tfjs kernels are [inputs][units]; neurite's weights are [units][inputs].
  const w = new Float32Array(rows * units);
  for (let k = 0; k < rows; k++)
    for (let j = 0; j < units; j++) w[j * rows + k] = kernel.values[k * units + j] as number;
  return {
    inputs: rows,
    units,
    weights: w,
    biases: bias?.values ?? new Float32Array(units),
    activation: neuriteActivation(l.config['activation'], `TF.js model: ${label}`),
    label,
  };
}

/** The activation an activation layer applies, with its parameter, or undefined for other layers. */
function activationLayer(l: TopologyLayer): { activation: ActivationName; alpha?: number } | undefined {
  const c = l.config;
  const label = `TF.js model: ${layerLabel(l)}`;
  const num = (v: unknown, fallback: number, what: string): number => {
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${layerLabel(l)}: ${what} is ${describe(v)}`);
    return v;
  };
  switch (l.className) {
    case 'Activation':
      return { activation: neuriteActivation(c['activation'], label) };
    // tfjs and Keras 2 write alpha (default 0.3); Keras 3 writes negative_slope.
    case 'LeakyReLU':
      return { activation: 'leakyRelu', alpha: num(c['alpha'] ?? c['negative_slope'], 0.3, 'alpha') };
    case 'ELU':
      return { activation: 'elu', alpha: num(c['alpha'], 1, 'alpha') };
    case 'ReLU': {
      const max = c['max_value'] ?? c['maxValue'];
      const slope = num(c['negative_slope'], 0, 'negative_slope');
      const threshold = num(c['threshold'], 0, 'threshold');
      if ((max !== undefined && max !== null) || threshold !== 0) {
        throw new NeuriteError(
          'UNSUPPORTED',
          `${label}: a ReLU with max_value or threshold cannot be expressed by neurite`,
        );
      }
      return slope === 0 ? { activation: 'relu' } : { activation: 'leakyRelu', alpha: slope };
    }
    case 'Softmax': {
      const axis = c['axis'];
      const ok =
        axis === undefined ||
        axis === null ||
        axis === -1 ||
        axis === 1 ||
        (Array.isArray(axis) && axis.length === 1 && (axis[0] === -1 || axis[0] === 1));
      if (!ok)
        throw new NeuriteError(
          'UNSUPPORTED',
          `${label}: softmax over axis ${JSON.stringify(axis)}; neurite's softmax is over the units`,
        );
      return { activation: 'softmax' };
    }
    default:
      return undefined;
  }
}

/**
 * Whether `json` (a parsed JSON file) is a TF.js layers model's `model.json`: an object with
 * `modelTopology` and `weightsManifest`, which neurite's own model files never have.
 *
 * @example
 * ```ts
 * if (isTfjsModelJson(JSON.parse(text))) net = fromTfjs(text, weightFiles);
 * ```
 */
export function isTfjsModelJson(json: unknown): boolean {
  return isRecord(json) && json['modelTopology'] !== undefined && Array.isArray(json['weightsManifest']);
}

/**
 * The weight files a TF.js `model.json` names, in manifest order, each once: what to read from
 * beside it before calling {@link fromTfjs}. A malformed manifest is `INVALID_MODEL`.
 *
 * @example
 * ```ts
 * const files = Object.fromEntries(tfjsWeightPaths(json).map((p) => [p, read(p)]));
 * ```
 */
export function tfjsWeightPaths(json: unknown): string[] {
  if (!isRecord(json) || !Array.isArray(json['weightsManifest'])) throw invalid('it has no weightsManifest array');
  const paths = (json['weightsManifest'] as unknown[]).flatMap((group, g) => {
    const p = isRecord(group) ? group['paths'] : undefined;
    if (!Array.isArray(p) || Array.from(p as unknown[]).some((x) => typeof x !== 'string'))
      throw invalid(`weightsManifest[${String(g)}].paths must be an array of strings`);
    return p as string[];
  });
  return [...new Set(paths)];
}

/** Options of {@link fromTfjs}: those of `new NeuralNetwork` but `layers` (seed defaults to 0). */
export type TfjsImportOptions = StackSettings;

/**
 * Reads a TensorFlow.js layers model. `modelJson` is the parsed model.json (or its text);
 * `weights` is either the weight files by the paths model.json names (`{ 'group1-shard1of1.bin':
 * bytes }`) or one buffer holding them all in manifest order. A truncated or corrupt file throws
 * `INVALID_MODEL`; a layer neurite cannot express throws `UNSUPPORTED` naming it and its position.
 *
 * @example
 * ```ts
 * const net = fromTfjs(modelJson, { 'weights.bin': weightData });
 * ```
 */
export function fromTfjs(modelJson: unknown, weights: TfjsWeightFiles, options: TfjsImportOptions = {}): NeuralNetwork {
  let json = modelJson;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json) as unknown;
    } catch (e) {
      throw invalid(`not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (!isRecord(json)) throw invalid(`expected an object, got ${describe(json)}`);
  if (json['format'] !== undefined && json['format'] !== 'layers-model') {
    throw new NeuriteError(
      'UNSUPPORTED',
      `TF.js model.json: format ${describe(json['format'])}; neurite reads "layers-model" (a graph model from tf.saved_model conversion is not a layers model)`,
    );
  }
  const { layers, inputShape } = readTopology(json['modelTopology']);
  const decoded = decodeWeights(json['weightsManifest'], weights);
  let width: number | undefined;
  if (Array.isArray(inputShape))
    width = shapeDims(inputShape.slice(1), 'the Sequential model').reduce((a, b) => a * b, 1);
  let flatDims = false;
  const chain: Pending[] = [];
  for (const l of layers) {
    const last = chain.at(-1);
    const shape = chain.length === 0 ? declaredShape(l) : undefined;
    if (shape !== undefined) {
      const n = shape.reduce((a, b) => a * b, 1);
      if (shape.length !== 1 && l.className !== 'InputLayer' && l.className !== 'Flatten') {
        throw new NeuriteError(
          'UNSUPPORTED',
          `TF.js model: ${layerLabel(l)} takes ${String(shape.length)}-D input; neurite's layers take vectors (add a Flatten first)`,
        );
      }
      flatDims = shape.length !== 1;
      width = n;
    }
    if (l.className === 'Dense') {
      if (flatDims)
        throw new NeuriteError(
          'UNSUPPORTED',
          `TF.js model: ${layerLabel(l)} receives multi-dimensional input; neurite needs a Flatten before it`,
        );
      chain.push(denseOf(l, decoded, last?.units ?? width));
      continue;
    }
    if (l.className === 'InputLayer' || l.className === 'Dropout') continue;
    if (l.className === 'Flatten') {
      flatDims = false;
      continue;
    }
    const act = activationLayer(l);
    if (act === undefined) {
      throw new NeuriteError(
        'UNSUPPORTED',
        `TF.js model: ${layerLabel(l)} cannot be expressed by neurite, which imports InputLayer, Dense, Activation, LeakyReLU, ReLU, ELU, Softmax, Dropout and Flatten`,
      );
    }
    if (act.activation === 'linear') continue;
    if (last === undefined)
      throw new NeuriteError(
        'UNSUPPORTED',
        `TF.js model: ${layerLabel(l)} comes before any Dense layer; neurite applies activations to layer outputs only`,
      );
    if (last.activation !== 'linear') {
      throw new NeuriteError(
        'UNSUPPORTED',
        `TF.js model: ${layerLabel(l)} applies ${act.activation} after ${last.label}'s ${last.activation}; neurite has one activation per layer`,
      );
    }
    last.activation = act.activation;
    if (act.alpha !== undefined) last.alpha = act.alpha;
  }
  const first = chain[0];
  if (first === undefined) throw invalid('the model has no Dense layer');
  // Files neurite wrote keep its settings where tfjs keeps user metadata (model.save keeps it too).
  const user = json['userDefinedMetadata'];
  const saved = isRecord(user) ? user['neurite'] : undefined;
  return networkWithSettings(
    { inputs: first.inputs, layers: chain },
    saved,
    options,
    'TF.js model.json: userDefinedMetadata.neurite',
  );
}
