import { describe, expect, it } from 'vitest';
import { NeuralNetwork, Optimizer, Rng, createSchedule } from '../../src/index.js';
import { testBackend } from '../helpers/backends.js';
import { randomRows } from '../helpers/random.js';
import { RULES } from './rules.js';

describe('every optimizer minimizes a convex quadratic', () => {
  // f(p) = Σ c_i (p_i − a_i)², c_i ∈ [0.5, 2]: convex with minimum 0 at a.
  const n = 13;
  const rng = new Rng(5);
  const a = Float32Array.from({ length: n }, () => rng.uniform(-2, 2));
  const c = Float32Array.from({ length: n }, () => rng.uniform(0.5, 2));
  const f = (p: Float32Array): number => p.reduce((s, v, i) => s + (c[i] as number) * (v - (a[i] as number)) ** 2, 0);
  for (const [name, spec] of Object.entries(RULES)) {
    it(name, () => {
      const b = testBackend();
      const opt = new Optimizer(spec);
      const p = b.alloc(n) as Float32Array;
      const g = b.alloc(n) as Float32Array;
      const start = f(p);
      for (let step = 0; step < 400; step++) {
        opt.startEpoch(step);
        for (let i = 0; i < n; i++) g[i] = 2 * (c[i] as number) * ((p[i] as number) - (a[i] as number));
        opt.step(b, n, p, g);
      }
      expect(f(p)).toBeLessThan(start * 1e-3);
    });
  }
});

describe('every optimizer fits a linear regression through fit()', () => {
  const rng = new Rng(11);
  const x = randomRows(rng, 64, 3);
  const y = x.map((r) => [0.5 * (r[0] as number) - (r[1] as number) + 0.25 * (r[2] as number) + 0.3]);
  for (const [name, spec] of Object.entries(RULES)) {
    it(name, async () => {
      const net = new NeuralNetwork({
        layers: [3, { units: 1, activation: 'linear' }],
        seed: 2,
        backend: testBackend(),
      });
      const before = net.evaluate(x, y).loss;
      const h = await net.fit(x, y, { epochs: 60, batchSize: 8, optimizer: spec, loss: 'mse' });
      expect(h.loss.length).toBe(60);
      expect(net.evaluate(x, y).loss).toBeLessThan(Math.min(before * 0.05, 0.02));
    });
  }
});

describe('gradient transforms', () => {
  const b = testBackend();
  it('clipValue clips every component before a plain SGD step', () => {
    const opt = new Optimizer({ type: 'sgd', learningRate: 1, clipValue: 0.5 });
    const p = new Float32Array([0, 0, 0]);
    opt.step(b, 3, p, new Float32Array([2, -0.25, -3]));
    expect(Array.from(p)).toEqual([-0.5, 0.25, 0.5]);
  });
  it('clipNorm rescales the whole gradient to the given norm, and leaves smaller ones alone', () => {
    const opt = new Optimizer({ type: 'sgd', learningRate: 1, clipNorm: 1 });
    const p = new Float32Array([0, 0]);
    opt.step(b, 2, p, new Float32Array([3, 4]));
    expect(p[0]).toBeCloseTo(-0.6, 6);
    expect(p[1]).toBeCloseTo(-0.8, 6);
    opt.step(b, 2, p, new Float32Array([0.3, 0]));
    expect(p[0]).toBeCloseTo(-0.9, 6);
  });
  it('L2 weightDecay adds wd·p to the gradient; adamw decays the weights directly', () => {
    const l2 = new Optimizer({ type: 'sgd', learningRate: 0.1, weightDecay: 0.5 });
    const p = new Float32Array([2]);
    l2.step(b, 1, p, new Float32Array([0]));
    expect(p[0]).toBeCloseTo(2 - 0.1 * 0.5 * 2, 6);
    const w = new Optimizer({ type: 'adamw', learningRate: 0.1, weightDecay: 0.5 });
    const q = new Float32Array([2]);
    w.step(b, 1, q, new Float32Array([0]));
    // Zero gradient: the Adam part is 0, only (1 − lr·wd)·p remains.
    expect(q[0]).toBeCloseTo(2 * (1 - 0.1 * 0.5), 6);
  });
});

describe('learning-rate schedules', () => {
  it('step, exponential and cosine give the documented rates', () => {
    const step = createSchedule({ type: 'step', stepSize: 10, gamma: 0.5 });
    expect([0, 9, 10, 25].map((e) => step.rate(e, 0.1))).toEqual([0.1, 0.1, 0.05, 0.025]);
    const exp = createSchedule({ type: 'exponential', decayRate: 0.5, decaySteps: 2 });
    expect(exp.rate(4, 1)).toBeCloseTo(0.25, 12);
    const cos = createSchedule({ type: 'cosine', epochs: 10, minLearningRate: 0.01 });
    expect(cos.rate(0, 0.1)).toBeCloseTo(0.1, 12);
    expect(cos.rate(5, 0.1)).toBeCloseTo(0.055, 12);
    expect(cos.rate(10, 0.1)).toBeCloseTo(0.01, 12);
    expect(cos.rate(20, 0.1)).toBeCloseTo(0.01, 12);
  });
  it('reduceOnPlateau multiplies by factor after patience epochs without improvement', () => {
    const s = createSchedule({ type: 'reduceOnPlateau', factor: 0.5, patience: 1, minDelta: 0 });
    s.observe(1);
    expect(s.rate(1, 0.2)).toBe(0.2);
    s.observe(1);
    expect(s.rate(2, 0.2)).toBe(0.2);
    s.observe(1);
    expect(s.rate(3, 0.2)).toBe(0.1);
  });
  it('fit records the scheduled rate of every epoch in history.learningRate', async () => {
    const net = new NeuralNetwork({ layers: [1, 1], seed: 1, backend: testBackend() });
    const h = await net.fit([[0], [1]], [[0], [1]], {
      epochs: 6,
      optimizer: { type: 'sgd', learningRate: 0.4, schedule: { type: 'step', stepSize: 2, gamma: 0.5 } },
    });
    expect(h.learningRate).toEqual([0.4, 0.4, 0.2, 0.2, 0.1, 0.1]);
  });
});

describe('a step runs other work of the caller once, and that changes nothing', () => {
  // fit gathers the next batch through `meanwhile` while the update runs on a thread pool.
  const n = 40_000; // above the size from which a wasm pool splits an update
  const rng = new Rng(3);
  const p0 = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
  const g0 = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
  for (const [name, spec] of Object.entries(RULES)) {
    it(name, () => {
      const b = testBackend();
      const run = (meanwhile?: () => void): Float32Array => {
        const opt = new Optimizer(spec);
        const p = b.alloc(n) as Float32Array;
        const g = b.alloc(n) as Float32Array;
        p.set(p0);
        for (let step = 0; step < 3; step++) {
          g.set(g0);
          opt.step(b, n, p, g, meanwhile);
        }
        return Float32Array.from(p);
      };
      let calls = 0;
      const withWork = run(() => calls++);
      expect(calls).toBe(3);
      expect(withWork).toEqual(run());
    });
  }
});
