// Each rule of FLOAT64_REFERENCES (float64-references.ts) against its independent float64
// implementation: on the float64 reference backend to 1e-12, and in float32 on both backends.
import { describe, expect, it } from 'vitest';
import { createJsBackend, jsBackend } from '../../src/backend/js/index.js';
import { createWasmBackend } from '../../src/backend/wasm/backend.js';
import { Optimizer, Rng } from '../../src/index.js';
import { ADAMW_SETTINGS, FLOAT64_REFERENCES, adamwReference } from './float64-references.js';

function problem(n: number, steps: number, seed: number): { p0: number[]; grads: number[][] } {
  const rng = new Rng(seed);
  const p0 = Array.from({ length: n }, () => rng.uniform(-2, 2));
  // Gradients of mixed sign and scale (1e-3 … 10), so ε and the moments both matter.
  const grads = Array.from({ length: steps }, () => p0.map(() => rng.normal(0, 1) * 10 ** rng.uniform(-3, 1)));
  return { p0, grads };
}

describe.each(Object.entries(FLOAT64_REFERENCES))('%s against its float64 reference', (_name, { spec, reference }) => {
  const steps = 20;

  it('float64 reference backend: every step agrees to 1e-12', () => {
    const { p0, grads } = problem(37, steps, 1);
    const expected = reference(p0, grads);
    const b = createJsBackend({ precision: 'float64' });
    const opt = new Optimizer(spec);
    const p = Float64Array.from(p0);
    grads.forEach((g, k) => {
      opt.step(b, p.length, p, Float64Array.from(g));
      for (let i = 0; i < p.length; i++)
        expect(Math.abs(p[i]! - expected[k]![i]!), `step ${k + 1}, i ${i}`).toBeLessThan(1e-12);
    });
  });

  // 1,000 values: above the wasm backend's 16-value bound, so its native kernel runs.
  it.each([
    ['js', jsBackend],
    ['wasm', createWasmBackend({ shared: false, reserveBytes: 4 << 20 })],
  ] as const)('float32 on %s: within float32 rounding of the reference after 20 steps', (_, b) => {
    const { p0, grads } = problem(1000, steps, 2);
    const expected = reference(p0, grads)[steps - 1]!;
    const opt = new Optimizer(spec);
    const p = b.alloc(p0.length);
    p.set(p0);
    const g = b.alloc(p0.length);
    for (const gk of grads) {
      g.set(gk);
      opt.step(b, p.length, p, g);
    }
    for (let i = 0; i < p.length; i++)
      expect(Math.abs(p[i]! - expected[i]!), `i ${i}`).toBeLessThan(1e-5 * (1 + Math.abs(expected[i]!)));
  });
});

describe('the AdamW reference itself', () => {
  it('the comparison is sensitive: AdamW with decay 0.09 is told apart from the reference with 0.1', () => {
    const { p0, grads } = problem(37, 3, 3);
    const expected = adamwReference(p0, grads, ADAMW_SETTINGS)[2]!;
    const opt = new Optimizer({ ...FLOAT64_REFERENCES['adamw']!.spec, weightDecay: 0.09 });
    const p = Float64Array.from(p0);
    for (const g of grads) opt.step(createJsBackend({ precision: 'float64' }), p.length, p, Float64Array.from(g));
    expect(Math.max(...expected.map((x, i) => Math.abs(x - p[i]!)))).toBeGreaterThan(1e-6);
  });
});
