// The optimizer rows of the TF.js oracle (tfjs.test.ts: small random networks; optimizers.test.ts:
// one network above the wasm backend's small-work bounds); test/meta/registry-coverage.test.ts
// fails when a registered rule has no row in LARGE_NET_OPTIMIZERS.
import type { LossName, OptimizerSpec } from '../../src/index.js';
import { randomSpec, TFJS_LOSSES, type OracleSpec } from './compare-with-tfjs.js';

/** Every optimizer with explicit hyper-parameters that differ from both libraries' defaults. */
export const OPTIMIZERS: Record<string, OptimizerSpec> = {
  sgd: { type: 'sgd', learningRate: 0.1 },
  momentum: { type: 'sgd', learningRate: 0.05, momentum: 0.8 },
  nesterov: { type: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true },
  adam: { type: 'adam', learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 },
  rmsprop: { type: 'rmsprop', learningRate: 0.01, rho: 0.85, momentum: 0, epsilon: 1e-6 },
  'rmsprop+momentum': { type: 'rmsprop', learningRate: 0.005, rho: 0.9, momentum: 0.5, epsilon: 1e-7 },
  adagrad: { type: 'adagrad', learningRate: 0.05, initialAccumulatorValue: 0.1 },
  adamw: { type: 'adamw', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.05 },
  'sgd+L2': { type: 'sgd', learningRate: 0.1, momentum: 0.5, weightDecay: 0.01 },
};

/** One row per registered rule (and per code path: momentum, Nesterov, L2, clipping), keyed by rule name. */
export const LARGE_NET_OPTIMIZERS: Record<string, OptimizerSpec[]> = {
  sgd: [
    { type: 'sgd', learningRate: 0.1 },
    { type: 'sgd', learningRate: 0.05, momentum: 0.8 },
    { type: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true },
    { type: 'sgd', learningRate: 0.1, momentum: 0.5, weightDecay: 0.01 },
  ],
  adam: [{ type: 'adam', learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }],
  adamw: [{ type: 'adamw', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.05 }],
  rmsprop: [
    { type: 'rmsprop', learningRate: 0.01, rho: 0.85, momentum: 0, epsilon: 1e-6 },
    { type: 'rmsprop', learningRate: 0.005, rho: 0.9, momentum: 0.5, epsilon: 1e-7 },
  ],
  adagrad: [{ type: 'adagrad', learningRate: 0.05, initialAccumulatorValue: 0.1 }],
};

/** The small-network oracle's cases: a random network per optimizer row × TF.js loss, seeds from 1001. */
export const SMALL_NET_CASES: readonly { name: string; loss: LossName; spec: OracleSpec }[] = Object.entries(
  OPTIMIZERS,
).flatMap(([name, optimizer], i) =>
  TFJS_LOSSES.map((loss, j) => ({ name, loss, spec: randomSpec(1001 + i * TFJS_LOSSES.length + j, loss, optimizer) })),
);
