// AdamW against an independent float64 implementation written from the algorithm as PyTorch
// documents it (torch.optim.AdamW; Loshchilov & Hutter 2019, Algorithm 2 with the schedule
// multiplier η_t = 1): decay the weights first, then the Adam step with bias-corrected moments
// m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ). Written as the formulas read, not as neurite computes them
// (neurite folds the corrections into two scalars and the decay into a multiplier).
import { describe, expect, it } from 'vitest';
import { createJsBackend, jsBackend } from '../../src/backend/js/index.js';
import { createWasmBackend } from '../../src/backend/wasm/backend.js';
import { Optimizer, Rng } from '../../src/index.js';

interface AdamWSettings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** torch.optim.AdamW's update, step by step, in float64. Returns the parameters after every step. */
function adamwReference(p0: number[], grads: number[][], o: AdamWSettings): number[][] {
  const theta = [...p0];
  const m = theta.map(() => 0);
  const v = theta.map(() => 0);
  const out: number[][] = [];
  grads.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < theta.length; i++) {
      theta[i] = theta[i]! - o.lr * o.weightDecay * theta[i]!;
      m[i] = o.beta1 * m[i]! + (1 - o.beta1) * g[i]!;
      v[i] = o.beta2 * v[i]! + (1 - o.beta2) * g[i]! * g[i]!;
      const mHat = m[i]! / (1 - o.beta1 ** t);
      const vHat = v[i]! / (1 - o.beta2 ** t);
      theta[i] = theta[i]! - (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
    }
    out.push([...theta]);
  });
  return out;
}

const SETTINGS: AdamWSettings = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 };
const spec = {
  type: 'adamw',
  learningRate: SETTINGS.lr,
  beta1: SETTINGS.beta1,
  beta2: SETTINGS.beta2,
  epsilon: SETTINGS.eps,
  weightDecay: SETTINGS.weightDecay,
} as const;

function problem(n: number, steps: number, seed: number): { p0: number[]; grads: number[][] } {
  const rng = new Rng(seed);
  const p0 = Array.from({ length: n }, () => rng.uniform(-2, 2));
  // Gradients of mixed sign and scale (1e-3 … 10), so ε and the moments both matter.
  const grads = Array.from({ length: steps }, () => p0.map(() => rng.normal(0, 1) * 10 ** rng.uniform(-3, 1)));
  return { p0, grads };
}

describe('AdamW against a float64 reference written from the PyTorch formulas', () => {
  const steps = 20;

  it('float64 reference backend: every step agrees to 1e-12', () => {
    const { p0, grads } = problem(37, steps, 1);
    const expected = adamwReference(p0, grads, SETTINGS);
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
    const expected = adamwReference(p0, grads, SETTINGS)[steps - 1]!;
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

  it('the comparison is sensitive: AdamW with decay 0.09 is told apart from the reference with 0.1', () => {
    const { p0, grads } = problem(37, 3, 3);
    const expected = adamwReference(p0, grads, SETTINGS)[2]!;
    const opt = new Optimizer({ ...spec, weightDecay: 0.09 });
    const p = Float64Array.from(p0);
    for (const g of grads) opt.step(createJsBackend({ precision: 'float64' }), p.length, p, Float64Array.from(g));
    expect(Math.max(...expected.map((x, i) => Math.abs(x - p[i]!)))).toBeGreaterThan(1e-6);
  });
});
