import { NeuriteError, assertInt } from '../core/errors.js';

/** Largest parameter count a network may have (1 GiB of float32), so corrupt specs fail fast. */
export const MAX_PARAMETERS = 2 ** 28;

/** Where one layer's parameters sit in the model's vector (see {@link ParamLayout}). */
export interface LayerParams {
  /** Inputs of the layer (weights per neuron). */
  readonly inputs: number;
  /** Neurons of the layer. */
  readonly units: number;
  /** Index of weight [0][0]; neuron j's weights are `[weightOffset + j·inputs, … + inputs)`. */
  readonly weightOffset: number;
  /** Index of bias 0; neuron j's bias is at `biasOffset + j`. */
  readonly biasOffset: number;
}

/**
 * The one layout of a network's parameters: a single vector, layer by layer, each layer's weights
 * (row-major [units][inputs], row j = neuron j's incoming weights) then its biases. `Dense` views
 * its slice of it, the model file stores it, a neuroevolution genome is it, and `getWeights()`
 * returns it.
 */
export interface ParamLayout {
  /** Number of parameters (the vector's length). */
  readonly length: number;
  /** Network inputs. */
  readonly inputs: number;
  /** Network outputs (the last layer's units). */
  readonly outputs: number;
  /** One entry per layer after the inputs. */
  readonly layers: readonly LayerParams[];
}

/**
 * The layout of a network with `inputs` inputs and layers of `units` neurons. Throws
 * `INVALID_OPTION` for sizes that are not positive integers or a network of more than
 * {@link MAX_PARAMETERS} parameters (checked before anything is allocated).
 *
 * @example
 * ```ts
 * const layout = paramLayout(2, [3, 1]);
 * layout.length; // 13
 * layout.layers[1].weightOffset; // 9
 * ```
 */
export function paramLayout(inputs: number, units: readonly number[]): ParamLayout {
  assertInt(inputs, 'inputs');
  let offset = 0;
  let fanIn = inputs;
  const layers = units.map((u, i): LayerParams => {
    assertInt(u, `layer ${String(i)} units`);
    const entry = { inputs: fanIn, units: u, weightOffset: offset, biasOffset: offset + fanIn * u };
    offset += fanIn * u + u;
    fanIn = u;
    if (offset > MAX_PARAMETERS) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `network has more than ${String(MAX_PARAMETERS)} parameters (at layer ${String(i)}); at most ${String(MAX_PARAMETERS)} are supported`,
      );
    }
    return entry;
  });
  return { length: offset, inputs, outputs: fanIn, layers };
}
