import { describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { createWasmBackend } from '../../src/backend/wasm/backend.js';
import type { Backend } from '../../src/backend/types.js';

const wasmWanted = (process.env['NEURITE_BACKEND'] ?? 'wasm') !== 'js';

/** The wasm backend with its product and activation entry points counted. */
function counted(): { backend: Backend; calls: () => number } {
  const b = createWasmBackend();
  let calls = 0;
  const methods = b as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const k of ['affine', 'gemm', 'actForward', 'actBackward', 'loss']) {
    const f = methods[k]!;
    methods[k] = (...a: unknown[]) => {
      calls++;
      return f.apply(b, a);
    };
  }
  return { backend: b, calls: () => calls };
}

const layers = [4, { units: 24, activation: 'tanh' as const }, { units: 24, activation: 'sigmoid' as const }, 1];

describe.runIf(wasmWanted)('tiny networks skip the wasm dispatch layer', () => {
  it('per-sample train and predict of a 4→24→24→1 net never enter the wasm backend’s kernels', () => {
    const { backend, calls } = counted();
    expect(backend.tiny?.backend).toBe(jsBackend);
    const net = new NeuralNetwork({ layers, seed: 5, backend, learningRate: 0.05 });
    for (let i = 0; i < 50; i++) net.train([i % 3, 1, -1, 0.5], [0.25]);
    net.predict([1, 2, 3, 4]);
    expect(calls()).toBe(0);
    // 100 rows × 576 multiply-adds is past the tiny limit: the backend's own kernels run.
    net.predictBatch(Array.from({ length: 100 }, (_, r) => [r, 1, 2, 3]));
    expect(calls()).toBeGreaterThan(0);
  });

  it('predicts the same bits as the JS backend (both run the JS kernels)', () => {
    const wasmNet = new NeuralNetwork({ layers, seed: 5, backend: createWasmBackend() });
    const jsNet = new NeuralNetwork({ layers, seed: 5, backend: jsBackend });
    for (const x of [
      [1, 2, 3, 4],
      [-0.5, 0.25, 8, -3],
    ]) {
      expect(Array.from(wasmNet.predict(x))).toEqual(Array.from(jsNet.predict(x)));
    }
  });
});
