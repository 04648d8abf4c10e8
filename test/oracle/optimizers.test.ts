// The optimizer half of the TF.js oracle on networks above every small-work cut-off: 16 rows of
// 12 inputs through 24 tanh and 8 softmax units (products of 4,608 multiply-adds, over the wasm
// backend's 1,024 tiny-network bound; 512 parameters, over its 16-value bound for elementwise
// kernels), so on the wasm backend the steps run the native optimizer kernels, not the reference.
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../src/backend/wasm/backend.js';
import type { OptimizerSpec } from '../../src/index.js';
import { compareWithTfjs, mismatch, type OracleSpec } from './compare-with-tfjs.js';
import { LARGE_NET_OPTIMIZERS } from './optimizer-specs.js';

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
  it('is above the wasm backend’s small-work bounds', () => {
    const b = createWasmBackend({ shared: false, reserveBytes: 4 << 20 });
    const { rows, inputs, layers } = spec(LARGE_NET_OPTIMIZERS['adam']![0]!, 'wasm', 0);
    expect(rows * inputs * layers[0]!.units).toBeGreaterThan(b.tiny?.macs ?? Infinity);
    expect(inputs * layers[0]!.units).toBeGreaterThan(16);
  });
});

describe.each(['js', 'wasm'])('optimizer steps on the %s backend against TensorFlow.js, large network', (backend) => {
  let seed = 5000;
  for (const [name, specs] of Object.entries(LARGE_NET_OPTIMIZERS)) {
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
