// TensorFlow.js as the tests use it: reading a layers model from a folder as tfjs-node's file://
// handler does, saving a model the way tfjs's own handlers do, and the gelu_new alias tfjs 4.22
// needs to load its own tanh GELU from a file.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An IOHandler reading a model.json and the weight files its manifest names from a folder. */
export function fileHandler(folder: string, file = 'model.json'): tf.io.IOHandler {
  return {
    load: () => {
      const json = JSON.parse(readFileSync(join(folder, file), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, (manifest) => {
        const buffers = manifest.flatMap((g) => g.paths.map((p) => new Uint8Array(readFileSync(join(folder, p)))));
        const all = new Uint8Array(buffers.reduce((s, b) => s + b.length, 0));
        let o = 0;
        for (const b of buffers) {
          all.set(b, o);
          o += b.length;
        }
        return Promise.resolve([tf.io.getWeightSpecs(manifest), all.buffer]);
      });
    },
  };
}

/** Saves a tfjs model through a custom IOHandler and returns its model.json (with a manifest) and weights. */
export async function savedByTfjs(model: tf.LayersModel): Promise<{ modelJson: tf.io.ModelJSON; weights: Uint8Array }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save({
    save: (a) => {
      artifacts = a;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    },
  });
  if (artifacts?.weightSpecs === undefined || !(artifacts.weightData instanceof ArrayBuffer))
    throw new Error('tfjs saved no weights');
  // What tfjs's browserDownloads handler writes as model.json.
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? '',
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }],
  };
  return { modelJson, weights: new Uint8Array(artifacts.weightData) };
}

/**
 * tfjs 4.22 camel-cases every string of a config it loads ('gelu_new' → 'geluNew') but registers
 * the tanh GELU as 'gelu_new', so it cannot load that activation from any file, even one it saved
 * itself; this one alias is the workaround the README gives.
 */
export function allowGeluNew(): void {
  const classes = tf.serialization.SerializationMap.getMap().classNameMap;
  classes['geluNew'] = classes['gelu_new'] as (typeof classes)[string];
}
