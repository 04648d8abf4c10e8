import { NeuriteError, assertInt } from '../core/errors.js';
import type { Dense } from '../nn/dense.js';

/** Layer `l` after checking that it exists and has a neuron `j` (`SHAPE_MISMATCH` otherwise). */
export function neuronAt(layers: readonly Dense[], l: number, j: number): Dense {
  assertInt(l, 'layer index', 0);
  assertInt(j, 'neuron index', 0);
  const layer = layers[l];
  if (layer === undefined) {
    throw new NeuriteError(
      'SHAPE_MISMATCH',
      `layer index ${String(l)} is out of range; the network has ${String(layers.length)} layers (0…${String(layers.length - 1)})`,
    );
  }
  if (j >= layer.units) {
    throw new NeuriteError(
      'SHAPE_MISMATCH',
      `neuron index ${String(j)} is out of range; layer ${String(l)} has ${String(layer.units)} neurons`,
    );
  }
  return layer;
}
