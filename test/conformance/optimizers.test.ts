import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../../src/backend/js/index.js';
import type { Backend } from '../../src/backend/types.js';
import type { FloatArray } from '../../src/core/matrix.js';
import { BACKENDS, fillRandom } from './backends.js';

const ref = createJsBackend({ precision: 'float64' });
const SIZES = [0, 1, 3, 4, 5, 17, 67, 1000];

/** Runs `steps` updates on the backend and in float64 from identical state; returns both parameter sets. */
function run(
  backend: Backend,
  n: number,
  steps: number,
  step: (b: Backend, p: FloatArray, g: FloatArray, s1: FloatArray, s2: FloatArray, t: number) => void,
): [FloatArray, Float64Array] {
  const p = backend.alloc(n);
  const g = backend.alloc(n);
  const s1 = backend.alloc(n);
  const s2 = backend.alloc(n);
  fillRandom(p, n + 1);
  const p64 = Float64Array.from(p);
  const s164 = new Float64Array(n);
  const s264 = new Float64Array(n);
  for (let t = 1; t <= steps; t++) {
    fillRandom(g, n * 7 + t);
    step(backend, p, g, s1, s2, t);
    step(ref, p64, Float64Array.from(g), s164, s264, t);
  }
  return [p, p64];
}

const RULES: [string, (b: Backend, p: FloatArray, g: FloatArray, s1: FloatArray, s2: FloatArray, t: number) => void][] =
  [
    ['sgd', (b, p, g, v) => b.sgdStep(p.length, p, g, v, 0.1, 0, false)],
    ['sgd momentum', (b, p, g, v) => b.sgdStep(p.length, p, g, v, 0.1, 0.9, false)],
    ['sgd nesterov', (b, p, g, v) => b.sgdStep(p.length, p, g, v, 0.1, 0.9, true)],
    ['adam', (b, p, g, m, v, t) => b.adamStep(p.length, p, g, m, v, 1e-2, 0.9, 0.999, 1e-7, t, 0)],
    ['adamw', (b, p, g, m, v, t) => b.adamStep(p.length, p, g, m, v, 1e-2, 0.9, 0.999, 1e-7, t, 0.01)],
    ['rmsprop', (b, p, g, s) => b.rmspropStep(p.length, p, g, s, s, 1e-2, 0.9, 0, 1e-7)],
    ['rmsprop momentum', (b, p, g, s, mom) => b.rmspropStep(p.length, p, g, s, mom, 1e-2, 0.9, 0.9, 1e-7)],
    ['adagrad', (b, p, g, s) => b.adagradStep(p.length, p, g, s, 0.1, 1e-7)],
  ];

describe.each(BACKENDS)('optimizer steps on $label', ({ backend }) => {
  it.each(RULES)('%s matches float64 over 5 steps', (_, rule) => {
    for (const n of SIZES) {
      const [p, p64] = run(backend, n, 5, rule);
      for (let i = 0; i < n; i++)
        expect(Math.abs(p[i]! - p64[i]!), `n=${n} i=${i}`).toBeLessThanOrEqual(1e-5 * (Math.abs(p64[i]!) + 0.1));
    }
  });
});

describe.each(BACKENDS)('adamStep with save on $label', ({ backend }) => {
  it('save receives the parameters from before the step, and the step is unchanged', () => {
    // 40,000 values: above the size from which a thread pool takes the pass.
    for (const n of [5, 17, 1000, 40_000]) {
      const p = backend.alloc(n);
      const q = backend.alloc(n);
      const g = backend.alloc(n);
      const [m1, v1, m2, v2] = [backend.alloc(n), backend.alloc(n), backend.alloc(n), backend.alloc(n)];
      const save = backend.alloc(n);
      fillRandom(p, n + 3);
      q.set(p);
      for (let t = 1; t <= 3; t++) {
        fillRandom(g, n * 5 + t);
        const before = Float32Array.from(p);
        backend.adamStep(n, p, g, m1, v1, 1e-2, 0.9, 0.999, 1e-7, t, 0.01, save);
        backend.adamStep(n, q, g, m2, v2, 1e-2, 0.9, 0.999, 1e-7, t, 0.01);
        expect(Array.from(save), `n=${n} t=${t}`).toEqual(Array.from(before));
        expect(Array.from(p), `n=${n} t=${t}`).toEqual(Array.from(q));
      }
      for (const a of [p, q, g, m1, v1, m2, v2, save]) backend.free?.(a);
    }
  });
});
