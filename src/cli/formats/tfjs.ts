import { mkdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { NeuriteError } from '../../index.js';
import { fromTfjs, isTfjsModelJson, tfjsWeightPaths, toTfjs } from '../../io/index.js';
import { writeFileAtomic } from '../../node/fs-atomic.js';
import type { ExportRequest, ModelFormat } from '../model-formats.js';
import type { ModelSource } from '../model-source.js';
import type { Io } from '../output.js';
import { readBytes } from '../read-bytes.js';
import { noteNetworkAlone } from './network-alone.js';

const WEIGHTS = 'weights.bin';

/**
 * The file a manifest path names, beside model.json. A path that leaves that folder (`../x`,
 * `/etc/passwd`) is refused: a downloaded model must not make neurite read files elsewhere.
 */
export function weightFilePath(modelJson: string, path: string): string {
  const folder = resolve(dirname(modelJson));
  const file = resolve(folder, path);
  const rel = relative(folder, file);
  if (path.includes('\0') || isAbsolute(path) || rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new NeuriteError(
      'INVALID_MODEL',
      `TF.js model ${JSON.stringify(modelJson)}: its weightsManifest names ${JSON.stringify(path)}, which is not a file beside model.json; weight paths must stay inside its folder`,
    );
  }
  return file;
}

function read(file: ModelSource, backend?: string) {
  const json = file.json();
  const files = Object.fromEntries(tfjsWeightPaths(json).map((p) => [p, readBytes(weightFilePath(file.path, p))]));
  try {
    return fromTfjs(json, files, backend === undefined ? {} : { backend });
  } catch (e) {
    if (e instanceof NeuriteError && e.code === 'INVALID_MODEL')
      throw new NeuriteError('INVALID_MODEL', `${file.path}: ${e.message}`);
    throw e;
  }
}

function write(r: ExportRequest, io: Io): void {
  // Converted first, so a model TF.js cannot express leaves no folder behind.
  const { modelJson, weightData } = toTfjs(r.net, { weightsPath: WEIGHTS });
  try {
    if (!statSync(r.out).isDirectory()) {
      throw new NeuriteError(
        'IO_ERROR',
        `cannot write the TF.js model into ${JSON.stringify(r.out)}: it is a file; for --format tfjs, --out names a folder that receives model.json and ${WEIGHTS}`,
      );
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirSync(r.out, { recursive: true });
  }
  // Weights first: model.json, written last, never names a weights file that is not complete.
  writeFileAtomic(join(r.out, WEIGHTS), weightData);
  writeFileAtomic(join(r.out, 'model.json'), `${JSON.stringify(modelJson)}\n`);
  noteNetworkAlone(r, io, 'a TF.js layers model holds layers, not preprocessing', join(r.out, 'model.json'));
  if (r.net.layers.some((l) => l.activation.name === 'gelu')) {
    io.err(
      "note: tfjs 4.22 cannot load the tanh GELU ('gelu_new') from a file; see the README's TF.js section for the one-line alias\n",
    );
  }
  io.out(
    `wrote ${join(r.out, 'model.json')} and ${join(r.out, WEIGHTS)} (TF.js layers model, ${String(weightData.length)} bytes of weights)\n`,
  );
}

/** TensorFlow.js layers format: a folder with `model.json` and its weights file. */
export const tfjsFormat: ModelFormat = {
  name: 'tfjs',
  description: 'TensorFlow.js layers model (model.json + weights): tf.loadLayersModel, Keras via tensorflowjs',
  matches: (file) => isTfjsModelJson(file.jsonObject()),
  read,
  write,
};
