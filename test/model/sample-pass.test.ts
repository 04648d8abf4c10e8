// The fused per-sample paths against the general per-layer path, bit for bit: the same network
// trained one sample at a time (`train`, and `fit` with batch size 1) on the reference backend,
// where `train` takes a fused path, and on a copy of that backend under another name, where it
// takes the general one. Two fused paths: the samplePass kernel (a whole dense stack per call)
// and the reference backend's compiled step (`sampleStep`: the whole train step as one generated
// function), each checked on its own.
import { describe, expect, it } from 'vitest';
import { samplePass } from '../../src/backend/js/sample-pass.js';
import { createWasmBackend } from '../../src/backend/wasm/backend.js';
import { createJsBackend, jsBackend, NeuralNetwork, type Backend, type NetworkOptions } from '../../src/index.js';
import {
  COMPILED_STEP_CASES,
  countingSteps,
  GENERAL as general,
  generalWasm,
  sameBits,
  withoutOwnStep,
} from '../helpers/step-cases.js';

/** A backend that counts samplePass calls (it still runs the reference), without the compiled step. */
function counting(b: Backend): Backend & { calls: number } {
  const c = {
    ...b,
    sampleStep: () => undefined,
    calls: 0,
    run: ((kernel, n, arrays, attrs) => {
      if (kernel.name === samplePass.name) c.calls++;
      b.run(kernel, n, arrays, attrs);
    }) as Backend['run'],
  };
  return c;
}

const CASES: [string, Omit<NetworkOptions, 'backend' | 'seed'>][] = [
  ['W1: 3→2→1 sigmoid, mse, sgd', { layers: [3, 2, 1], activation: 'sigmoid', loss: 'mse', learningRate: 0.1 }],
  [
    'tanh/relu/leakyRelu, huber, adam',
    {
      layers: [
        4,
        { units: 5, activation: 'tanh' },
        { units: 3, activation: 'relu' },
        { units: 2, activation: 'leakyRelu', alpha: 0.1 },
      ],
      loss: 'huber',
      optimizer: { type: 'adam', learningRate: 0.01 },
    },
  ],
  [
    'softmax + categorical cross-entropy (fused), momentum',
    {
      layers: [5, { units: 6, activation: 'relu' }, { units: 3, activation: 'softmax' }],
      loss: 'categoricalCrossEntropy',
      optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true },
    },
  ],
  [
    'sigmoid + binary cross-entropy (fused), rmsprop, clipNorm',
    {
      layers: [2, { units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
      loss: 'binaryCrossEntropy',
      optimizer: { type: 'rmsprop', learningRate: 0.01, clipNorm: 1 },
    },
  ],
  [
    'linear output, mae, adagrad, softmax hidden',
    {
      layers: [3, { units: 4, activation: 'softmax' }, { units: 2, activation: 'linear' }],
      loss: 'mae',
      optimizer: { type: 'adagrad', learningRate: 0.1 },
    },
  ],
  ['ssr, sigmoid everywhere', { layers: [5, 4, 4, 2], activation: 'sigmoid', loss: 'ssr', learningRate: 0.05 }],
];

function samples(inputs: number, outputs: number, n: number, seed: number): { x: number[][]; y: number[][] } {
  let s = seed;
  const r = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const x = Array.from({ length: n }, () => Array.from({ length: inputs }, () => r() * 4 - 2));
  const y = Array.from({ length: n }, () => {
    const v = Array.from({ length: outputs }, () => r());
    const sum = v.reduce((a, b) => a + b, 0);
    return v.map((e) => e / sum);
  });
  return { x, y };
}

/** Inputs and outputs of a case's network. */
function sizes(options: Omit<NetworkOptions, 'backend' | 'seed'>): [number, number] {
  const last = options.layers[options.layers.length - 1];
  return [options.layers[0] as number, typeof last === 'number' ? last : (last as { units: number }).units];
}

/** Trains both networks on the same rows, in turn, checking that every loss has the same bits. */
function trainAlike(a: NeuralNetwork, b: NeuralNetwork, x: number[][], y: number[][], steps: number): void {
  for (let s = 0; s < steps; s++) {
    const la = a.train(x[s % x.length]!, y[s % y.length]!);
    const lb = b.train(x[s % x.length]!, y[s % y.length]!);
    expect(Object.is(la, lb), `loss at step ${String(s)}: ${String(la)} vs ${String(lb)}`).toBe(true);
  }
}

describe.each(CASES)('fused per-sample path: %s', (_name, options) => {
  const [inputs, outputs] = sizes(options);
  const { x, y } = samples(inputs, outputs, 7, 11);

  it('train() gives the general path’s losses, weights and predictions, bit for bit, over 300 steps', () => {
    const fused = counting(jsBackend);
    const a = new NeuralNetwork({ ...options, seed: 3, backend: fused });
    const b = new NeuralNetwork({ ...options, seed: 3, backend: general });
    trainAlike(a, b, x, y, 300);
    expect(fused.calls).toBeGreaterThanOrEqual(600); // forward and backward of every step went through it
    expect(sameBits(a.getWeights(), b.getWeights())).toBe(-1);
    for (const row of x) expect(sameBits(a.predict(row), b.predict(row))).toBe(-1);
  });

  it('fit with batch size 1 matches too', async () => {
    const a = new NeuralNetwork({ ...options, seed: 4, backend: jsBackend });
    const b = new NeuralNetwork({ ...options, seed: 4, backend: general });
    const ha = await a.fit(x, y, { epochs: 5, batchSize: 1 });
    const hb = await b.fit(x, y, { epochs: 5, batchSize: 1 });
    expect(ha.loss).toEqual(hb.loss);
    expect(sameBits(a.getWeights(), b.getWeights())).toBe(-1);
  });
});

describe('the cut-off', () => {
  /** The wasm backend with its tiny-work kernels counted (that is where the fused path runs). */
  function countingWasm(): { backend: Backend; js: Backend & { calls: number } } {
    const js = counting(jsBackend);
    const wasm = createWasmBackend({ shared: false, reserveBytes: 8 << 20 });
    return { backend: { ...withoutOwnStep(wasm), tiny: { macs: wasm.tiny?.macs ?? 0, backend: js } }, js };
  }

  it('on the wasm backend, tiny networks take the fused path and stay bit-identical to the general one', () => {
    const { backend, js } = countingWasm();
    const opts = CASES[0]![1];
    const a = new NeuralNetwork({ ...opts, seed: 5, backend });
    const b = new NeuralNetwork({ ...opts, seed: 5, backend: general });
    const { x, y } = samples(3, 1, 4, 2);
    for (let s = 0; s < 100; s++)
      expect(Object.is(a.train(x[s % 4]!, y[s % 4]!), b.train(x[s % 4]!, y[s % 4]!))).toBe(true);
    expect(js.calls).toBe(200);
    expect(sameBits(a.getWeights(), b.getWeights())).toBe(-1);
  });

  it('networks above it, dropout and activations the kernel cannot name take the general path', () => {
    const { backend, js: tiny } = countingWasm();
    const big = new NeuralNetwork({ layers: [64, 32, 2], seed: 1, backend });
    big.train(new Array<number>(64).fill(0.5), [1, 0]);
    expect(tiny.calls).toBe(0);
    const js = counting(jsBackend);
    for (const layers of [
      [3, { units: 4, activation: 'relu' as const, dropout: 0.5 }, 1],
      [3, { units: 4, activation: 'elu' as const }, 1],
      [3, { units: 4, activation: 'gelu' as const }, 1],
    ]) {
      const a = new NeuralNetwork({ layers, seed: 1, backend: js });
      const b = new NeuralNetwork({ layers, seed: 1, backend: general });
      for (let s = 0; s < 20; s++) expect(a.train([1, 2, 3], [0.5])).toBe(b.train([1, 2, 3], [0.5]));
      expect(sameBits(a.getWeights(), b.getWeights())).toBe(-1);
    }
    expect(js.calls).toBe(0);
  });
});

describe.each(CASES)('compiled per-sample step: %s', (_name, options) => {
  const [inputs, outputs] = sizes(options);
  const { x, y } = samples(inputs, outputs, 7, 13);

  it('train() gives the general path’s losses, weights, optimizer state and predictions, bit for bit', () => {
    const fused = countingSteps(jsBackend);
    const a = new NeuralNetwork({ ...options, seed: 6, backend: fused });
    const b = new NeuralNetwork({ ...options, seed: 6, backend: general });
    trainAlike(a, b, x, y, 300);
    expect(fused.built).toBe(1);
    expect(fused.steps).toBe(300);
    expect(sameBits(a.getWeights(), b.getWeights())).toBe(-1);
    const sa = a.optimizer.getState();
    const sb = b.optimizer.getState();
    expect(sa.steps).toBe(300);
    expect(sa.steps).toBe(sb.steps);
    sa.slots.forEach((slot, i) => expect(sameBits(slot, sb.slots[i]!)).toBe(-1));
    for (const row of x) expect(sameBits(a.predict(row), b.predict(row))).toBe(-1);
  });
});

describe('compiled per-sample step: where it applies', () => {
  const w1 = CASES[0]![1];
  const { x, y } = samples(3, 1, 4, 2);

  it('double precision (js64) is bit-identical to its general path too', () => {
    const js64 = createJsBackend({ precision: 'float64' });
    const fused = countingSteps(js64);
    const a = new NeuralNetwork({ ...w1, seed: 7, backend: fused });
    const b = new NeuralNetwork({ ...w1, seed: 7, backend: { ...js64, name: 'js64-general' } });
    for (let s = 0; s < 200; s++)
      expect(Object.is(a.train(x[s % 4]!, y[s % 4]!), b.train(x[s % 4]!, y[s % 4]!))).toBe(true);
    expect(fused.steps).toBe(200);
    expect(a.getWeights()).toEqual(b.getWeights());
  });

  it('on the wasm backend it runs for tiny stacks, with the update or without it (native optimizer)', () => {
    const wasm = withoutOwnStep(createWasmBackend({ shared: false, reserveBytes: 8 << 20 }));
    const tiny = countingSteps(jsBackend);
    const withSteps: Backend = { ...wasm, tiny: { ...wasm.tiny!, backend: tiny } };
    const without: Backend = { ...wasm, tiny: { ...wasm.tiny!, backend: counting(jsBackend) } };
    // W1 has 11 parameters: the sgd kernel runs its reference, so the step applies it itself. A
    // 4→8→2 net has 58: the wasm sgd kernel runs after the step, as on the general path.
    for (const [opts, rows] of [
      [w1, samples(3, 1, 4, 2)],
      [{ layers: [4, 8, 2], activation: 'tanh', loss: 'mse', learningRate: 0.05 }, samples(4, 2, 4, 3)],
      [{ ...w1, optimizer: { type: 'adam', learningRate: 0.01 } }, samples(3, 1, 4, 2)],
    ] as const) {
      const a = new NeuralNetwork({ ...opts, seed: 8, backend: withSteps });
      const b = new NeuralNetwork({ ...opts, seed: 8, backend: without });
      for (let s = 0; s < 100; s++) {
        const la = a.train(rows.x[s % 4]!, rows.y[s % 4]!);
        expect(Object.is(la, b.train(rows.x[s % 4]!, rows.y[s % 4]!))).toBe(true);
      }
      expect(sameBits(a.getWeights(), b.getWeights())).toBe(-1);
      expect(a.optimizer.t).toBe(b.optimizer.t);
    }
    expect(tiny.steps).toBe(300);
  });

  it('rows that fail the checks raise the general path’s errors and change nothing', () => {
    const a = new NeuralNetwork({ ...w1, seed: 9, backend: countingSteps(jsBackend) });
    const b = new NeuralNetwork({ ...w1, seed: 9, backend: general });
    a.train([1, 2, 3], [1]);
    b.train([1, 2, 3], [1]);
    const before = a.getWeights();
    for (const [input, target] of [
      [[1, 2], [1]],
      [[1, 2, NaN], [1]],
      [[1, 2, Infinity], [1]],
      [[1, '2', 3], [1]],
      [
        [1, 2, 3],
        [1, 0],
      ],
      [[1, 2, 3], [-Infinity]],
      [null, [1]],
      ['abc', [1]],
    ] as [unknown, unknown][]) {
      const ea = catchError(() => a.train(input as number[], target as number[]));
      const eb = catchError(() => b.train(input as number[], target as number[]));
      expect(ea).toBeDefined();
      expect(ea).toEqual(eb);
    }
    expect(sameBits(a.getWeights(), before)).toBe(-1);
    // A loss that overflows: NON_FINITE from both, weights untouched.
    const lin = { layers: [3, { units: 1, activation: 'linear' as const }], loss: 'mse' as const, learningRate: 0.1 };
    const c = new NeuralNetwork({ ...lin, seed: 1, backend: countingSteps(jsBackend) });
    const d = new NeuralNetwork({ ...lin, seed: 1, backend: general });
    const huge = [3e38, 3e38, 3e38];
    expect(catchError(() => c.train(huge, [0]))).toEqual(catchError(() => d.train(huge, [0])));
    expect(sameBits(c.getWeights(), d.getWeights())).toBe(-1);
  });

  it('frozen neurons and a changed loss or optimizer are honoured (bit-identical to the general path)', () => {
    const fused = countingSteps(jsBackend);
    const a = new NeuralNetwork({ ...w1, seed: 10, backend: fused });
    const b = new NeuralNetwork({ ...w1, seed: 10, backend: general });
    const run = (n: number): void => {
      for (let s = 0; s < n; s++)
        expect(Object.is(a.train(x[s % 4]!, y[s % 4]!), b.train(x[s % 4]!, y[s % 4]!))).toBe(true);
    };
    run(20);
    a.freezeNeuron(0, 1);
    b.freezeNeuron(0, 1);
    run(20);
    expect(fused.steps).toBe(20);
    a.freezeNeuron(0, 1, false);
    b.freezeNeuron(0, 1, false);
    a.loss = b.loss = a.loss.name === 'mse' ? { ...b.loss, name: 'ssr', reduction: 'none' } : b.loss;
    run(20);
    expect(fused.built).toBe(2);
    expect(sameBits(a.getWeights(), b.getWeights())).toBe(-1);
  });
});

function catchError(fn: () => unknown): { name: string; code: unknown; message: string } | undefined {
  try {
    fn();
  } catch (e) {
    const err = e as { name: string; code?: unknown; message: string };
    return { name: err.name, code: err.code, message: err.message };
  }
  return undefined;
}

describe('the wasm backend’s own compiled step (a generated wasm function)', () => {
  const w1 = CASES[0]![1];
  const SUPPORTED = COMPILED_STEP_CASES;

  it.each(SUPPORTED)('%s: losses, weights and optimizer state bit for bit, shared and unshared memory', (_n, opts) => {
    const [inputs, outputs] = sizes(opts);
    const { x, y } = samples(inputs, outputs, 7, 17);
    for (const shared of [false, true]) {
      const own = countingSteps(createWasmBackend({ shared, reserveBytes: 8 << 20 }));
      const a = new NeuralNetwork({ ...opts, seed: 12, backend: own });
      const b = new NeuralNetwork({ ...opts, seed: 12, backend: generalWasm(shared) });
      trainAlike(a, b, x, y, 300);
      expect(own.built).toBe(1);
      expect(own.steps).toBe(300);
      expect(sameBits(a.getWeights(), b.getWeights())).toBe(-1);
      const [sa, sb] = [a.optimizer.getState(), b.optimizer.getState()];
      expect(sa.steps).toBe(sb.steps);
      sa.slots.forEach((slot, i) => expect(sameBits(slot, sb.slots[i]!)).toBe(-1));
    }
  });

  it('declines what it does not write out (fused outputs, other losses, softmax, a relabelled loss)', () => {
    for (const opts of [CASES[1]![1], CASES[2]![1], CASES[3]![1], CASES[4]![1]]) {
      const own = countingSteps(createWasmBackend({ shared: false, reserveBytes: 8 << 20 }));
      const [inputs, outputs] = sizes(opts);
      const { x, y } = samples(inputs, outputs, 3, 5);
      const a = new NeuralNetwork({ ...opts, seed: 2, backend: own });
      const b = new NeuralNetwork({ ...opts, seed: 2, backend: generalWasm(false) });
      trainAlike(a, b, x, y, 20);
      expect(own.built).toBe(0);
      expect(sameBits(a.getWeights(), b.getWeights())).toBe(-1);
    }
    const own = countingSteps(createWasmBackend({ shared: false, reserveBytes: 8 << 20 }));
    const a = new NeuralNetwork({ ...w1, seed: 2, backend: own });
    a.loss = { ...a.loss, f: (p, t) => Math.abs(p - t) };
    a.train([1, 2, 3], [1]);
    expect(own.built).toBe(0);
  });

  it('rows that fail the checks raise the general path’s errors and change nothing', () => {
    const a = new NeuralNetwork({
      ...w1,
      seed: 9,
      backend: createWasmBackend({ shared: false, reserveBytes: 8 << 20 }),
    });
    const b = new NeuralNetwork({ ...w1, seed: 9, backend: generalWasm(false) });
    expect(Object.is(a.train([1, 2, 3], [1]), b.train([1, 2, 3], [1]))).toBe(true);
    const before = a.getWeights();
    for (const [input, target] of [
      [[1, 2], [1]],
      [[1, 2, NaN], [1]],
      [[1, '2', 3], [1]],
      [[1, 2, 3], [Infinity]],
      [null, [1]],
      ['abc', [1]],
    ] as [unknown, unknown][]) {
      const ea = catchError(() => a.train(input as number[], target as number[]));
      expect(ea).toEqual(catchError(() => b.train(input as number[], target as number[])));
    }
    expect(sameBits(a.getWeights(), before)).toBe(-1);
    const lin = { layers: [3, { units: 1, activation: 'linear' as const }], loss: 'mse' as const, learningRate: 0.1 };
    const c = new NeuralNetwork({
      ...lin,
      seed: 1,
      backend: createWasmBackend({ shared: false, reserveBytes: 8 << 20 }),
    });
    const d = new NeuralNetwork({ ...lin, seed: 1, backend: generalWasm(false) });
    const huge = [3e38, 3e38, 3e38];
    expect(catchError(() => c.train(huge, [0]))).toEqual(catchError(() => d.train(huge, [0])));
    expect(sameBits(c.getWeights(), d.getWeights())).toBe(-1);
  });
});
