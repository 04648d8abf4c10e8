// The compiled per-sample steps skip a sigmoid's exp where the float32 result is exactly 1
// (SIGMOID_IS_ONE). Checked here: the claim itself, for every float32 from the threshold to 20
// (the result only grows with z), and that it is tight; then seed 002's unscaled rows, whose hidden
// units saturate, trained through the JS step and the wasm step against the general path bit for bit.
import { describe, expect, it } from 'vitest';
import { SIGMOID_IS_ONE } from '../../../src/backend/js/sample-step.js';
import { createWasmBackend } from '../../../src/backend/wasm/backend.js';
import type { SampleStep, SampleStepPlan } from '../../../src/backend/types.js';
import { jsBackend, NeuralNetwork, type Backend } from '../../../src/index.js';

/** The reference kernels' sigmoid as a Float32Array stores it. */
const sigmoid32 = (z: number): number => Math.fround(1 / (1 + Math.exp(-z)));

describe('SIGMOID_IS_ONE', () => {
  it('every float32 z from it to 20 (and +Infinity) has a float32 sigmoid of exactly 1', () => {
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    f[0] = SIGMOID_IS_ONE;
    let checked = 0;
    let notOne = 0;
    for (; f[0] <= 20; u[0]!++, checked++) if (sigmoid32(f[0]) !== 1) notOne++;
    expect(checked).toBeGreaterThan(500_000);
    expect(notOne).toBe(0);
    expect(sigmoid32(Infinity)).toBe(1);
  });

  it('is near the smallest such threshold: at 17 the float32 sigmoid is still below 1', () => {
    expect(sigmoid32(17)).toBeLessThan(1);
  });
});

/** The reference kernels under another name: the model cannot tell them from a native backend. */
const general: Backend = { ...jsBackend, name: 'js-general' };

/** `b` with its compiled steps counted (the real steps run). */
function countingSteps(b: Backend): Backend & { steps: number } {
  const c = {
    ...b,
    steps: 0,
    sampleStep: (plan: SampleStepPlan): SampleStep | undefined => {
      const step = b.sampleStep?.(plan);
      if (step === undefined) return undefined;
      return (...args: Parameters<SampleStep>) => {
        c.steps++;
        return step(...args);
      };
    },
  };
  return c;
}

const SEED_002 = {
  x: [
    [170, 70, 25],
    [160, 55, 30],
    [180, 90, 40],
    [150, 45, 20],
  ],
  y: [[1], [0], [1], [0]],
};

describe('saturated sigmoids (seed 002’s unscaled rows)', () => {
  const wasm = (): Backend => createWasmBackend({ shared: false, reserveBytes: 8 << 20 });
  const generalWasm = (): Backend => {
    const w = wasm();
    const c: Backend = { ...w, tiny: { ...w.tiny!, backend: general } };
    delete c.sampleStep;
    return c;
  };

  it.each([
    ['the JS step', () => jsBackend, () => general],
    ['the wasm step', wasm, generalWasm],
  ] as const)('%s gives the general path’s losses and weights, bit for bit', (_name, fused, plain) => {
    for (const options of [
      { layers: [3, 2, 1], activation: 'sigmoid', loss: 'mse', learningRate: 0.1 },
      { layers: [3, 4, 3, 1], activation: 'sigmoid', loss: 'ssr', learningRate: 0.05 },
    ] as const) {
      const counted = countingSteps(fused());
      const a = new NeuralNetwork({ ...options, seed: 1, backend: counted });
      const b = new NeuralNetwork({ ...options, seed: 1, backend: plain() });
      let saturated = 0;
      for (let s = 0; s < 400; s++) {
        const [x, y] = [SEED_002.x[s % 4]!, SEED_002.y[s % 4]!];
        expect(Object.is(a.train(x, y), b.train(x, y)), `loss at step ${String(s)}`).toBe(true);
        b.predict(x);
        saturated += Array.from(b.layers[0]!.z.subarray(0, b.layers[0]!.units)).filter((z) => z >= 18).length;
      }
      expect(counted.steps).toBe(400);
      expect(saturated).toBeGreaterThan(400); // the exp-free branch ran, in most steps
      expect(Array.from(a.getWeights())).toEqual(Array.from(b.getWeights()));
    }
  });
});
