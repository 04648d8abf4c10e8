import { NeuralNetwork, NeuriteError } from '../index.js';
import { writeFileAtomic } from '../node/fs-atomic.js';
import { MODEL_FORMATS, formatOfFile } from './model-formats.js';
import { ModelSource } from './model-source.js';
import { readPreprocessing, type Preprocessing } from './preprocessing.js';

/** `--help` text of every command's `--model`. */
export const MODEL_FILE_HELP = `model file: neurite's JSON (neurite train, neurite import) or, by its name or content, ${MODEL_FORMATS.filter(
  (f) => f.read !== undefined,
)
  .map((f) => f.description.split(':')[0])
  .join(', ')}`;

/** A model file read back: the network and its preprocessing record. */
export interface LoadedModel {
  readonly net: NeuralNetwork;
  readonly preprocessing: Preprocessing;
}

/**
 * Reads and validates a model file written by `neurite train`, `fitTable`, the library's
 * `net.toJSON()` or `neurite evolve --out`. A missing file or bad JSON is an
 * `IO_ERROR`/`INVALID_MODEL` naming the path; the network and preprocessing are checked in full.
 */
export function loadModelFile(path: string, backend?: string): LoadedModel {
  const source = new ModelSource(path);
  const format = formatOfFile(source);
  if (format?.read !== undefined) {
    const net = withPreprocessing(format.read(source, backend), path);
    return { net, preprocessing: readPreprocessing(net.metadata, net.inputSize, net.outputSize) };
  }
  const json = source.json();
  try {
    const net = NeuralNetwork.fromJSON(json, backend === undefined ? {} : { backend });
    // A network saved without a preprocessing record is read by its output layer: probabilities
    // (softmax, sigmoid) are classes, anything else values.
    const out = net.layers[net.layers.length - 1]?.activation.name;
    const task = out === 'softmax' || out === 'sigmoid' ? 'classification' : 'regression';
    const preprocessing = readPreprocessing(net.metadata, net.inputSize, net.outputSize, task);
    return { net, preprocessing };
  } catch (e) {
    if (e instanceof NeuriteError && e.code === 'INVALID_MODEL') {
      throw new NeuriteError('INVALID_MODEL', `model file ${JSON.stringify(path)}: ${e.message}`);
    }
    throw e;
  }
}

/**
 * A network read from another format keeps neurite's preprocessing record when neurite wrote the
 * file; one from another tool gets a plain one: numeric inputs `x1…xn` used as they are, and
 * classes `0…k−1` when the output layer is a softmax (else values `y1…yk`), so `predict` and
 * `evaluate` take CSV columns in the input order.
 */
export function withPreprocessing(net: NeuralNetwork, path: string): NeuralNetwork {
  if (net.metadata['preprocessing'] !== undefined || net.metadata['pipeline'] !== undefined) return net;
  const names = (prefix: string, n: number): string[] =>
    Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1)}`);
  const k = net.outputSize;
  const classify = net.layers.at(-1)?.activation.name === 'softmax' && k > 1;
  const classes = Array.from({ length: k }, (_, i) => String(i));
  const pre: Preprocessing = {
    format: 'neurite-preprocessing',
    version: 1,
    source: { kind: 'csv', file: path },
    task: classify ? 'classification' : 'regression',
    featureNames: names('x', net.inputSize),
    targetNames: classify ? classes : names('y', k),
    ...(classify ? { classes } : {}),
    standardize: null,
    targetStandardize: null,
  };
  net.metadata = { ...net.metadata, preprocessing: pre };
  return net;
}

/** Serialises a network (with its metadata) and writes it atomically. */
export function modelFileText(net: NeuralNetwork): string {
  return `${JSON.stringify(net.toJSON())}\n`;
}

/** Writes the model file atomically (temporary file in the same folder, then rename). */
export function saveModelFile(path: string, net: NeuralNetwork): void {
  writeFileAtomic(path, modelFileText(net));
}
