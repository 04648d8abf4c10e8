import { NeuriteError } from '../core/errors.js';
import type { Activation } from '../nn/activations.js';
import type { NeuralNetwork } from '../model/network.js';

/** Where one layer's parameters sit in a genome (see {@link GenomeLayout}). */
export interface LayerLayout {
  /** Inputs of the layer (weights per neuron). */
  readonly inputs: number;
  /** Neurons of the layer. */
  readonly units: number;
  /** Index of weight [0][0]; neuron j's weights are `[weightOffset + j·inputs, … + inputs)`. */
  readonly weightOffset: number;
  /** Index of bias 0; neuron j's bias is at `biasOffset + j`. */
  readonly biasOffset: number;
  /** The layer's activation record (used by the batch forward pass). */
  readonly activation: Activation;
}

/**
 * The shape of a genome: the flat parameter vector of a {@link NeuralNetwork}, laid out per layer
 * as weights (row-major [units][inputs]) then biases, exactly as `getWeights()` returns it.
 */
export interface GenomeLayout {
  /** Genome length (the network's `parameterCount`). */
  readonly length: number;
  /** Network inputs. */
  readonly inputs: number;
  /** Network outputs. */
  readonly outputs: number;
  /** One entry per layer after the inputs. */
  readonly layers: readonly LayerLayout[];
}

/**
 * Reads the genome layout of a network.
 *
 * @example
 * ```ts
 * const layout = genomeLayout(new NeuralNetwork({ layers: [2, 3, 1] }));
 * layout.length; // 13
 * layout.layers[1].weightOffset; // 9
 * ```
 */
export function genomeLayout(net: NeuralNetwork): GenomeLayout {
  let offset = 0;
  const layers = net.layers.map((l): LayerLayout => {
    const entry = {
      inputs: l.inputs,
      units: l.units,
      weightOffset: offset,
      biasOffset: offset + l.inputs * l.units,
      activation: l.activation,
    };
    offset += l.parameterCount;
    return entry;
  });
  return { length: offset, inputs: net.inputSize, outputs: net.outputSize, layers };
}

/** Throws `SHAPE_MISMATCH` unless every genome has `length` values. */
export function assertGenomeLength(length: number, ...genomes: readonly ArrayLike<number>[]): void {
  for (const [i, g] of genomes.entries()) {
    if (g.length !== length) {
      throw new NeuriteError(
        'SHAPE_MISMATCH',
        `genome ${String(i)} has ${String(g.length)} values but ${String(length)} were expected (mismatched architectures)`,
        { expected: length, actual: g.length, genome: i },
      );
    }
  }
}

/** Throws `SHAPE_MISMATCH` unless two networks have the same layers (sizes and activations). */
export function assertSameArchitecture(a: NeuralNetwork, b: NeuralNetwork): void {
  const sig = (n: NeuralNetwork): string =>
    [n.inputSize, ...n.layers.map((l) => `${String(l.units)}:${l.activation.name}`)].join('-');
  if (sig(a) !== sig(b)) {
    throw new NeuriteError('SHAPE_MISMATCH', `parents have different architectures: ${sig(a)} vs ${sig(b)}`, {
      a: sig(a),
      b: sig(b),
    });
  }
}
