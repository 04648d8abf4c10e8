import { NeuriteError } from '../core/errors.js';
import type { ActivationName } from '../nn/activations.js';
import type { LayerSpec, NetworkOptions } from '../model/options.js';
import { NeuralNetwork } from '../model/network.js';

/**
 * One fully-connected layer as every exchange format sees it: y = f(x·Wᵀ + b), with `weights`
 * row-major `[units][inputs]` (PyTorch's `nn.Linear` layout; ONNX `Gemm` with `transB = 1`).
 */
export interface StackLayer {
  readonly inputs: number;
  readonly units: number;
  readonly activation: ActivationName;
  /** leakyRelu slope or elu scale; present only for those two. */
  readonly alpha?: number;
  /** `units × inputs` weights, row-major. */
  readonly weights: Float32Array;
  /** `units` biases. */
  readonly biases: Float32Array;
}

/** A network as a chain of {@link StackLayer}s: the shape every reader produces and every writer consumes. */
export interface DenseStack {
  readonly inputs: number;
  readonly layers: readonly StackLayer[];
}

/**
 * The layers of `net` as a {@link DenseStack}, with copies of its weights (so a writer can hold
 * them while the network trains on).
 *
 * @example
 * ```ts
 * const stack = denseStack(new NeuralNetwork({ layers: [3, 2, 1], seed: 1 }));
 * stack.layers[0]?.weights.length; // 6
 * ```
 */
export function denseStack(net: NeuralNetwork): DenseStack {
  return {
    inputs: net.inputSize,
    layers: net.layers.map((l) => {
      const a = l.activation.name;
      return {
        inputs: l.inputs,
        units: l.units,
        activation: a,
        ...(a === 'leakyRelu' || a === 'elu' ? { alpha: l.activation.param } : {}),
        weights: Float32Array.from(l.weights),
        biases: Float32Array.from(l.biases),
      };
    }),
  };
}

/**
 * Builds a network from a {@link DenseStack} read from a file. `options` carries the settings the
 * file did not (loss, optimizer, seed, backend). Shapes that do not chain fail with `INVALID_MODEL`.
 */
export function networkFromStack(
  stack: DenseStack,
  options: Omit<NetworkOptions, 'layers' | 'activation' | 'outputActivation' | 'initializer'> = {},
): NeuralNetwork {
  if (stack.layers.length === 0) throw new NeuriteError('INVALID_MODEL', 'invalid model: it has no layer');
  let fanIn = stack.inputs;
  const specs = stack.layers.map((l, i): LayerSpec => {
    if (l.inputs !== fanIn || l.weights.length !== l.units * l.inputs || l.biases.length !== l.units) {
      throw new NeuriteError(
        'INVALID_MODEL',
        `invalid model: layer ${String(i)} expects ${String(l.inputs)} inputs with ${String(l.weights.length)} weights and ${String(l.biases.length)} biases for ${String(l.units)} units, after ${String(fanIn)} values`,
      );
    }
    fanIn = l.units;
    return { units: l.units, activation: l.activation, ...(l.alpha !== undefined ? { alpha: l.alpha } : {}) };
  });
  const net = new NeuralNetwork({ seed: 0, ...options, layers: [stack.inputs, ...specs] });
  stack.layers.forEach((l, i) => {
    const layer = net.layers[i]!;
    layer.weights.set(l.weights);
    layer.biases.set(l.biases);
  });
  return net;
}
