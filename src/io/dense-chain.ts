// The one shape every interchange format shares: a chain of fully-connected layers, each with
// row-major [out][in] weights, biases and an activation. Writers read a network as a chain;
// readers build a chain from a foreign file and hand it here, so the checks on sizes and the
// construction of the NeuralNetwork happen in one place.
import { NeuriteError, describe } from '../core/errors.js';
import { ACTIVATION_NAMES, activationHasParam, type ActivationName } from '../nn/activations.js';
import { NeuralNetwork } from '../model/network.js';
import { MAX_PARAMETERS } from '../model/network-limits.js';
import type { LayerSpec, NetworkOptions } from '../model/options.js';

/** One fully-connected layer as the formats see it: y = f(x·Wᵀ + b). */
export interface ChainLayer {
  readonly inputs: number;
  readonly units: number;
  readonly activation: ActivationName;
  /** leakyRelu slope or elu scale (present for those two only). */
  readonly alpha?: number;
  /** Row-major [units][inputs] (PyTorch nn.Linear layout). */
  readonly weights: Float32Array;
  /** `units` values. */
  readonly biases: Float32Array;
}

/** The layers of `net`, copied, in order. */
export function chainOf(net: NeuralNetwork): ChainLayer[] {
  return net.layers.map((l) => ({
    inputs: l.inputs,
    units: l.units,
    activation: l.activation.name,
    ...(activationHasParam(l.activation.name) ? { alpha: l.activation.param } : {}),
    weights: Float32Array.from(l.weights),
    biases: Float32Array.from(l.biases),
  }));
}

/** Options of the readers that build a network (everything but `layers`, which comes from the file). */
export type ImportOptions = Omit<NetworkOptions, 'layers'>;

/**
 * Builds a network from a chain read out of a file, checking that the layers connect and that
 * each holds as many values as its shape says. `what` names the file kind in errors.
 */
export function networkFromChain(
  chain: readonly ChainLayer[],
  what: string,
  options: ImportOptions = {},
): NeuralNetwork {
  const first = chain[0];
  if (first === undefined) throw new NeuriteError('INVALID_MODEL', `${what}: the model has no Dense layer`);
  let total = 0;
  const specs: LayerSpec[] = chain.map((l, i) => {
    const where = `${what}: layer ${String(i)}`;
    if (i > 0 && l.inputs !== chain[i - 1]?.units) {
      throw new NeuriteError(
        'INVALID_MODEL',
        `${where} takes ${String(l.inputs)} inputs but the layer before it has ${String(chain[i - 1]?.units)} units`,
      );
    }
    if (l.weights.length !== l.inputs * l.units || l.biases.length !== l.units) {
      throw new NeuriteError(
        'INVALID_MODEL',
        `${where} (${String(l.inputs)} → ${String(l.units)}) needs ${String(l.inputs * l.units)} weights and ${String(l.units)} biases, got ${String(l.weights.length)} and ${String(l.biases.length)}`,
      );
    }
    if (!(ACTIVATION_NAMES as string[]).includes(l.activation)) {
      throw new NeuriteError('UNSUPPORTED', `${where}: activation ${describe(l.activation)} has no neurite equivalent`);
    }
    total += l.weights.length + l.units;
    if (total > MAX_PARAMETERS) {
      throw new NeuriteError('INVALID_MODEL', `${what}: more than ${String(MAX_PARAMETERS)} parameters`);
    }
    const spec: LayerSpec = { units: l.units, activation: l.activation };
    if (l.alpha !== undefined) spec.alpha = l.alpha;
    return spec;
  });
  const flat = new Float32Array(total);
  let o = 0;
  for (const l of chain) {
    flat.set(l.weights, o);
    flat.set(l.biases, o + l.weights.length);
    o += l.weights.length + l.units;
  }
  for (let i = 0; i < flat.length; i++) {
    if (!Number.isFinite(flat[i]))
      throw new NeuriteError('INVALID_MODEL', `${what}: parameter ${String(i)} is ${String(flat[i])}`);
  }
  const net = new NeuralNetwork({ seed: 0, ...options, layers: [first.inputs, ...specs] });
  net.setWeights(flat);
  return net;
}
