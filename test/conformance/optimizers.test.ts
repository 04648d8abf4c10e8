import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../../src/backend/js/index.js';
import type { Backend, Kernel, KernelAttrs } from '../../src/backend/types.js';
import { createWasmBackend } from '../../src/backend/wasm/backend.js';
import { NATIVE_ELEMENTWISE } from '../../src/backend/wasm/native-kernels.js';
import type { FloatArray } from '../../src/core/matrix.js';
import { OPTIMIZER_NAMES, Optimizer, type OptimizerName, type OptimizerSpec } from '../../src/optim/index.js';
import { BACKENDS, fillRandom } from './backends.js';

const ref = createJsBackend({ precision: 'float64' });
// 40,000: above the size from which a thread pool splits an elementwise pass.
const SIZES = [0, 1, 3, 4, 5, 17, 67, 1000, 40_000];

/**
 * Every registered rule with the settings that reach each of its code paths (and so each native
 * kernel). Keyed by rule name: a rule added to the optimizer table without a row here fails below.
 */
const CASES: Record<OptimizerName, OptimizerSpec[]> = {
  sgd: [
    { type: 'sgd', learningRate: 0.1 },
    { type: 'sgd', learningRate: 0.1, momentum: 0.9 },
    { type: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true },
    { type: 'sgd', learningRate: 0.1, weightDecay: 0.01, clipValue: 0.5, clipNorm: 3 },
  ],
  adam: [{ type: 'adam', learningRate: 1e-2 }],
  adamw: [{ type: 'adamw', learningRate: 1e-2, weightDecay: 0.01 }],
  rmsprop: [
    { type: 'rmsprop', learningRate: 1e-2 },
    { type: 'rmsprop', learningRate: 1e-2, momentum: 0.9 },
  ],
  adagrad: [{ type: 'adagrad', learningRate: 0.1 }],
};
const SPECS = Object.values(CASES).flat();

/** A backend that records the names of the elementwise kernels it is asked to run. */
function recording(b: Backend, names: Set<string>): Backend {
  return {
    ...b,
    run<A extends KernelAttrs>(kernel: Kernel<A>, n: number, arrays: readonly FloatArray[], attrs: A) {
      names.add(kernel.name);
      b.run(kernel, n, arrays, attrs);
    },
  };
}

describe('the optimizer conformance table', () => {
  it('has a row for every registered rule', () => {
    expect(Object.keys(CASES).sort()).toEqual([...OPTIMIZER_NAMES].sort());
  });

  it('reaches every kernel the wasm backend runs natively', () => {
    const names = new Set<string>();
    const b = recording(createWasmBackend({ shared: false, reserveBytes: 4 << 20 }), names);
    for (const spec of SPECS) new Optimizer(spec).step(b, 20, b.alloc(20), b.alloc(20));
    // populationForward, populationAffine, quantizedAffine, quantizedForward and copy are held to
    // their references in population.test.ts, quantized.test.ts and copy.test.ts.
    const others = ['populationForward', 'populationAffine', 'quantizedAffine', 'quantizedForward', 'copy'];
    const natives = Object.keys(NATIVE_ELEMENTWISE).filter((k) => !others.includes(k));
    // Every native kernel is reached (a rule with only a reference kernel runs it, and may).
    expect(natives.filter((k) => !names.has(k))).toEqual([]);
  });
});

describe.each(BACKENDS)('optimizer steps on $label', ({ backend }) => {
  it.each(SPECS.map((s) => [JSON.stringify(s), s] as const))('%s matches float64 over 5 steps', (_, spec) => {
    for (const n of SIZES) {
      const opt = new Optimizer(spec);
      const opt64 = new Optimizer(spec);
      const p = backend.alloc(n);
      const g = backend.alloc(n);
      fillRandom(p, n + 1);
      const p64 = Float64Array.from(p);
      for (let t = 1; t <= 5; t++) {
        fillRandom(g, n * 7 + t);
        const g64 = Float64Array.from(g);
        opt.step(backend, n, p, g);
        opt64.step(ref, n, p64, g64);
      }
      let worst = -1;
      for (let i = 0; i < n && worst < 0; i++)
        if (!(Math.abs(p[i]! - p64[i]!) <= 1e-5 * (Math.abs(p64[i]!) + 0.1))) worst = i;
      expect(worst, `n=${n}: p=${p[worst]} vs ${p64[worst]}`).toBe(-1);
      for (const a of [p, g]) backend.free?.(a);
    }
  });
});
