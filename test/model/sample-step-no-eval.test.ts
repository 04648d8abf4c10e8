// Where code generation is forbidden (a Content-Security-Policy without 'unsafe-eval' makes
// `new Function` throw an EvalError), the reference backend's compiled step is unavailable and
// `train` keeps the non-generated fused path (the samplePass kernel), with the same results. Its
// own file: the backend remembers the refusal for the rest of the process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePass } from '../../src/backend/js/sample-pass.js';
import { jsBackend, NeuralNetwork, type Backend } from '../../src/index.js';

const RealFunction = globalThis.Function;

describe('without code generation', () => {
  beforeAll(() => {
    globalThis.Function = function refused(): never {
      throw new EvalError('Refused to evaluate a string as JavaScript (CSP)');
    } as unknown as FunctionConstructor;
  });
  afterAll(() => {
    globalThis.Function = RealFunction;
  });

  it('train falls back to the samplePass kernel and matches the general path bit for bit', () => {
    let passes = 0;
    let built = 0;
    const js: Backend = {
      ...jsBackend,
      sampleStep: (plan) => {
        const step = jsBackend.sampleStep?.(plan);
        if (step !== undefined) built++;
        return step;
      },
      run: (kernel, n, arrays, attrs) => {
        if (kernel.name === samplePass.name) passes++;
        jsBackend.run(kernel, n, arrays, attrs);
      },
    };
    const general: Backend = { ...jsBackend, name: 'js-general' };
    const options = { layers: [3, 2, 1], activation: 'sigmoid', loss: 'mse', learningRate: 0.1 } as const;
    const a = new NeuralNetwork({ ...options, seed: 2, backend: js });
    const b = new NeuralNetwork({ ...options, seed: 2, backend: general });
    const rows = [
      [170, 70, 25],
      [160, 55, 30],
      [180, 90, 40],
      [150, 45, 20],
    ];
    for (let s = 0; s < 100; s++)
      expect(Object.is(a.train(rows[s % 4]!, [s % 2]), b.train(rows[s % 4]!, [s % 2]))).toBe(true);
    expect(built).toBe(0);
    expect(passes).toBe(200);
    expect(Array.from(a.getWeights())).toEqual(Array.from(b.getWeights()));
  });
});
