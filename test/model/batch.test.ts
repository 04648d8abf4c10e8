import { describe, expect, it } from 'vitest';
import { NeuralNetwork, Rng } from '../../src/index.js';
import { testBackend } from '../helpers/backends.js';
import { expectCode, expectRejectCode } from '../helpers/errors.js';
import { randomRows } from '../helpers/random.js';

describe('predictBatch and evaluate over many rows (processed in chunks)', () => {
  const rng = new Rng(8);
  const x = randomRows(rng, 2500, 4);
  const y = randomRows(rng, 2500, 3, 0, 1);
  const net = new NeuralNetwork({
    layers: [4, { units: 6, activation: 'gelu' }, { units: 3, activation: 'sigmoid' }],
    seed: 3,
    backend: testBackend(),
  });

  it('predictBatch equals predict row by row', () => {
    const out = net.predictBatch(x);
    expect(out.rows).toBe(2500);
    expect(out.cols).toBe(3);
    for (const r of [0, 1023, 1024, 2047, 2048, 2499]) {
      // Bit equality is not promised: SIMD backends may sum in a different order for different batch sizes.
      const single = net.predict(x[r]!);
      out.data.subarray(r * 3, r * 3 + 3).forEach((v, j) => expect(v).toBeCloseTo(single[j]!, 6));
    }
  });

  it('evaluate weights every chunk by its rows (mse, ssr, bce, accuracy)', () => {
    const p = net.predictBatch(x).data;
    let se = 0;
    let bce = 0;
    let correct = 0;
    for (let i = 0; i < p.length; i++) {
      const t = y[Math.floor(i / 3)]![i % 3]!;
      const v = p[i]!;
      se += (v - t) ** 2;
      bce += -(t * Math.log(v) + (1 - t) * Math.log(1 - v));
    }
    for (let r = 0; r < 2500; r++) {
      const row = Array.from(p.subarray(r * 3, r * 3 + 3));
      const am = (a: number[]): number => a.indexOf(Math.max(...a));
      if (am(row) === am(y[r]!)) correct++;
    }
    const mse = net.evaluate(x, y, { loss: 'mse', metrics: ['accuracy', 'mae'] });
    expect(mse.loss).toBeCloseTo(se / 7500, 6);
    expect(mse.accuracy).toBe(correct / 2500);
    // ssr per row: each row's sum of squared residuals, averaged over the 2500 rows.
    expect(net.evaluate(x, y, { loss: 'ssr' }).loss / (se / 2500)).toBeCloseTo(1, 5);
    expect(net.evaluate(x, y, { loss: 'binaryCrossEntropy' }).loss).toBeCloseTo(bce / 7500, 5);
  });

  it('a Matrix and nested arrays give the same predictions', () => {
    const m = net.predictBatch(x);
    const again = net.predictBatch({ rows: 2500, cols: 4, data: Float32Array.from(x.flat()) });
    expect(Array.from(again.data)).toEqual(Array.from(m.data));
    const f32rows = x.map((r) => Float32Array.from(r));
    expect(Array.from(net.predictBatch(f32rows).data)).toEqual(Array.from(m.data));
  });

  it('a NaN or Infinity anywhere in a Matrix is named by row and column, even in a later chunk', async () => {
    const data = Float32Array.from(x.flat());
    const targets = { rows: 2500, cols: 3, data: Float32Array.from(y.flat()) };
    for (const [r, c, bad] of [
      [0, 0, Number.NaN],
      [1500, 2, Number.POSITIVE_INFINITY],
      [2499, 3, Number.NEGATIVE_INFINITY],
    ] as const) {
      const keep = data[r * 4 + c]!;
      data[r * 4 + c] = bad;
      const m = { rows: 2500, cols: 4, data };
      const message = `inputs[${String(r)}][${String(c)}] must be a finite number, got ${String(bad)}`;
      for (const run of [() => net.predictBatch(m), () => net.activations(m), () => net.evaluate(m, targets)]) {
        expect(expectCode(run, 'NON_FINITE').message).toBe(message);
      }
      data[r * 4 + c] = keep;
    }
    // fit checks a Matrix through its backend (in blocks of 16,384 values on wasm): a later block too.
    const big = { rows: 6000, cols: 4, data: Float32Array.from({ length: 24000 }, (_v, i) => x[i % 2500]![i % 4]!) };
    const bigTargets = { rows: 6000, cols: 3, data: new Float32Array(18000) };
    const before = net.getWeights();
    for (const [r, c] of [
      [0, 1],
      [5000, 3],
    ] as const) {
      big.data[r * 4 + c] = Number.NaN;
      const e = await expectRejectCode(net.fit(big, bigTargets, { epochs: 1 }), 'NON_FINITE');
      expect(e.message).toBe(`inputs[${String(r)}][${String(c)}] must be a finite number, got NaN`);
      big.data[r * 4 + c] = 0;
    }
    bigTargets.data[5999 * 3 + 2] = Number.POSITIVE_INFINITY;
    const e = await expectRejectCode(net.fit(big, bigTargets, { epochs: 1 }), 'NON_FINITE');
    expect(e.message).toBe('targets[5999][2] must be a finite number, got Infinity');
    expect(Array.from(net.getWeights())).toEqual(Array.from(before));
    targets.data[1900 * 3 + 1] = Number.NaN;
    expect(expectCode(() => net.evaluate({ rows: 2500, cols: 4, data }, targets), 'NON_FINITE').message).toBe(
      'targets[1900][1] must be a finite number, got NaN',
    );
  });
});
