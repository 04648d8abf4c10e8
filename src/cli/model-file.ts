import { readFileSync } from 'node:fs';
import { NeuralNetwork, NeuriteError } from '../index.js';
import { writeFileAtomic } from '../node/fs-atomic.js';
import { readPreprocessing, type Preprocessing } from './preprocessing.js';

/** A model file read back: the network and its preprocessing record. */
export interface LoadedModel {
  readonly net: NeuralNetwork;
  readonly preprocessing: Preprocessing;
}

/**
 * Reads and validates a model file written by `neurite train`. A missing file or bad JSON is an
 * `IO_ERROR`/`INVALID_MODEL` naming the path; the network and preprocessing are checked in full.
 */
export function loadModelFile(path: string, backend?: string): LoadedModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new NeuriteError(
      'IO_ERROR',
      `cannot read model file ${JSON.stringify(path)}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(e)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new NeuriteError(
      'INVALID_MODEL',
      `model file ${JSON.stringify(path)} is not valid JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  try {
    const net = NeuralNetwork.fromJSON(json, backend === undefined ? {} : { backend });
    const preprocessing = readPreprocessing(net.metadata, net.inputSize, net.outputSize);
    return { net, preprocessing };
  } catch (e) {
    if (e instanceof NeuriteError && e.code === 'INVALID_MODEL') {
      throw new NeuriteError('INVALID_MODEL', `model file ${JSON.stringify(path)}: ${e.message}`);
    }
    throw e;
  }
}

/** Serialises a network (with its metadata) and writes it atomically. */
export function modelFileText(net: NeuralNetwork): string {
  return `${JSON.stringify(net.toJSON())}\n`;
}

/** Writes the model file atomically (temporary file in the same folder, then rename). */
export function saveModelFile(path: string, net: NeuralNetwork): void {
  writeFileAtomic(path, modelFileText(net));
}
