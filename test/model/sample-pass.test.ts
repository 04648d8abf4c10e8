// The fused per-sample path (the samplePass kernel: a whole dense stack per call) against the
// general per-layer path, bit for bit: the same network trained one sample at a time (`train`,
// and `fit` with batch size 1) on the reference backend, where `train` takes the fused path, and
// on a copy of that backend under another name, where it takes the general one.
import { describe, expect, it } from 'vitest';
import { samplePass } from '../../src/backend/js/sample-pass.js';
import { createWasmBackend } from '../../src/backend/wasm/backend.js';
import { jsBackend, NeuralNetwork, type Backend, type NetworkOptions } from '../../src/index.js';

/** The reference kernels under another name: the model cannot tell them from a native backend. */
const general: Backend = { ...jsBackend, name: 'js-general' };

/** A backend that counts samplePass calls (it still runs the reference). */
function counting(b: Backend): Backend & { calls: number } {
  const c = {
    ...b,
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

function sameBits(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}

describe.each(CASES)('fused per-sample path: %s', (_name, options) => {
  const inputs = options.layers[0] as number;
  const last = options.layers[options.layers.length - 1];
  const outputs = typeof last === 'number' ? last : (last as { units: number }).units;
  const { x, y } = samples(inputs, outputs, 7, 11);

  it('train() gives the general path’s losses, weights and predictions, bit for bit, over 300 steps', () => {
    const fused = counting(jsBackend);
    const a = new NeuralNetwork({ ...options, seed: 3, backend: fused });
    const b = new NeuralNetwork({ ...options, seed: 3, backend: general });
    for (let s = 0; s < 300; s++) {
      const la = a.train(x[s % 7]!, y[s % 7]!);
      const lb = b.train(x[s % 7]!, y[s % 7]!);
      expect(Object.is(la, lb), `loss at step ${String(s)}: ${String(la)} vs ${String(lb)}`).toBe(true);
    }
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
    return { backend: { ...wasm, tiny: { macs: wasm.tiny?.macs ?? 0, backend: js } }, js };
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
