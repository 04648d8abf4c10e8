// Writes a network in TensorFlow.js's layers format: the model.json `tf.loadLayersModel` reads
// (a Sequential of Dense layers, plus a LeakyReLU layer after each leaky layer) and one binary
// weights file of little-endian float32, as tfjs's own `model.save` writes them.
import { denseStack } from '../dense-stack.js';
import type { NeuralNetwork } from '../../model/network.js';
import { savedSettings } from '../saved-settings.js';
import { tfjsActivation } from './activations.js';

/** One entry of a TF.js `weightsManifest` group. */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  /** Quantized weights (`uint8`/`uint16` with `scale` and `min`, or `float16`). */
  quantization?: { dtype: string; scale?: number; min?: number };
}

/** A TF.js `model.json` as neurite writes it (readers accept the wider Keras forms too). */
export interface TfjsModelJSON {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  modelTopology: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
  /** neurite's own settings (loss, optimizer, seed, metadata), kept by tfjs as `userDefinedMetadata`. */
  userDefinedMetadata?: Record<string, unknown>;
}

/** Options of {@link toTfjs}. */
export interface TfjsExportOptions {
  /** Name of the weights file, as `model.json` refers to it (default `'weights.bin'`). */
  weightsPath?: string;
  /** Name of the Sequential model (default `'neurite'`). */
  name?: string;
}

/** What {@link toTfjs} returns: the two files of a TF.js layers model. */
export interface TfjsArtifacts {
  /** The `model.json` object (write it with `JSON.stringify`). */
  modelJson: TfjsModelJSON;
  /** The contents of the weights file named in `modelJson.weightsManifest[0].paths[0]`. */
  weightData: Uint8Array;
}

/**
 * The TensorFlow.js layers-format files of `net`. TF.js kernels are `[inputs, units]`, so each
 * layer's row-major `[units][inputs]` weights are transposed. Throws `UNSUPPORTED` for an elu with
 * alpha ≠ 1, which TF.js cannot express.
 *
 * @example
 * ```ts
 * const { modelJson, weightData } = toTfjs(net);
 * // model.json: JSON.stringify(modelJson); weights.bin: weightData
 * ```
 */
export function toTfjs(net: NeuralNetwork, options: TfjsExportOptions = {}): TfjsArtifacts {
  const layers: Record<string, unknown>[] = [];
  const specs: TfjsWeightSpec[] = [];
  const parts: Float32Array[] = [];
  denseStack(net).layers.forEach((l, i) => {
    const act = tfjsActivation(
      l.activation,
      l.alpha ?? 0,
      `layer ${String(i)} (dense ${String(l.inputs)}→${String(l.units)})`,
    );
    const name = `dense_${String(i + 1)}`;
    layers.push({
      class_name: 'Dense',
      config: {
        name,
        units: l.units,
        activation: act.dense,
        use_bias: true,
        trainable: true,
        dtype: 'float32',
        ...(i === 0 ? { batch_input_shape: [null, l.inputs] } : {}),
      },
    });
    if (act.layer !== undefined) {
      layers.push({
        class_name: act.layer.class_name,
        config: { ...act.layer.config, name: `${name}_activation`, trainable: true, dtype: 'float32' },
      });
    }
    const kernel = new Float32Array(l.inputs * l.units);
    for (let j = 0; j < l.units; j++) {
      for (let k = 0; k < l.inputs; k++) kernel[k * l.units + j] = l.weights[j * l.inputs + k] as number;
    }
    parts.push(kernel, l.biases);
    specs.push(
      { name: `${name}/kernel`, shape: [l.inputs, l.units], dtype: 'float32' },
      { name: `${name}/bias`, shape: [l.units], dtype: 'float32' },
    );
  });
  const total = parts.reduce((s, p) => s + p.length, 0);
  const weightData = new Uint8Array(total * 4);
  const view = new DataView(weightData.buffer);
  let o = 0;
  for (const p of parts) {
    for (const v of p) {
      view.setFloat32(o, v, true);
      o += 4;
    }
  }
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: 'neurite',
      convertedBy: null,
      modelTopology: {
        class_name: 'Sequential',
        config: { name: options.name ?? 'neurite', layers },
        keras_version: 'tfjs-layers 4.22.0',
        backend: 'tensor_flow.js',
      },
      weightsManifest: [{ paths: [options.weightsPath ?? 'weights.bin'], weights: specs }],
      userDefinedMetadata: { neurite: savedSettings(net) },
    },
    weightData,
  };
}
