// The optimizer half of the TF.js oracle on networks above every small-work cut-off: 16 rows of
// 12 inputs through 24 tanh and 8 softmax units (products of 4,608 multiply-adds, over the wasm
// backend's 1,024 tiny-network bound; 512 parameters, over its 16-value bound for elementwise
// kernels), so on the wasm backend the steps run the native optimizer kernels, not the reference.
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../src/backend/wasm/backend.js';
import { OPTIMIZER_NAMES, type OptimizerSpec } from '../../src/index.js';
import { compareWithTfjs, mismatch, type OracleSpec } from './compare-with-tfjs.js';

/** One row per registered rule (and per code path: momentum, Nesterov, L2, clipping), keyed by rule name. */
const OPTIMIZERS: Record<string, OptimizerSpec[]> = {
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

function spec(optimizer: OptimizerSpec, backend: string, seed: number): OracleSpec {
  return {
    inputs: 12,
    layers: [
      { units: 24, activation: 'tanh' },
      { units: 8, activation: 'softmax' },
    ],
    loss: 'categoricalCrossEntropy',
    optimizer,
    rows: 16,
    seed,
    steps: 5,
    backend,
  };
}

describe('the large-network optimizer oracle', () => {
  it('has a row for every registered rule', () => {
    expect(Object.keys(OPTIMIZERS).sort()).toEqual([...OPTIMIZER_NAMES].sort());
  });

  it('is above the wasm backend’s small-work bounds', () => {
    const b = createWasmBackend({ shared: false, reserveBytes: 4 << 20 });
    const { rows, inputs, layers } = spec(OPTIMIZERS['adam']![0]!, 'wasm', 0);
    expect(rows * inputs * layers[0]!.units).toBeGreaterThan(b.tiny?.macs ?? Infinity);
    expect(inputs * layers[0]!.units).toBeGreaterThan(16);
  });
});

describe.each(['js', 'wasm'])('optimizer steps on the %s backend against TensorFlow.js, large network', (backend) => {
  let seed = 5000;
  for (const [name, specs] of Object.entries(OPTIMIZERS)) {
    for (const optimizer of specs) {
      const s = ++seed;
      it(`${name} ${JSON.stringify(optimizer)}`, async () => {
        const r = await compareWithTfjs(spec(optimizer, backend, s));
        expect(mismatch(...r.history, 1e-5, 1e-7), 'loss before each step').toBeUndefined();
        expect(mismatch(r.initial, r.weights[0], 1e-5, 2e-6), 'the steps moved the weights').toBeDefined();
        expect(mismatch(...r.weights, 1e-5, 2e-6), 'weights after 5 steps').toBeUndefined();
      });
    }
  }
});
