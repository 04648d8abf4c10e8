// The optimizer test table (optimizers.test.ts: a convex quadratic and a linear regression per
// row); test/meta/registry-coverage.test.ts fails when a registered rule has no row here.
import type { OptimizerSpec } from '../../src/index.js';

/** Every rule (and the transforms) with settings that converge on a well-conditioned quadratic. */
export const RULES: Record<string, OptimizerSpec> = {
  sgd: { type: 'sgd', learningRate: 0.1 },
  momentum: { type: 'sgd', learningRate: 0.05, momentum: 0.9 },
  nesterov: { type: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true },
  adam: { type: 'adam', learningRate: 0.05 },
  adamw: { type: 'adamw', learningRate: 0.05, weightDecay: 0.001 },
  rmsprop: { type: 'rmsprop', learningRate: 0.02 },
  'rmsprop+momentum': { type: 'rmsprop', learningRate: 0.01, momentum: 0.5 },
  adagrad: { type: 'adagrad', learningRate: 0.5 },
  'sgd+clipNorm': { type: 'sgd', learningRate: 0.1, clipNorm: 1 },
  'sgd+clipValue': { type: 'sgd', learningRate: 0.1, clipValue: 0.5 },
  'adam+schedule': { type: 'adam', learningRate: 0.05, schedule: { type: 'cosine', epochs: 400 } },
};
