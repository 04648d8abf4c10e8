// Reads the layer list of a TF.js / Keras model topology in the order data flows through it.
// Accepts what tfjs's model.save writes, what tensorflowjs_converter writes from Keras 2 and
// Keras 3 files (the topology under `model_config`, Sequential configs as a bare list or as
// `{ layers }`, functional `Model`/`Functional` graphs with either inbound-node syntax), and
// refuses anything that is not a single chain.
import { NeuriteError, describe } from '../../core/errors.js';

/** One layer of the chain: its Keras class, config and name, and its position in the file. */
export interface TopologyLayer {
  readonly className: string;
  readonly config: Record<string, unknown>;
  readonly name: string;
  /** Index in the topology's layer list (0-based), for error messages. */
  readonly position: number;
  /** Keras 3 `build_config` (holds `input_shape`), when present. */
  readonly buildConfig?: Record<string, unknown>;
}

/** Is `x` a plain object? */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** An `INVALID_MODEL` error about a TF.js model.json. */
export const invalid = (msg: string): NeuriteError => new NeuriteError('INVALID_MODEL', `TF.js model.json: ${msg}`);

/** "layer 3 (Conv2D "conv2d_1")" — how errors name a layer. */
export const layerLabel = (l: TopologyLayer): string =>
  `layer ${String(l.position)} (${l.className} ${JSON.stringify(l.name)})`;

function readLayer(raw: unknown, position: number): TopologyLayer {
  if (!isRecord(raw)) throw invalid(`layer ${String(position)} must be an object, got ${describe(raw)}`);
  const className = raw['class_name'] ?? raw['className'];
  if (typeof className !== 'string') throw invalid(`layer ${String(position)} has no class_name`);
  const config = raw['config'] ?? {};
  if (!isRecord(config)) throw invalid(`layer ${String(position)} (${className}) config must be an object`);
  const name = config['name'] ?? raw['name'] ?? `${className}_${String(position)}`;
  if (typeof name !== 'string') throw invalid(`layer ${String(position)} (${className}) name must be a string`);
  const build = raw['build_config'];
  return { className, config, name, position, ...(isRecord(build) ? { buildConfig: build } : {}) };
}

/** The `{ class_name, config }` of the model itself, wherever the file put it. */
function modelOf(topology: unknown): { className: string; config: unknown } {
  if (!isRecord(topology)) throw invalid(`modelTopology must be an object, got ${describe(topology)}`);
  // tensorflowjs_converter nests the Keras model under model_config (next to training_config).
  const model = isRecord(topology['model_config']) ? topology['model_config'] : topology;
  const className = model['class_name'] ?? model['className'];
  if (typeof className !== 'string') throw invalid('modelTopology has no class_name');
  return { className, config: model['config'] };
}

/** The names of the layers feeding a functional layer (Keras 2 lists or Keras 3 keras_history). */
function inboundNames(raw: unknown, label: string): string[][] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalid(`${label}: inbound_nodes must be an array`);
  const historyOf = (t: unknown): string | undefined => {
    if (Array.isArray(t) && typeof t[0] === 'string') return t[0];
    if (isRecord(t) && isRecord(t['config'])) {
      const h = t['config']['keras_history'];
      if (Array.isArray(h) && typeof h[0] === 'string') return h[0];
    }
    return undefined;
  };
  return Array.from(raw as unknown[], (node) => {
    const tensors: unknown[] = Array.isArray(node)
      ? node
      : isRecord(node) && Array.isArray(node['args'])
        ? node['args']
        : [];
    // Keras 3 passes a single input as args[0]; a list of tensors there means several inputs.
    const flat =
      tensors.length === 1 &&
      Array.isArray(tensors[0]) &&
      !Array.from(tensors[0] as unknown[]).some((x) => typeof x === 'string')
        ? tensors[0]
        : tensors;
    return Array.from(flat, (t) => {
      const n = historyOf(t);
      if (n === undefined) throw invalid(`${label}: an inbound node does not name its source layer`);
      return n;
    });
  });
}

/** The one layer name in a functional model's `input_layers`/`output_layers`. */
function endpoint(raw: unknown, which: string): string {
  const list: unknown[] = Array.isArray(raw) ? (typeof raw[0] === 'string' ? [raw] : raw) : [];
  if (list.length !== 1) {
    throw new NeuriteError(
      list.length === 0 ? 'INVALID_MODEL' : 'UNSUPPORTED',
      `TF.js model.json: the model has ${String(list.length)} ${which}; neurite imports chains with one input and one output`,
    );
  }
  const first = list[0];
  if (!Array.isArray(first) || typeof first[0] !== 'string') throw invalid(`${which} must name a layer`);
  return first[0];
}

/** Orders a functional model's layers from its input to its output, refusing branches. */
function chainOfFunctional(
  config: Record<string, unknown>,
  layers: TopologyLayer[],
  rawLayers: unknown[],
): TopologyLayer[] {
  const byName = new Map<string, { layer: TopologyLayer; inbound: string[][] }>();
  layers.forEach((l, i) => {
    if (byName.has(l.name)) throw invalid(`two layers are named ${JSON.stringify(l.name)}`);
    const raw = rawLayers[i] as Record<string, unknown>;
    byName.set(l.name, { layer: l, inbound: inboundNames(raw['inbound_nodes'], layerLabel(l)) });
  });
  const input = endpoint(config['input_layers'], 'inputs');
  const output = endpoint(config['output_layers'], 'outputs');
  const chain: TopologyLayer[] = [];
  let name = output;
  for (;;) {
    const entry = byName.get(name);
    if (entry === undefined)
      throw invalid(`a connection names layer ${JSON.stringify(name)}, which is not in the model`);
    if (chain.includes(entry.layer)) throw invalid(`the layers form a cycle at ${layerLabel(entry.layer)}`);
    chain.push(entry.layer);
    if (name === input) break;
    const [node, ...more] = entry.inbound;
    if (node === undefined) throw invalid(`${layerLabel(entry.layer)} has no input and is not the model's input`);
    if (more.length > 0 || node.length !== 1) {
      throw new NeuriteError(
        'UNSUPPORTED',
        `TF.js model.json: ${layerLabel(entry.layer)} is ${more.length > 0 ? 'shared (called more than once)' : `fed by ${String(node.length)} layers`}; neurite imports single chains of layers`,
      );
    }
    name = node[0] as string;
  }
  chain.reverse();
  const off = layers.find((l) => !chain.includes(l));
  if (off !== undefined) {
    throw new NeuriteError(
      'UNSUPPORTED',
      `TF.js model.json: ${layerLabel(off)} is not on the chain from the input to the output (a branch)`,
    );
  }
  return chain;
}

/**
 * The layers of a model topology in data-flow order, plus the Sequential's declared input shape
 * (Keras 3 `build_input_shape`) when it has one.
 */
export function readTopology(topology: unknown): { layers: TopologyLayer[]; inputShape?: unknown } {
  const { className, config } = modelOf(topology);
  if (className === 'Sequential') {
    // Keras ≤ 2.2 wrote a Sequential's config as the bare layer list.
    const raw = Array.isArray(config) ? config : isRecord(config) ? config['layers'] : undefined;
    if (!Array.isArray(raw)) throw invalid('the Sequential model has no layer list');
    const layers = Array.from(raw as unknown[], readLayer);
    const shape = isRecord(config) ? config['build_input_shape'] : undefined;
    return { layers, ...(shape !== undefined ? { inputShape: shape } : {}) };
  }
  if (className === 'Model' || className === 'Functional') {
    if (!isRecord(config) || !Array.isArray(config['layers']))
      throw invalid(`the ${className} model has no layer list`);
    const raw = config['layers'] as unknown[];
    return { layers: chainOfFunctional(config, Array.from(raw, readLayer), raw) };
  }
  throw new NeuriteError(
    'UNSUPPORTED',
    `TF.js model.json: a ${JSON.stringify(className)} model; neurite imports Sequential and functional (Model/Functional) chains`,
  );
}
