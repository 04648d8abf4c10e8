// What the tests of the compiled per-sample steps (JS and wasm) share: the networks they must
// train bit for bit like the general path, and the backends and checks that compare them. Used by
// test/model/sample-pass.test.ts and test/backend/wasm/step-handover.test.ts, so the two cannot
// drift apart.
import { createWasmBackend } from '../../src/backend/wasm/backend.js';
import type { SampleStep, SampleStepPlan } from '../../src/backend/types.js';
import { jsBackend, type Backend, type NetworkOptions } from '../../src/index.js';

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

/** The reference kernels under another name: the model cannot tell them from a native backend. */
export const GENERAL: Backend = { ...jsBackend, name: 'js-general' };

/** `b` without its own compiled step (the model then uses that of its tiny-work kernels). */
export function withoutOwnStep<B extends Backend>(b: B): B {
  const c = { ...b };
  delete c.sampleStep;
  return c;
}

/** A wasm backend whose tiny work runs the general, layer-by-layer path (its optimizer kernels stay). */
export function generalWasm(shared: boolean): Backend {
  const wasm = createWasmBackend({ shared, reserveBytes: 8 << 20 });
  return { ...withoutOwnStep(wasm), tiny: { ...wasm.tiny!, backend: GENERAL } };
}

/** `b` counting the compiled steps it builds (`built`) and their calls (`steps`); the real steps run. */
export function countingSteps(b: Backend): Backend & { built: number; steps: number } {
  const c = {
    ...b,
    built: 0,
    steps: 0,
    sampleStep: (plan: SampleStepPlan): SampleStep | undefined => {
      const step = b.sampleStep?.(plan);
      if (step === undefined) return undefined;
      c.built++;
      return ((...args: Parameters<SampleStep>) => {
        c.steps++;
        return step(...args);
      }) as SampleStep;
    },
  };
  return c;
}

/** The first index where two arrays differ bit for bit (a length mismatch counts), or -1. */
export function sameBits(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}
