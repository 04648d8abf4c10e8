import { describe, expect, it } from 'vitest';
import { Rng, autoFit, baselinePredictions, matrix, planTraining, type Matrix } from '../../src/index.js';
import { gaussianClusters } from '../../src/data/index.js';
import { classOf, holdoutRows, pickRows } from '../../src/model/holdout.js';
import { accuracyScore, r2Score } from '../../src/metrics/index.js';
import { testBackend } from '../helpers/backends.js';
import { expectCode, expectRejectCode } from '../helpers/errors.js';

/** y = 1000 + 300·x0 − 200·x1 + noise: targets far from unit scale, as prices or counts are. */
function linearTable(rows: number, seed: number): { x: Matrix; y: Matrix } {
  const rng = new Rng(seed);
  const x = matrix(rows, 2);
  const y = matrix(rows, 1);
  for (let r = 0; r < rows; r++) {
    const a = rng.normal();
    const b = rng.normal();
    x.data.set([a, b], r * 2);
    y.data[r] = 1000 + 300 * a - 200 * b + 10 * rng.normal();
  }
  return { x, y };
}

describe('planTraining: settings from the table shape', () => {
  it('grows the width with the inputs, the batch with the rows, and holds out a share for validation', () => {
    const small = planTraining({ rows: 150, inputs: 4, outputs: 3, task: 'classification' });
    const wide = planTraining({ rows: 20000, inputs: 200, outputs: 10, task: 'classification' });
    expect(wide.hidden[0]).toBeGreaterThan(small.hidden[0]!);
    expect(wide.batchSize).toBeGreaterThan(small.batchSize);
    expect(small.validationFraction).toBeGreaterThan(0);
    // At least 30 validation rows when there are enough rows; never more than a quarter.
    expect(small.validationFraction * 150).toBeGreaterThanOrEqual(30);
    expect(wide.validationFraction).toBeLessThanOrEqual(0.25);
    expect(small.reason).toContain('150 rows × 4 inputs');
    // Too few rows to hold any out: train the fixed number of epochs instead.
    expect(planTraining({ rows: 20, inputs: 2, outputs: 1, task: 'regression' }).validationFraction).toBe(0);
  });

  it('keeps what the caller fixes, and checks it', () => {
    const p = planTraining(
      { rows: 500, inputs: 8, outputs: 1, task: 'regression' },
      { hidden: [7, 5], weightDecay: 0.01, learningRate: 0.02, refit: false },
    );
    expect(p).toMatchObject({ hidden: [7, 5], weightDecay: 0.01, learningRate: 0.02, refit: false });
    const shape = { rows: 500, inputs: 8, outputs: 1, task: 'regression' } as const;
    expectCode(() => planTraining(shape, { weightDecay: -1 }), 'INVALID_OPTION', /weightDecay/);
    expectCode(() => planTraining(shape, { hidden: [0] }), 'INVALID_OPTION', /hidden\[0\]/);
    expectCode(() => planTraining({ ...shape, rows: 0 }), 'INVALID_OPTION', /rows/);
    expectCode(() => planTraining({ ...shape, task: 'ranking' as 'regression' }), 'INVALID_OPTION', /task/);
  });
});

describe('validation rows and baselines', () => {
  it('holds out each class in proportion, disjoint from the rest, covering every row', () => {
    const y = matrix(100, 3);
    for (let r = 0; r < 100; r++) y.data[r * 3 + (r < 70 ? 0 : r < 90 ? 1 : 2)] = 1;
    const { fit, held } = holdoutRows(y, 0.2, true, new Rng(3));
    expect([...fit, ...held].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    const count = (rows: Int32Array, k: number): number => [...rows].filter((r) => classOf(y, r) === k).length;
    expect([0, 1, 2].map((k) => count(held, k))).toEqual([14, 4, 2]);
  });

  it('the baseline predicts the most frequent training class, or the training mean', () => {
    const train = matrix(4, 1, Float32Array.from([0, 1, 1, 1]));
    const test = matrix(3, 1, Float32Array.from([1, 0, 1]));
    expect(accuracyScore(test, baselinePredictions(train, test, 'classification'))).toBeCloseTo(2 / 3);
    const yTrain = matrix(2, 1, Float32Array.from([10, 20]));
    const yTest = matrix(2, 1, Float32Array.from([15, 25]));
    expect([...baselinePredictions(yTrain, yTest, 'regression').data]).toEqual([15, 15]);
    // R² of predicting 15 for [15, 25]: 1 − (0 + 100) / 50.
    expect(r2Score(yTest, baselinePredictions(yTrain, yTest, 'regression'))).toBeCloseTo(-1);
  });
});

describe('autoFit', () => {
  it('learns a regression in the targets own units (the standardisation is folded into the output layer)', async () => {
    const train = linearTable(400, 1);
    const test = linearTable(200, 2);
    const r = await autoFit(train.x, train.y, { task: 'regression', seed: 1, backend: testBackend() });
    const p = r.network.predictBatch(test.x);
    expect(r2Score(test.y, p)).toBeGreaterThan(0.97);
    expect(r.validation?.metric).toBe('r2');
    expect(r.validation?.score).toBeGreaterThan(r.validation?.baseline ?? Infinity);
    // Refit on every row for the validated run's best epoch count.
    expect(r.epochs).toBe(r.history.bestEpoch + 1);
    expect(r.refitHistory?.epochs).toBe(r.epochs);
    expect(r.history.valLoss?.length).toBe(r.history.epochs);
  });

  it('classifies, beats the majority class on its validation rows, and is reproducible from its seed', async () => {
    const ds = gaussianClusters({ n: 300, classes: 3, seed: 4 });
    const options = { task: 'classification', seed: 5, backend: testBackend(), maxEpochs: 60 } as const;
    const a = await autoFit(ds.x, ds.y, options);
    const b = await autoFit(ds.x, ds.y, options);
    expect([...a.network.getWeights()]).toEqual([...b.network.getWeights()]);
    expect(a.validation?.metric).toBe('accuracy');
    expect(a.validation?.score).toBeGreaterThan(0.9);
    expect(a.validation?.baseline).toBeLessThan(0.5);
    expect(accuracyScore(ds.y, a.network.predictBatch(ds.x))).toBeGreaterThan(0.9);
  });

  it('without refit keeps the early-stopped network: the best validation epoch, not the last', async () => {
    const train = linearTable(200, 3);
    const r = await autoFit(train.x, train.y, {
      task: 'regression',
      seed: 2,
      backend: testBackend(),
      refit: false,
      validationFolds: 1, // one held-out part, so the kept network is the one validated on it
      maxEpochs: 60,
      patience: 60,
      learningRate: 0.05,
    });
    expect(r.refitHistory).toBeUndefined();
    const valLoss = r.history.valLoss ?? [];
    expect(r.history.epochs).toBeGreaterThan(r.history.bestEpoch + 1);
    // The validation rows are the first draw of the seed's generator; the network's squared error
    // on them, in standardised units, is the best epoch's validation loss.
    const { held } = holdoutRows(train.y, r.plan.validationFraction, false, new Rng(2));
    const ys = [...train.y.data];
    const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
    const variance = ys.reduce((a, b) => a + (b - mean) ** 2, 0) / ys.length;
    const p = r.network.predictBatch(pickRows(train.x, held));
    const mse = [...held].reduce((a, row, i) => a + (p.data[i]! - train.y.data[row]!) ** 2, 0) / held.length;
    expect(mse / variance).toBeCloseTo(Math.min(...valLoss), 3);
  });

  it('takes class and sample weights: balanced weights equal their per-row weights, and rare classes are found more often', async () => {
    // Two overlapping clusters, 9 rows of class 0 for each of class 1.
    const rng = new Rng(7);
    const rows = 400;
    const x = matrix(rows, 2);
    const y = matrix(rows, 2);
    for (let r = 0; r < rows; r++) {
      const c = r % 10 === 0 ? 1 : 0;
      x.data.set([rng.normal() + 1.2 * c, rng.normal() + 1.2 * c], r * 2);
      y.data[r * 2 + c] = 1;
    }
    const fixed = {
      task: 'classification',
      seed: 3,
      backend: testBackend(),
      validationFraction: 0,
      maxEpochs: 30,
    } as const;
    const plain = await autoFit(x, y, fixed);
    const balanced = await autoFit(x, y, { ...fixed, classWeight: 'balanced' });
    // scikit-learn's n / (classes · count) per row, given as sample weights: the same network.
    const perRow = Array.from({ length: rows }, (_, r) => (r % 10 === 0 ? rows / (2 * 40) : rows / (2 * 360)));
    const weighted = await autoFit(x, y, { ...fixed, sampleWeight: perRow });
    expect([...weighted.network.getWeights()]).toEqual([...balanced.network.getWeights()]);
    const found = (net: typeof plain.network): number => {
      const p = net.predictBatch(x);
      return Array.from({ length: rows }, (_, r) => r).filter((r) => r % 10 === 0 && classOf(p, r) === 1).length;
    };
    expect(found(balanced.network)).toBeGreaterThan(found(plain.network));
    // With validation parts each run weighs its own training rows; the fit still completes.
    const validated = await autoFit(x, y, { ...fixed, validationFraction: 0.2, classWeight: 'balanced' });
    expect(validated.validation?.rows).toBe(80);
  });

  it('checks its options strictly: unknown keys, class weights for a regression, malformed weights', async () => {
    const x = [[0], [1], [2], [3]];
    const y = [
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 1],
    ];
    const e = await expectRejectCode(
      autoFit(x, y, { task: 'classification', clasWeight: 'balanced' } as never),
      'INVALID_OPTION',
    );
    expect(e.message).toMatch(/unknown option `clasWeight` in autoFit options; did you mean `classWeight`\?/);
    const typo = await expectRejectCode(
      autoFit(x, y, { task: 'classification', classWeight: 'balancd' as never }),
      'INVALID_OPTION',
    );
    expect(typo.message).toMatch(/did you mean 'balanced'\?/);
    await expectRejectCode(
      autoFit(x, [[1], [2], [3], [4]], { task: 'regression', classWeight: 'balanced' }),
      'INVALID_OPTION',
    );
    await expectRejectCode(autoFit(x, y, { task: 'classification', sampleWeight: [1, 1] }), 'SHAPE_MISMATCH');
    await expectRejectCode(autoFit(x, y, { task: 'classification', sampleWeight: [1, 1, -1, 1] }), 'INVALID_OPTION');
  });

  it('rejects mismatched or empty data with a NeuriteError', async () => {
    await expectRejectCode(autoFit([[1], [2]], [[1]], { task: 'regression' }), 'SHAPE_MISMATCH');
    await expectRejectCode(autoFit(matrix(0, 2), matrix(0, 1), { task: 'regression' }), 'EMPTY_DATA');
    await expectRejectCode(autoFit([[1]], [[1]], { task: 'regression', learningRate: -1 }), 'INVALID_OPTION');
  });
});
