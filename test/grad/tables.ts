// The rows of the gradient checks (gradients.test.ts), one per registered activation and loss;
// test/meta/registry-coverage.test.ts fails when a registered name has no row here.
import type { ActivationName, LossName } from '../../src/index.js';
import type { GradLayer } from './check-gradients.js';

/**
 * Every activation, with a non-default parameter where it has one (a default of 1 would hide an
 * alpha that is ignored).
 */
export const ACTIVATIONS: Record<ActivationName, Omit<GradLayer, 'units'>> = {
  linear: { activation: 'linear' },
  sigmoid: { activation: 'sigmoid' },
  tanh: { activation: 'tanh' },
  relu: { activation: 'relu' },
  leakyRelu: { activation: 'leakyRelu', alpha: 0.1 },
  elu: { activation: 'elu', alpha: 0.7 },
  softplus: { activation: 'softplus' },
  gelu: { activation: 'gelu' },
  softmax: { activation: 'softmax' },
};

/** For each loss, the output activation used when the tested activation cannot produce valid outputs. */
export const LOSSES: Record<LossName, { validOutputs?: readonly ActivationName[]; fallback: ActivationName }> = {
  mse: { fallback: 'linear' },
  ssr: { fallback: 'linear' },
  mae: { fallback: 'linear' },
  huber: { fallback: 'linear' },
  // Cross-entropies need outputs in (0, 1).
  binaryCrossEntropy: { validOutputs: ['sigmoid', 'softmax'], fallback: 'sigmoid' },
  categoricalCrossEntropy: { validOutputs: ['softmax', 'sigmoid'], fallback: 'softmax' },
};
