// The wasm backend's per-sample step runs its own wasm step for a process's first steps, then hands
// over to the JS compiled step (src/backend/wasm/step-handover.ts). Both must give the general
// path's bits, so the hand-over changes nothing but speed: checked here through whole networks on
// the real schedule, across all three phases (wasm alone, mixed, JS), for every activation and
// loss the wasm step writes out, on shared and unshared memory, and on both sides of the size
// cut-off; plus the schedule itself on recording steps.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWasmBackend } from '../../../src/backend/wasm/backend.js';
import { handOver, WASM_HANDOVER } from '../../../src/backend/wasm/step-handover.js';
import type { SampleStep } from '../../../src/backend/types.js';
import { jsBackend, NeuralNetwork, type Backend, type NetworkOptions } from '../../../src/index.js';

/** Enough steps to pass through every phase of the wasm backend's schedule, and a few hundred more. */
const STEPS = WASM_HANDOVER.alone + WASM_HANDOVER.every * WASM_HANDOVER.warm + 500;

/** The reference kernels under another name: the model cannot tell them from a native backend. */
const general: Backend = { ...jsBackend, name: 'js-general' };

/** A wasm backend whose tiny work runs the general, layer-by-layer path (its optimizer kernels stay). */
function generalWasm(shared: boolean): Backend {
  const wasm = createWasmBackend({ shared, reserveBytes: 8 << 20 });
  const c: Backend = { ...wasm, tiny: { ...wasm.tiny!, backend: general } };
  delete c.sampleStep;
  return c;
}

/** Counts the calls of every JS compiled step the wasm backend takes over with (the real steps run). */
function countJsSteps(): { calls: number } {
  const count = { calls: 0 };
  const compile = jsBackend.sampleStep!.bind(jsBackend);
  vi.spyOn(jsBackend, 'sampleStep').mockImplementation((plan) => {
    const step = compile(plan);
    if (step === undefined) return undefined;
    return (...args: Parameters<SampleStep>) => {
      count.calls++;
      return step(...args);
    };
  });
  return count;
}

function rows(inputs: number, outputs: number, n: number, seed: number): { x: number[][]; y: number[][] } {
  let s = seed;
  const r = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return {
    x: Array.from({ length: n }, () => Array.from({ length: inputs }, () => r() * 4 - 2)),
    y: Array.from({ length: n }, () => Array.from({ length: outputs }, () => r())),
  };
}

function sameBits(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}

const w1 = { layers: [3, 2, 1], activation: 'sigmoid', loss: 'mse', learningRate: 0.1 } as const;
const CASES: [string, Omit<NetworkOptions, 'backend' | 'seed'>][] = [
  ['W1: sigmoid, mse, sgd (the update inside the step)', w1],
  ['W1 with adam (the steps write the gradient)', { ...w1, optimizer: { type: 'adam', learningRate: 0.01 } }],
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
  // 10·15 + 15 + 15·5 + 5 = 245 parameters: just below the compiled steps' 256.
  ['10→15→5 sigmoid, mse (just below the size cut-off)', { layers: [10, 15, 5], activation: 'sigmoid', loss: 'mse' }],
];

describe('the wasm step hands over to the JS step', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(CASES)('%s: losses, weights and optimizer state bit for bit through every phase', (_name, opts) => {
    const last = opts.layers[opts.layers.length - 1]!;
    const { x, y } = rows(opts.layers[0] as number, typeof last === 'number' ? last : last.units, 9, 21);
    for (const shared of [false, true]) {
      const js = countJsSteps();
      const a = new NeuralNetwork({ ...opts, seed: 14, backend: createWasmBackend({ shared, reserveBytes: 8 << 20 }) });
      const b = new NeuralNetwork({ ...opts, seed: 14, backend: generalWasm(shared) });
      let differ = 0;
      let first = -1;
      for (let s = 0; s < STEPS; s++) {
        const la = a.train(x[s % x.length]!, y[s % y.length]!);
        const lb = b.train(x[s % x.length]!, y[s % y.length]!);
        if (!Object.is(la, lb) && differ++ === 0) first = s;
      }
      expect({ differ, first }).toEqual({ differ: 0, first: -1 });
      // The JS step ran its warm-up share and then every remaining step.
      expect(js.calls).toBe(
        WASM_HANDOVER.warm + (STEPS - WASM_HANDOVER.alone - WASM_HANDOVER.every * WASM_HANDOVER.warm),
      );
      expect(sameBits(a.getWeights(), b.getWeights())).toBe(-1);
      const [sa, sb] = [a.optimizer.getState(), b.optimizer.getState()];
      expect(sa.steps).toBe(sb.steps);
      sa.slots.forEach((slot, i) => expect(sameBits(slot, sb.slots[i]!)).toBe(-1));
      vi.restoreAllMocks();
    }
  });

  it('above the size cut-off neither step is built, and the general path runs (same bits)', () => {
    // 10·16 + 16 + 16·5 + 5 = 261 parameters.
    const opts = { layers: [10, 16, 5], activation: 'sigmoid', loss: 'mse' } as const;
    const js = countJsSteps();
    const wasm = createWasmBackend({ shared: false, reserveBytes: 8 << 20 });
    let built = 0;
    const counted: Backend = {
      ...wasm,
      sampleStep: (plan) => {
        const step = wasm.sampleStep?.(plan);
        if (step !== undefined) built++;
        return step;
      },
    };
    const a = new NeuralNetwork({ ...opts, seed: 3, backend: counted });
    const b = new NeuralNetwork({ ...opts, seed: 3, backend: generalWasm(false) });
    const { x, y } = rows(10, 5, 5, 8);
    for (let s = 0; s < 200; s++)
      expect(Object.is(a.train(x[s % 5]!, y[s % 5]!), b.train(x[s % 5]!, y[s % 5]!))).toBe(true);
    expect(built).toBe(0);
    expect(js.calls).toBe(0);
    expect(sameBits(a.getWeights(), b.getWeights())).toBe(-1);
  });
});

describe('handOver', () => {
  /** A step that records its name for each call and returns the call's learning rate. */
  const recorder = (name: string, log: string[]): SampleStep => {
    return (_P, _G, _input, _target, lr) => {
      log.push(name);
      return lr;
    };
  };

  it('runs the first step alone, then mixes in the second, then runs only the second', () => {
    const log: string[] = [];
    let made = 0;
    const step = handOver(
      recorder('a', log),
      () => {
        made++;
        return recorder('b', log);
      },
      { alone: 3, every: 2, warm: 2 },
    );
    const P = new Float32Array(1);
    const returned: unknown[] = [];
    for (let i = 0; i < 5; i++) returned.push(step(P, P, [], [], i, { id: 0, f: () => 0, df: () => 0 }));
    expect(made).toBe(1); // made when first needed, at call 5
    for (let i = 5; i < 10; i++) returned.push(step(P, P, [], [], i, { id: 0, f: () => 0, df: () => 0 }));
    expect(log.join('')).toBe('aaaababbbb');
    expect(returned).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // every call's value comes back
    expect(made).toBe(1);
  });

  it('keeps the first step when the second cannot be made (code generation forbidden), asking once', () => {
    const log: string[] = [];
    let asked = 0;
    const step = handOver(
      recorder('a', log),
      () => {
        asked++;
        return undefined;
      },
      { alone: 1, every: 1, warm: 1 },
    );
    const P = new Float32Array(1);
    for (let i = 0; i < 6; i++) step(P, P, [], [], 0.1, { id: 0, f: () => 0, df: () => 0 });
    expect(log.join('')).toBe('aaaaaa');
    expect(asked).toBe(1);
  });

  it('the wasm backend’s schedule leaves seed 002’s 4,000 steps of a fresh process to the wasm step', () => {
    expect(WASM_HANDOVER.alone).toBeGreaterThanOrEqual(4000);
  });
});
