// neurite's activations in TensorFlow.js / Keras terms, both ways, in one table.
import { NeuriteError, describe } from '../../core/errors.js';
import type { ActivationName } from '../../nn/activations.js';
import { activationForm, type ActivationForms } from '../activation-form.js';

/** How one neurite activation is written: a Dense `activation` string, or linear + a layer. */
type Writer = (
  alpha: number,
  where: string,
) => { dense: string; layer?: { class_name: string; config: Record<string, unknown> } };

const dense =
  (name: string): Writer =>
  () => ({ dense: name });

/** Keyed by neurite activation; an export meeting one without a row fails with UNSUPPORTED. */
export const TFJS_WRITERS: ActivationForms<Writer> = {
  linear: dense('linear'),
  sigmoid: dense('sigmoid'),
  tanh: dense('tanh'),
  relu: dense('relu'),
  // tfjs has no leaky-relu activation string, only the LeakyReLU layer.
  leakyRelu: (alpha) => ({ dense: 'linear', layer: { class_name: 'LeakyReLU', config: { alpha } } }),
  elu: (alpha, where) => {
    // tfjs's 'elu' string is alpha = 1 and its ELU layer throws NotImplementedError for any other alpha.
    if (alpha !== 1) {
      throw new NeuriteError(
        'UNSUPPORTED',
        `${where}: TensorFlow.js cannot express an elu with alpha ${String(alpha)} (its ELU layer only accepts alpha = 1); export this model to ONNX or safetensors instead, or train it with { activation: 'elu', alpha: 1 }`,
      );
    }
    return { dense: 'elu' };
  },
  softplus: dense('softplus'),
  // tfjs 'gelu' is the exact erf form; 'gelu_new' is the tanh approximation neurite computes.
  gelu: dense('gelu_new'),
  softmax: dense('softmax'),
};

/** The TF.js form of a neurite activation; `UNSUPPORTED` naming `where` (the layer) when TF.js cannot express it. */
export function tfjsActivation(name: ActivationName, alpha: number, where: string): ReturnType<Writer> {
  return activationForm(TFJS_WRITERS, name, 'TensorFlow.js')(alpha, where);
}

/** tfjs/Keras activation strings (as in a Dense config or an Activation layer) → neurite. */
const READERS: Record<string, ActivationName> = {
  linear: 'linear',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  relu: 'relu',
  elu: 'elu',
  softplus: 'softplus',
  gelu_new: 'gelu',
  softmax: 'softmax',
};

/** Why an activation string known to Keras has no neurite equivalent, for the error message. */
const REFUSED: Record<string, string> = {
  gelu: "the exact (erf) GELU; neurite's gelu is the tanh approximation ('gelu_new')",
};

/**
 * The neurite activation of a tfjs/Keras activation string, or `UNSUPPORTED` naming it and `where`.
 * Keras also writes `null` for linear.
 */
export function neuriteActivation(value: unknown, where: string): ActivationName {
  if (value === null || value === undefined) return 'linear';
  const key = typeof value === 'string' ? value : undefined;
  const found = key !== undefined && Object.hasOwn(READERS, key) ? READERS[key] : undefined;
  if (found === undefined) {
    const why = key !== undefined && Object.hasOwn(REFUSED, key) ? `: ${String(REFUSED[key])}` : '';
    throw new NeuriteError(
      'UNSUPPORTED',
      `${where}: activation ${typeof value === 'string' ? JSON.stringify(value) : describe(value)} cannot be expressed by neurite${why}; supported: ${Object.keys(READERS).join(', ')}, and the LeakyReLU layer`,
    );
  }
  return found;
}
