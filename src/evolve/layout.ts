import { NeuriteError } from '../core/errors.js';
import type { Activation } from '../nn/activations.js';
import type { LayerParams, ParamLayout } from '../nn/param-layout.js';
import type { NeuralNetwork } from '../model/network.js';

/** Where one layer's parameters sit in a genome (its {@link LayerParams}), and its activation. */
export interface LayerLayout extends LayerParams {
  /** The layer's activation record (used by the batch forward pass). */
  readonly activation: Activation;
}

/**
 * The shape of a genome: the network's {@link ParamLayout} (a genome is the flat parameter vector,
 * exactly as `getWeights()` returns it) with each layer's activation added.
 */
export interface GenomeLayout extends ParamLayout {
  /** One entry per layer after the inputs. */
  readonly layers: readonly LayerLayout[];
}

/**
 * Reads the genome layout of a network: its own parameter layout (the one `Dense` views and the
 * model file stores), not a second computation of it.
 *
 * @example
 * ```ts
 * const layout = genomeLayout(new NeuralNetwork({ layers: [2, 3, 1] }));
 * layout.length; // 13
 * layout.layers[1].weightOffset; // 9
 * ```
 */
export function genomeLayout(net: NeuralNetwork): GenomeLayout {
  const own = net.engine.layout;
  return { ...own, layers: own.layers.map((l, i) => ({ ...l, activation: net.layers[i]!.activation })) };
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
