import { describe, expect, it } from 'vitest';
import { compareWithTfjs, mismatch, randomSpec, type OracleSpec } from './compare-with-tfjs.js';
import { OPTIMIZERS, SMALL_NET_CASES } from './optimizer-specs.js';
import { loadMnist } from '../../src/data/node/index.js';

const RTOL = 1e-5;
/** Values that should be 0 differ by float32 rounding of O(1) terms: ~1e-7·magnitude. */
const ATOL = { outputs: 1e-6, gradients: 1e-6, weights: 2e-6 };

function check(spec: OracleSpec, r: Awaited<ReturnType<typeof compareWithTfjs>>): void {
  const where = JSON.stringify(spec.layers) + ` ${spec.loss} rows=${String(spec.rows)} seed=${String(spec.seed)}`;
  expect(mismatch(...r.outputs, RTOL, ATOL.outputs), `outputs of ${where}`).toBeUndefined();
  expect(mismatch([r.loss[0]], [r.loss[1]], RTOL, 1e-7), `loss of ${where}`).toBeUndefined();
  // ssr's gradient is a sum over rows, not a mean: its float32 rounding grows with the row count.
  const gradAtol = ATOL.gradients * (spec.loss === 'ssr' ? spec.rows : 1);
  expect(mismatch(...r.gradients, 1e-4, gradAtol), `gradients of ${where}`).toBeUndefined();
  expect(mismatch(...r.history, 1e-5, 1e-7), `loss before each step of ${where}`).toBeUndefined();
  expect(mismatch(r.initial, r.weights[0], RTOL, ATOL.weights), 'the steps moved the weights').toBeDefined();
  expect(
    mismatch(...r.weights, RTOL, ATOL.weights),
    `weights after ${String(spec.steps)} steps of ${where}`,
  ).toBeUndefined();
}

// On the wasm backend, small work goes to the JS kernels (the whole pass under Backend.tiny's
// 1024 multiply-adds, and each product or elementwise pass under its own cut-off), so a few rows
// of these small networks would compare JS with TF.js twice. With 1100 rows every product of the
// pass (m·n·k ≥ 1100) and every elementwise pass runs the wasm kernels: corrupting the wasm affine
// fails this suite.
const WASM_ROWS = 1100;

/** The spec on the wasm backend with {@link WASM_ROWS} rows. */
function wasmSpec(spec: OracleSpec): OracleSpec {
  // ssr's gradient is a sum over rows: a rate chosen for a few rows takes ~200× larger steps on
  // 1100, where float32 rounding differences between any two libraries grow without bound.
  const lr = spec.optimizer.learningRate ?? 0.01;
  const optimizer = spec.loss === 'ssr' ? { ...spec.optimizer, learningRate: lr / 200 } : spec.optimizer;
  return { ...spec, backend: 'wasm', rows: WASM_ROWS, optimizer };
}

// Both backends are checked whatever NEURITE_BACKEND says: the oracle is the cheapest proof that
// the wasm kernels and the reference agree on whole training steps, not just single kernels.
describe.each(['js', 'wasm'])('cross-check on the %s backend against TensorFlow.js (cpu)', (backend) => {
  for (const { name, loss, spec: base } of SMALL_NET_CASES) {
    it(`${name}, ${loss}, random network (seed ${String(base.seed)})`, async () => {
      const spec = backend === 'wasm' ? wasmSpec(base) : { ...base, backend };
      check(spec, await compareWithTfjs(spec));
    });
  }
});

// Real digits: most of their pixels are exact zeros, which the wasm products skip (zero k steps,
// see src/backend/wasm/assembly/gemm.ts) where a layer has ≥ 32 units; the 16-unit network stays
// below that cut-off.
describe('cross-check on MNIST digits (zero pixels) on the wasm backend against TensorFlow.js (cpu)', () => {
  const rows = 256;
  const { train } = loadMnist({ limit: rows });
  const x = Array.from({ length: rows }, (_, r) => Array.from(train.x.data.subarray(r * 784, (r + 1) * 784)));
  // SGD with momentum: Adam's first steps move a weight by ~lr whatever its gradient's size, so
  // pixels seen in one row, with gradients near epsilon, would turn float32 rounding differences
  // between the libraries into 1e-4 relative differences in the weights.
  it.each([48, 16])('784 → %i relu → 10 softmax, SGD with momentum', async (units) => {
    const spec: OracleSpec = {
      inputs: 784,
      layers: [
        { units, activation: 'relu' },
        { units: 10, activation: 'softmax' },
      ],
      loss: 'categoricalCrossEntropy',
      optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 },
      rows,
      seed: 11,
      steps: 3,
      backend: 'wasm',
      x,
    };
    check(spec, await compareWithTfjs(spec));
  });
});

describe('the TensorFlow.js cross-check itself', () => {
  it('the comparison detects a small hyper-parameter difference (beta2 0.99 vs 0.999)', async () => {
    const spec = randomSpec(77, 'mse', OPTIMIZERS['adam']!);
    const r = await compareWithTfjs(spec, { ...spec.optimizer, beta2: 0.999 });
    expect(mismatch(...r.weights, RTOL, ATOL.weights)).toBeDefined();
  });
});
