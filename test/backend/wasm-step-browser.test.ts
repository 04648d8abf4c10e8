// The wasm backend's generated per-sample step in a real browser: headless Debian chromium opens a
// page importing the built library (dist/). On a browser's main thread the step is compiled
// synchronously (`new WebAssembly.Module`), which browsers may refuse (Chromium refuses large
// modules there with a RangeError). Both ways `train` must give the general, layer-by-layer path's
// losses and weights bit for bit: with the step compiled, and with every synchronous compile
// refused, when the model keeps the JS step instead.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type * as Neurite from '../../src/index.js';
import { CHROMIUM, distPages } from '../playground/browser.js';

const PAGE = `<!doctype html><html><body><script type="module">
import * as neurite from '/index.js';
window.neurite = neurite;
document.body.dataset.ready = 'true';
</script></body></html>`;

interface Outcome {
  built: number;
  declined: number;
  sameLosses: boolean;
  sameWeights: boolean;
  steps: number;
  weights: number[];
}

describe.skipIf(!existsSync(CHROMIUM) && process.env['CI'] !== 'true')('the wasm per-sample step in chromium', () => {
  const open = distPages();

  it('compiled or refused, train matches the general path bit for bit', async () => {
    const page = await open(PAGE);
    const [compiled, refused] = await page.evaluate(async () => {
      const n = (window as unknown as { neurite: typeof Neurite }).neurite;
      await n.wasmReady();
      const rows = [
        [170, 70, 25],
        [160, 55, 30],
        [180, 90, 40],
        [150, 45, 20],
      ];
      const options = { layers: [3, 2, 1], activation: 'sigmoid', loss: 'mse', learningRate: 0.1 } as const;
      const run = (refuse: boolean): Outcome => {
        const own = n.createWasmBackend({ reserveBytes: 8 << 20 });
        const counts = { built: 0, declined: 0 };
        const counted: Neurite.Backend = {
          ...own,
          sampleStep: (plan) => {
            const step = own.sampleStep?.(plan);
            counts[step === undefined ? 'declined' : 'built']++;
            return step;
          },
        };
        // The same kernels with the tiny work on the reference's general path and no own step.
        const general: Neurite.Backend = { ...own, tiny: { ...own.tiny!, backend: { ...n.jsBackend, name: 'g' } } };
        delete (general as { sampleStep?: unknown }).sampleStep;
        const RealModule = WebAssembly.Module;
        if (refuse) {
          WebAssembly.Module = function refused(): never {
            throw new RangeError('WebAssembly.Compile is disallowed on the main thread (simulated)');
          } as unknown as typeof WebAssembly.Module;
        }
        try {
          const a = new n.NeuralNetwork({ ...options, seed: 2, backend: counted });
          const b = new n.NeuralNetwork({ ...options, seed: 2, backend: general });
          let sameLosses = true;
          let steps = 0;
          for (let s = 0; s < 400; s++, steps++) {
            const row = rows[s % 4]!;
            if (!Object.is(a.train(row, [s % 2]), b.train(row, [s % 2]))) sameLosses = false;
          }
          const [wa, wb] = [Array.from(a.getWeights()), Array.from(b.getWeights())];
          return { ...counts, sameLosses, sameWeights: wa.every((v, i) => Object.is(v, wb[i])), steps, weights: wa };
        } finally {
          WebAssembly.Module = RealModule;
        }
      };
      return [run(false), run(true)];
    });
    expect(compiled).toMatchObject({ built: 1, declined: 0, sameLosses: true, sameWeights: true, steps: 400 });
    expect(refused).toMatchObject({ built: 0, declined: 1, sameLosses: true, sameWeights: true, steps: 400 });
    // Both runs trained the same network from the same seed, so they end at the same weights.
    expect(refused.weights).toEqual(compiled.weights);
    expect(compiled.weights.some((w) => w !== 0)).toBe(true);
  });
});
