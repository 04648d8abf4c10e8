import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { NeuralNetwork, Rng, matrix, type Matrix } from '../../src/index.js';
import { iris } from '../../src/data/index.js';
import { classWeights } from '../../src/model/sample-weight.js';
import { testBackend } from '../helpers/backends.js';
import { expectRejectCode } from '../helpers/errors.js';
import { randomRows } from '../helpers/random.js';

const net = (seed = 3): NeuralNetwork =>
  new NeuralNetwork({
    layers: [3, { units: 4, activation: 'tanh' }, { units: 2, activation: 'linear' }],
    seed,
    backend: testBackend(),
  });

function problem(rows: number): { x: number[][]; y: number[][] } {
  const rng = new Rng(5);
  const x = randomRows(rng, rows, 3);
  return { x, y: x.map((r) => [r[0]! * r[1]!, Math.cos(r[2]!)]) };
}

const close = (a: Float32Array, b: Float32Array, digits: number): void => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, digits));
};

describe('fit sampleWeight', () => {
  // Full-batch SGD: a weight of 2 on a row is the same gradient as the row twice. The loss is a
  // mean over rows (Keras), so for mse the duplicated set's mean is over n + 1 rows: the weighted
  // run takes the rate scaled by n / (n + 1). ssr is a plain sum, so there the rates are equal.
  for (const loss of ['ssr', 'mse'] as const) {
    it(`a weight of 2 equals the row duplicated (full batch, ${loss})`, async () => {
      const { x, y } = problem(6);
      const n = x.length;
      const lr = 0.05;
      const weighted = net();
      const duplicated = net();
      const weights = x.map((_r, i) => (i === 2 ? 2 : 1));
      await weighted.fit(x, y, {
        epochs: 5,
        batchSize: 100,
        shuffle: false,
        loss,
        sampleWeight: weights,
        optimizer: { type: 'sgd', learningRate: loss === 'ssr' ? lr : (lr * n) / (n + 1) },
      });
      await duplicated.fit([...x, x[2]!], [...y, y[2]!], {
        epochs: 5,
        batchSize: 100,
        shuffle: false,
        loss,
        optimizer: { type: 'sgd', learningRate: lr },
      });
      close(weighted.getWeights(), duplicated.getWeights(), 5);
      // And the weights changed something: unweighted training ends elsewhere.
      const plain = net();
      await plain.fit(x, y, {
        epochs: 5,
        batchSize: 100,
        shuffle: false,
        loss,
        optimizer: { type: 'sgd', learningRate: lr },
      });
      expect(Math.max(...plain.getWeights().map((v, i) => Math.abs(v - weighted.getWeights()[i]!)))).toBeGreaterThan(
        1e-4,
      );
    });
  }

  it('reports the weighted loss: Σ w·loss(row) / rows, as Keras does', async () => {
    const { x, y } = problem(7);
    const w = [0, 1, 2, 0.5, 3, 1, 0.25];
    const model = net();
    const perRow = x.map((r, i) => model.evaluate([r], [y[i]!]).loss);
    const expected = perRow.reduce((s, l, i) => s + l * w[i]!, 0) / x.length;
    const h = await model.fit(x, y, {
      epochs: 1,
      batchSize: 3,
      sampleWeight: w,
      optimizer: { type: 'sgd', learningRate: 0 },
    });
    expect(h.loss[0]).toBeCloseTo(expected, 5);
  });

  it('all-zero weights leave the weights unchanged', async () => {
    const { x, y } = problem(5);
    const model = net();
    const before = model.getWeights();
    await model.fit(x, y, { epochs: 3, sampleWeight: new Float32Array(5) });
    expect(model.getWeights()).toEqual(before);
  });

  it('refuses bad weights with a NeuriteError naming what is wrong', async () => {
    const { x, y } = problem(4);
    const m = net();
    const e1 = await expectRejectCode(m.fit(x, y, { sampleWeight: [1, 1, -1, 1] }), 'INVALID_OPTION');
    expect(e1.message).toMatch(/sampleWeight\[2\] must be a finite number >= 0, got -1/);
    const e2 = await expectRejectCode(m.fit(x, y, { sampleWeight: [1, 1, NaN, 1] }), 'INVALID_OPTION');
    expect(e2.message).toMatch(/got NaN/);
    const e3 = await expectRejectCode(m.fit(x, y, { sampleWeight: [1, 1] }), 'SHAPE_MISMATCH');
    expect(e3.message).toMatch(/one weight per row of inputs \(4\), got 2/);
    const e4 = await expectRejectCode(
      m.fit(x, y, { sampleWeight: [1, '2', 1, 1] as unknown as number[] }),
      'INVALID_OPTION',
    );
    expect(e4.message).toMatch(/got the string "2"/);
    await expectRejectCode(m.fit(x, y, { sampleWeight: 2 as unknown as number[] }), 'INVALID_OPTION');
    await expectRejectCode(m.fit(x, y, { sampleWeight: null as unknown as number[] }), 'INVALID_OPTION');
  });
});

// Iris made imbalanced: all 50 setosa, 12 versicolor, 4 virginica.
function imbalancedIris(): { x: Matrix; y: Matrix; labels: number[] } {
  const ds = iris();
  const keep = [...Array(50).keys(), ...Array.from({ length: 12 }, (_v, i) => 50 + i), 100, 101, 102, 103];
  const x = matrix(keep.length, 4);
  const y = matrix(keep.length, 3);
  keep.forEach((r, i) => {
    x.data.set(ds.x.data.subarray(r * 4, r * 4 + 4), i * 4);
    y.data.set(ds.y.data.subarray(r * 3, r * 3 + 3), i * 3);
  });
  return { x, y, labels: keep.map((r) => Math.floor(r / 50)) };
}

function sklearnBalanced(labels: number[]): number[] | undefined {
  const script = `import json, sys, numpy as np
from sklearn.utils.class_weight import compute_class_weight
y = np.array(json.loads(sys.argv[1]))
print(json.dumps(compute_class_weight('balanced', classes=np.unique(y), y=y).tolist()))`;
  try {
    return JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', script, JSON.stringify(labels)], { encoding: 'utf8' }),
    ) as number[];
  } catch (e) {
    if (process.env['CI'] === 'true') throw e;
    return undefined;
  }
}

describe('fit classWeight', () => {
  it("'balanced' gives scikit-learn's compute_class_weight on an imbalanced table", (ctx) => {
    const { y, labels } = imbalancedIris();
    const expected = sklearnBalanced(labels);
    if (!expected) return ctx.skip();
    const ours = Array.from(classWeights('balanced', y));
    ours.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
    // n / (k · count): 66 / (3 · 4) for the 4 virginica.
    expect(ours[2]).toBeCloseTo(66 / 12, 12);
  });

  it("'balanced' on one 0/1 output counts the two classes", () => {
    const y = matrix(5, 1, Float32Array.from([1, 0, 0, 0, 0]));
    expect(Array.from(classWeights('balanced', y))).toEqual([5 / 8, 5 / 2]);
  });

  it('classWeight trains exactly as the same weights given per row, and shifts the decision to the rare class', async () => {
    const { x, y, labels } = imbalancedIris();
    const make = (): NeuralNetwork =>
      new NeuralNetwork({
        layers: [4, { units: 3, activation: 'softmax' }],
        loss: 'categoricalCrossEntropy',
        seed: 2,
        backend: testBackend(),
      });
    const perClass = classWeights('balanced', y);
    const opts = { epochs: 20, batchSize: 8, optimizer: { type: 'adam', learningRate: 0.02 } } as const;
    const a = make();
    const b = make();
    const plain = make();
    await a.fit(x, y, { ...opts, classWeight: 'balanced' });
    await b.fit(x, y, { ...opts, sampleWeight: labels.map((c) => perClass[c]!) });
    await plain.fit(x, y, opts);
    expect(a.getWeights()).toEqual(b.getWeights());
    // The mean predicted probability of the rare class rises when it is weighted up.
    const meanP = (m: NeuralNetwork): number => {
      const p = m.predictBatch(x);
      let s = 0;
      for (let r = 0; r < p.rows; r++) s += p.data[r * 3 + 2]!;
      return s / p.rows;
    };
    expect(meanP(a)).toBeGreaterThan(meanP(plain));
  });

  it('an array or a record per class; classes left out of a record weigh 1', async () => {
    const { x, y, labels } = imbalancedIris();
    expect(Array.from(classWeights([1, 2, 3], y))).toEqual([1, 2, 3]);
    expect(Array.from(classWeights({ 2: 5 }, y))).toEqual([1, 1, 5]);
    const make = (): NeuralNetwork =>
      new NeuralNetwork({ layers: [4, { units: 3, activation: 'softmax' }], loss: 'categoricalCrossEntropy', seed: 4 });
    const a = make();
    const b = make();
    await a.fit(x, y, { epochs: 3, classWeight: { 2: 5 }, sampleWeight: labels.map(() => 2) });
    await b.fit(x, y, { epochs: 3, sampleWeight: labels.map((c) => (c === 2 ? 10 : 2)) });
    expect(a.getWeights()).toEqual(b.getWeights());
  });

  it('refuses bad class weights and non-class targets', async () => {
    const { x, y } = imbalancedIris();
    const m = new NeuralNetwork({ layers: [4, 3], seed: 1 });
    const bad = async (cw: unknown, re: RegExp, code: 'INVALID_OPTION' | 'INVALID_DATA' = 'INVALID_OPTION') => {
      const e = await expectRejectCode(m.fit(x, y, { classWeight: cw as 'balanced' }), code);
      expect(e.message).toMatch(re);
    };
    await bad([1, 2], /one weight per class \(3\), got an array of length 2/);
    await bad({ 3: 1 }, /key "3", but the classes are 0 to 2/);
    await bad({ 1: -2 }, /classWeight\[1\] must be a finite number >= 0, got -2/);
    await bad('balance', /classWeight must be 'balanced'/);
    await bad(7, /classWeight must be 'balanced'/);
    const one = new NeuralNetwork({ layers: [1, 1], seed: 1 });
    const e = await expectRejectCode(one.fit([[1], [2]], [[0.5], [3]], { classWeight: 'balanced' }), 'INVALID_DATA');
    expect(e.message).toMatch(/must be 0 or 1, got 3 at row 1/);
  });
});
