// Networks the compiled per-sample steps (JS and wasm) must train bit for bit like the general
// path: shared by the wasm step's tests (test/model/sample-pass.test.ts) and the hand-over's
// (test/backend/wasm/step-handover.test.ts), so the two cannot drift apart.
import type { NetworkOptions } from '../../src/index.js';

/** Seed 002's network (W1): 3 → 2 → 1 sigmoid, mse, plain SGD. */
export const W1_NETWORK = { layers: [3, 2, 1], activation: 'sigmoid', loss: 'mse', learningRate: 0.1 } as const;

/** Every optimizer placement and activation the compiled steps handle, by name. */
export const COMPILED_STEP_CASES: [string, Omit<NetworkOptions, 'backend' | 'seed'>][] = [
  ['W1: sigmoid, mse, sgd (the update inside the step)', W1_NETWORK],
  ['W1 with adam (the step writes the gradient)', { ...W1_NETWORK, optimizer: { type: 'adam', learningRate: 0.01 } }],
  [
    '4→8→2 tanh, mse (58 parameters: the wasm sgd kernel after the step)',
    { layers: [4, 8, 2], activation: 'tanh', loss: 'mse', learningRate: 0.05 },
  ],
  [
    'relu, leakyRelu, linear, ssr',
    {
      layers: [
        5,
        { units: 4, activation: 'relu' },
        { units: 3, activation: 'leakyRelu', alpha: 0.1 },
        { units: 2, activation: 'linear' },
      ],
      loss: 'ssr',
      learningRate: 0.01,
    },
  ],
];
