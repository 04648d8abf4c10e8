// A runtime whose WebAssembly has no SIMD (older Safari, some embedded engines): WebAssembly.validate
// is made to refuse every module for this file only. The library must say so with a code and a fix,
// and 'auto' must fall back to the JS reference. Its own file: the backend registry keeps what it
// resolved for the rest of the module graph.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBackend, NeuralNetwork, NeuriteError, wasmReady } from '../../src/index.js';

const realValidate = WebAssembly.validate;

describe('without WebAssembly SIMD', () => {
  beforeAll(() => {
    WebAssembly.validate = () => false;
  });
  afterAll(() => {
    WebAssembly.validate = realValidate;
  });

  it('wasmReady rejects with UNSUPPORTED, naming what is missing and what to use instead', async () => {
    const error = await wasmReady().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NeuriteError);
    expect((error as NeuriteError).code).toBe('UNSUPPORTED');
    expect((error as NeuriteError).message).toMatch(/SIMD.*backend: 'js'/);
  });

  it("backend 'wasm' is refused with UNSUPPORTED; 'auto' trains on the JS reference", () => {
    expect(() => getBackend('wasm')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }) as Error);
    const net = new NeuralNetwork({ layers: [2, 3, 1], seed: 1 });
    expect(net.backend.name).toBe('js');
    expect(Number.isFinite(net.train([0.5, -1], [1]))).toBe(true);
  });
});
