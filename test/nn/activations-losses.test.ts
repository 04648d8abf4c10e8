import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_NAMES,
  LOSS_NAMES,
  NeuralNetwork,
  Rng,
  getActivation,
  getLoss,
  type LossName,
} from '../../src/index.js';
import { testBackend } from '../helpers/backends.js';
import { expectCode } from '../helpers/errors.js';
import { probabilityRows, randomRows } from '../helpers/random.js';
import { LOSS_REFERENCE } from './loss-reference.js';

const finite = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

describe('softmax', () => {
  const rowsArb = fc.integer({ min: 1, max: 9 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      rows: fc.array(fc.array(finite(-50, 50), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 4 }),
    }),
  );

  it('rows are probability vectors that sum to 1', () => {
    const b = testBackend();
    fc.assert(
      fc.property(rowsArb, ({ n, rows }) => {
        const m = rows.length;
        const x = b.alloc(m * n);
        x.set(rows.flat());
        const y = b.alloc(m * n);
        b.softmaxRows(m, n, x, y);
        for (let r = 0; r < m; r++) {
          let s = 0;
          for (let j = 0; j < n; j++) {
            const v = y[r * n + j] as number;
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
            s += v;
          }
          expect(Math.abs(s - 1)).toBeLessThan(1e-5);
        }
      }),
      { numRuns: 200, seed: 1 },
    );
  });

  it('does not change when a constant is added to a row (and does not overflow for large logits)', () => {
    const b = testBackend();
    fc.assert(
      fc.property(rowsArb, finite(-1000, 1000), ({ n, rows }, c) => {
        const m = rows.length;
        const x = b.alloc(m * n);
        const xs = b.alloc(m * n);
        x.set(rows.flat());
        xs.set(rows.flat().map((v) => v + c));
        const y = b.alloc(m * n);
        const ys = b.alloc(m * n);
        b.softmaxRows(m, n, x, y);
        b.softmaxRows(m, n, xs, ys);
        // float32 rounding of x + c moves each logit by up to ~|c|·6e-8.
        const tol = 1e-5 + Math.abs(c) * 2e-7;
        for (let i = 0; i < m * n; i++) {
          expect(Number.isFinite(ys[i])).toBe(true);
          expect(Math.abs((ys[i] as number) - (y[i] as number))).toBeLessThan(tol);
        }
      }),
      { numRuns: 200, seed: 2 },
    );
  });

  it('a softmax output layer gives rows summing to 1 in predictBatch', () => {
    const net = new NeuralNetwork({
      layers: [3, { units: 5, activation: 'softmax' }],
      seed: 1,
      backend: testBackend(),
    });
    const out = net.predictBatch(randomRows(new Rng(1), 7, 3, -10, 10));
    for (let r = 0; r < out.rows; r++) {
      const s = out.data.subarray(r * 5, r * 5 + 5).reduce((a, v) => a + v, 0);
      expect(s).toBeCloseTo(1, 5);
    }
  });
});

describe('elementwise activations', () => {
  it('every activation record maps finite inputs to finite outputs and its df to finite values', () => {
    for (const name of ACTIVATION_NAMES.filter((a) => a !== 'softmax')) {
      const act = getActivation(name);
      fc.assert(
        fc.property(finite(-80, 80), (x) => {
          const y = act.f(x);
          expect(Number.isFinite(y), `${name}(${String(x)})`).toBe(true);
          expect(Number.isFinite(act.df(x, y)), `${name}'(${String(x)})`).toBe(true);
        }),
        { numRuns: 100, seed: 3 },
      );
    }
  });

  it('the backend kernels agree with the records (native ids vs scalar f/df)', () => {
    const b = testBackend();
    const xs = Float32Array.from({ length: 67 }, (_, i) => (i - 33) / 5);
    for (const name of ACTIVATION_NAMES.filter((a) => a !== 'softmax')) {
      const act = getActivation(name, name === 'leakyRelu' ? 0.2 : name === 'elu' ? 0.8 : undefined);
      const x = b.alloc(xs.length);
      x.set(xs);
      const y = b.alloc(xs.length);
      const dx = b.alloc(xs.length);
      const dy = b.alloc(xs.length).fill(1);
      b.actForward(act, xs.length, x, y);
      b.actBackward(act, xs.length, x, y, dy, dx);
      for (let i = 0; i < xs.length; i++) {
        const xi = x[i] as number;
        expect(y[i], `${name}(${String(xi)})`).toBeCloseTo(act.f(xi), 5);
        expect(dx[i], `${name}'(${String(xi)})`).toBeCloseTo(act.df(xi, act.f(xi)), 4);
      }
    }
  });

  it('NaN propagates through relu-family activations instead of being hidden', () => {
    for (const name of ['relu', 'leakyRelu', 'elu', 'linear'] as const) expect(getActivation(name).f(NaN)).toBeNaN();
  });

  it('softplus does not overflow and leakyRelu/elu use their alpha', () => {
    expect(getActivation('softplus').f(1000)).toBe(1000);
    expect(getActivation('softplus').f(-1000)).toBe(0);
    expect(getActivation('leakyRelu').f(-1)).toBeCloseTo(-0.01, 12);
    expect(getActivation('leakyRelu', 0.3).f(-2)).toBeCloseTo(-0.6, 12);
    expect(getActivation('elu', 2).f(-1)).toBeCloseTo(2 * (Math.exp(-1) - 1), 12);
    // gelu is the tanh approximation: gelu(1) = 0.5·(1 + tanh(√(2/π)·1.044715)) = 0.841192
    expect(getActivation('gelu').f(1)).toBeCloseTo(0.841192, 6);
  });
});

describe('losses', () => {
  const regression: LossName[] = ['mse', 'ssr', 'mae', 'huber'];

  it('every loss term is >= 0 on valid inputs, and 0 when p = t (regression)', () => {
    for (const name of regression) {
      const loss = getLoss(name);
      fc.assert(
        fc.property(finite(-1e3, 1e3), finite(-1e3, 1e3), (p, t) => {
          expect(loss.f(p, t)).toBeGreaterThanOrEqual(0);
          expect(loss.f(t, t)).toBe(0);
        }),
        { numRuns: 200, seed: 4 },
      );
    }
    for (const name of ['binaryCrossEntropy', 'categoricalCrossEntropy'] as const) {
      const loss = getLoss(name);
      fc.assert(
        fc.property(finite(0, 1), finite(0, 1), (p, t) => {
          expect(loss.f(p, t)).toBeGreaterThanOrEqual(0);
        }),
        { numRuns: 200, seed: 5 },
      );
      // p = t ∈ {0, 1}: zero up to the 1e-7 clamp.
      for (const t of [0, 1]) expect(loss.f(t, t)).toBeLessThan(2e-7);
    }
  });

  it('network losses are >= 0 and (regression) 0 when predictions equal targets', () => {
    const net = new NeuralNetwork({
      layers: [2, 3, { units: 2, activation: 'linear' }],
      seed: 1,
      backend: testBackend(),
    });
    const x = randomRows(new Rng(2), 5, 2);
    const p = net.predictBatch(x);
    const t = Array.from({ length: 5 }, (_, r) => Array.from(p.data.subarray(r * 2, r * 2 + 2)));
    for (const loss of regression) expect(net.evaluate(x, t, { loss }).loss).toBe(0);
  });

  for (const name of LOSS_NAMES) {
    it(`${name}: evaluate uses the documented reduction`, () => {
      const rng = new Rng(7);
      const out = name === 'categoricalCrossEntropy' ? 'softmax' : 'sigmoid';
      const net = new NeuralNetwork({ layers: [3, 4, { units: 3, activation: out }], seed: 2, backend: testBackend() });
      const x = randomRows(rng, 6, 3);
      const t = name === 'categoricalCrossEntropy' ? probabilityRows(rng, 6, 3) : randomRows(rng, 6, 3, 0, 1);
      const pm = net.predictBatch(x);
      const p = Array.from({ length: 6 }, (_, r) => Array.from(pm.data.subarray(r * 3, r * 3 + 3)));
      expect(net.evaluate(x, t, { loss: name }).loss).toBeCloseTo(LOSS_REFERENCE[name](p, t), 5);
    });
  }

  it('unknown names list the valid ones', () => {
    // The registries' own lists, so a new entry does not break this test.
    const e = expectCode(() => getLoss('crossEntropy'), 'INVALID_OPTION');
    expect(e.message).toContain(`expected one of: ${LOSS_NAMES.join(', ')}`);
    const a = expectCode(() => getActivation('noSuchActivation'), 'INVALID_OPTION');
    expect(a.message).toContain(`expected one of: ${ACTIVATION_NAMES.join(', ')}`);
  });
});
