import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NeuralNetwork, NeuriteError, matrix, type FitOptions, type NetworkOptions } from '../../src/index.js';
import { assertFinite } from '../../src/core/matrix.js';
import { testBackend } from '../helpers/backends.js';
import { catchNeurite, expectCode, expectRejectCode } from '../helpers/errors.js';

const net3 = (): NeuralNetwork => new NeuralNetwork({ layers: [3, 4, 2], seed: 1, backend: testBackend() });
const X = [
  [1, 2, 3],
  [4, 5, 6],
];
const Y = [
  [0, 1],
  [1, 0],
];
const bad = (o: unknown): NetworkOptions => o as NetworkOptions;

describe('bad inputs raise NeuriteError with the right code', () => {
  it('wrong input/target length → SHAPE_MISMATCH (any wrong length)', async () => {
    const net = net3();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }).filter((n) => n !== 3),
        (n) => {
          const v = new Array<number>(n).fill(0.5);
          expectCode(() => net.predict(v), 'SHAPE_MISMATCH', new RegExp(`must have 3 values, got ${String(n)}`));
          expectCode(() => net.train(v, [0, 1]), 'SHAPE_MISMATCH');
          if (n > 0) expectCode(() => net.predictBatch([v, v]), 'SHAPE_MISMATCH', /inputs\[0\]/);
        },
      ),
      { numRuns: 20, seed: 1 },
    );
    expectCode(() => net.train([1, 2, 3], [1]), 'SHAPE_MISMATCH', /target/);
    expectCode(
      () =>
        net.evaluate(X, [
          [1, 2, 3],
          [1, 2, 3],
        ]),
      'SHAPE_MISMATCH',
      /targets/,
    );
    expectCode(() => net.evaluate(X, [[1, 0]]), 'SHAPE_MISMATCH', /2 rows.*1/);
    await expectRejectCode(net.fit(X, [[1, 0]]), 'SHAPE_MISMATCH');
    await expectRejectCode(net.fit(X, [[1], [0]]), 'SHAPE_MISMATCH');
    expectCode(() => net.predictBatch(matrix(2, 4)), 'SHAPE_MISMATCH', /3 columns.*4/);
    expectCode(() => net.predict('abc' as unknown as number[]), 'SHAPE_MISMATCH');
    // Rows given where one sample goes are named as rows, with the batch method to use.
    expectCode(
      () => net.predict([[1, 2, 3]] as unknown as number[]),
      'SHAPE_MISMATCH',
      /one sample.*1 rows.*predictBatch/,
    );
    expectCode(
      () => net.train([[1, 2, 3]] as unknown as number[], [1, 0]),
      'SHAPE_MISMATCH',
      /input must be one sample/,
    );
    // A hand-built Matrix whose data is shorter or longer than rows × cols.
    net.predictBatch([
      [9, 9, 9],
      [9, 9, 9],
      [9, 9, 9],
    ]);
    expectCode(() => net.predictBatch({ rows: 3, cols: 3, data: new Float32Array(2) }), 'SHAPE_MISMATCH', /3×3/);
    expectCode(() => net.predictBatch({ rows: 1, cols: 3, data: new Float32Array(6) }), 'SHAPE_MISMATCH');
    await expectRejectCode(net.fit({ rows: 2, cols: 3, data: new Float32Array(3) }, Y), 'SHAPE_MISMATCH');
    expectCode(() => net.predictBatch([1, 2, 3] as unknown as number[][]), 'SHAPE_MISMATCH');
  });

  it('ragged rows → SHAPE_MISMATCH naming the row', async () => {
    const net = net3();
    const e = expectCode(
      () =>
        net.predictBatch([
          [1, 2, 3],
          [1, 2],
          [1, 2, 3],
        ]),
      'SHAPE_MISMATCH',
      /inputs\[1\]/,
    );
    expect(e.details).toMatchObject({ sample: 1 });
    await expectRejectCode(
      net.fit(
        [
          [1, 2, 3],
          [1, 2, 3, 4],
        ],
        Y,
      ),
      'SHAPE_MISMATCH',
    );
    await expectRejectCode(net.fit(X, [[0, 1], [1]]), 'SHAPE_MISMATCH');
    expectCode(() => net.predictBatch([[1, 2, 3], null] as unknown as number[][]), 'SHAPE_MISMATCH');
  });

  it('empty data (0 rows) → EMPTY_DATA; 0 columns → SHAPE_MISMATCH or EMPTY_DATA, never a crash', async () => {
    const net = net3();
    expectCode(() => net.predictBatch([]), 'EMPTY_DATA');
    expectCode(() => net.predictBatch(matrix(0, 3)), 'EMPTY_DATA');
    expectCode(() => net.evaluate([], []), 'EMPTY_DATA');
    await expectRejectCode(net.fit([], []), 'EMPTY_DATA');
    await expectRejectCode(net.fit(matrix(0, 3), matrix(0, 2)), 'EMPTY_DATA');
    // 0-column rows for a 3-input network: the width is wrong.
    expectCode(() => net.predictBatch([[], []]), 'SHAPE_MISMATCH');
    expectCode(() => net.predictBatch(matrix(2, 0)), 'SHAPE_MISMATCH');
    expectCode(() => net.predict([]), 'SHAPE_MISMATCH');
    // validationSplit that leaves no training rows.
    await expectRejectCode(net.fit(X, Y, { validationSplit: 1 }), 'EMPTY_DATA');
  });

  it('NaN/Infinity in data → NON_FINITE naming the position', async () => {
    const net = net3();
    for (const v of [NaN, Infinity, -Infinity]) {
      const e = expectCode(() => net.predict([1, v, 3]), 'NON_FINITE', /input\[1\]/);
      expect(e.details).toMatchObject({ index: 1 });
      expectCode(
        () =>
          net.predictBatch([
            [1, 2, 3],
            [1, 2, v],
          ]),
        'NON_FINITE',
        /inputs\[1\]\[2\]/,
      );
      expectCode(() => net.train([1, 2, 3], [v, 0]), 'NON_FINITE');
      await expectRejectCode(
        net.fit(X, [
          [0, 1],
          [v, 0],
        ]),
        'NON_FINITE',
      );
      expectCode(() => net.predictBatch(matrix(1, 3, new Float32Array([0, v, 0]))), 'NON_FINITE', /\[0\]\[1\]/);
    }
    expectCode(() => net.predict([1, '2', 3] as unknown as number[]), 'NON_FINITE');
  });

  it('a non-finite value anywhere in float32 data (vector part or tail of the fast check) is named', async () => {
    const net = net3();
    const y = matrix(7, 2, new Float32Array(14).fill(0.5));
    for (const v of [NaN, Infinity, -Infinity]) {
      for (let i = 0; i < 21; i++) {
        const data = Float32Array.from({ length: 21 }, (_, j) => j - 10);
        data[i] = v;
        const e = await expectRejectCode(net.fit(matrix(7, 3, data), y, { epochs: 1 }), 'NON_FINITE');
        expect(e.message).toContain(`inputs[${String(Math.floor(i / 3))}][${String(i % 3)}]`);
        expect(() => assertFinite(data, 'x')).toThrow(`x[${String(i)}]`);
      }
    }
    // ±3.4e38 · 0 is 0: the largest finite values pass.
    const big = Float32Array.from({ length: 21 }, (_, j) => (j % 2 === 0 ? 3.4e38 : -3.4e38));
    expect(() => assertFinite(big, 'x')).not.toThrow();
  });

  it('non-positive or non-integer sizes → INVALID_OPTION', () => {
    for (const layers of [
      [0, 1],
      [2, 0],
      [2, -1],
      [2, 1.5],
      [2.5, 1],
      [NaN, 1],
      [2, { units: 0 }],
      [2, { units: 2.2 }],
      [3],
      [],
      [2, '3'],
    ]) {
      expectCode(() => new NeuralNetwork(bad({ layers })), 'INVALID_OPTION');
    }
    expectCode(() => new NeuralNetwork(bad({ layers: 'big' })), 'INVALID_OPTION');
    expectCode(() => new NeuralNetwork(bad(null)), 'INVALID_OPTION');
    // Absurd sizes fail before allocating.
    expectCode(() => new NeuralNetwork({ layers: [100000, 100000, 100000] }), 'INVALID_OPTION', /parameters/);
  });

  it('unknown activation/loss/optimizer/initializer/metric names → INVALID_OPTION listing the valid ones', async () => {
    expectCode(
      () => new NeuralNetwork(bad({ layers: [2, 1], activation: 'swish' })),
      'INVALID_OPTION',
      /sigmoid.*softmax/,
    );
    expectCode(
      () => new NeuralNetwork(bad({ layers: [2, { units: 1, activation: 'Relu' }] })),
      'INVALID_OPTION',
      /leakyRelu/,
    );
    expectCode(
      () => new NeuralNetwork(bad({ layers: [2, 1], loss: 'crossentropy' })),
      'INVALID_OPTION',
      /categoricalCrossEntropy/,
    );
    expectCode(
      () => new NeuralNetwork(bad({ layers: [2, 1], optimizer: 'lbfgs' })),
      'INVALID_OPTION',
      /sgd, adam, adamw, rmsprop, adagrad/,
    );
    expectCode(
      () => new NeuralNetwork(bad({ layers: [2, 1], optimizer: { type: 'nadam' } })),
      'INVALID_OPTION',
      /adagrad/,
    );
    expectCode(
      () => new NeuralNetwork(bad({ layers: [2, 1], initializer: 'xavier' })),
      'INVALID_OPTION',
      /glorotUniform/,
    );
    const net = net3();
    await expectRejectCode(net.fit(X, Y, { loss: 'hinge' } as unknown as FitOptions), 'INVALID_OPTION');
    await expectRejectCode(net.fit(X, Y, { optimizer: 'adadelta' } as unknown as FitOptions), 'INVALID_OPTION');
    await expectRejectCode(net.fit(X, Y, { metrics: ['f1'] } as unknown as FitOptions), 'INVALID_OPTION');
    expectCode(() => net.evaluate(X, Y, { loss: 'kl' } as unknown as { loss: 'mse' }), 'INVALID_OPTION', /mse/);
    expectCode(() => new NeuralNetwork(bad({ layers: [2, 1], backend: 'gpu' })), 'INVALID_OPTION', /js/);
  });

  it('negative or non-finite learning rates and bad hyper-parameters → INVALID_OPTION', async () => {
    for (const lr of [-0.1, NaN, Infinity]) {
      expectCode(() => new NeuralNetwork({ layers: [2, 1], learningRate: lr }), 'INVALID_OPTION', /learningRate/);
      expectCode(
        () => new NeuralNetwork({ layers: [2, 1], optimizer: { type: 'adam', learningRate: lr } }),
        'INVALID_OPTION',
      );
      await expectRejectCode(net3().fit(X, Y, { optimizer: { type: 'sgd', learningRate: lr } }), 'INVALID_OPTION');
    }
    const opts: unknown[] = [
      { type: 'adam', beta1: 1.5 },
      { type: 'adam', beta2: -0.1 },
      { type: 'adam', epsilon: 0 },
      { type: 'sgd', momentum: 2 },
      { type: 'rmsprop', rho: 1.1 },
      { type: 'adagrad', initialAccumulatorValue: -1 },
      { type: 'sgd', clipNorm: 0 },
      { type: 'sgd', weightDecay: -1 },
      { type: 'sgd', schedule: { type: 'step', stepSize: 0 } },
      { type: 'sgd', schedule: { type: 'warp' } },
    ];
    for (const o of opts) expectCode(() => new NeuralNetwork(bad({ layers: [2, 1], optimizer: o })), 'INVALID_OPTION');
  });

  it('batchSize < 1 or non-integer, bad epochs, bad validationSplit → INVALID_OPTION', async () => {
    for (const batchSize of [0, -1, 1.5, NaN])
      await expectRejectCode(net3().fit(X, Y, { batchSize }), 'INVALID_OPTION');
    for (const epochs of [-1, 2.5]) await expectRejectCode(net3().fit(X, Y, { epochs }), 'INVALID_OPTION');
    for (const validationSplit of [-0.1, 1.5, NaN])
      await expectRejectCode(net3().fit(X, Y, { validationSplit }), 'INVALID_OPTION');
    await expectRejectCode(net3().fit(X, Y, { earlyStopping: { patience: -1 } }), 'INVALID_OPTION');
  });

  it('a failed call leaves the network usable and unchanged', async () => {
    const net = net3();
    const w = net.getWeights();
    expect(() => net.train([1, 2, 3], [NaN, 0])).toThrow(NeuriteError);
    await expectRejectCode(net.fit(X, [[0, 1], [1]]), 'SHAPE_MISMATCH');
    expect(Array.from(net.getWeights())).toEqual(Array.from(w));
    expect(net.predict([1, 2, 3])).toHaveLength(2);
  });
});

describe('fromJSON rejects invalid models with INVALID_MODEL', () => {
  const valid = (): Record<string, unknown> => JSON.parse(JSON.stringify(net3())) as Record<string, unknown>;
  const expectInvalid = (obj: unknown, message?: RegExp): void => {
    expectCode(() => NeuralNetwork.fromJSON(obj), 'INVALID_MODEL', message);
  };

  it('accepts the valid model', () => {
    expect(NeuralNetwork.fromJSON(valid()).parameterCount).toBe(26);
  });

  it('not an object, wrong format, wrong version', () => {
    for (const x of [null, undefined, 3, 'model', [], true]) expectInvalid(x);
    expectInvalid({ ...valid(), format: 'keras' }, /format/);
    expectInvalid({ ...valid(), version: 2 }, /version 2/);
    expectInvalid({ ...valid(), version: '1' }, /version/);
  });

  it('missing fields', () => {
    for (const key of [
      'format',
      'version',
      'inputs',
      'layers',
      'loss',
      'seed',
      'optimizer',
      'parameterCount',
      'weights',
    ]) {
      const obj = Object.fromEntries(Object.entries(valid()).filter(([k]) => k !== key));
      expectInvalid(obj, new RegExp(key));
    }
    const obj = valid();
    delete (obj['layers'] as Record<string, unknown>[])[0]!['activation'];
    expectInvalid(obj, /activation/);
  });

  it('wrong lengths', () => {
    const w = valid();
    const b64 = w['weights'] as string;
    expectInvalid({ ...w, weights: b64.slice(4) }, /26 float32/);
    expectInvalid({ ...w, weights: b64 + 'AAAA' }, /26 float32/);
    expectInvalid({ ...w, parameterCount: 27 }, /parameterCount/);
    expectInvalid({ ...w, inputs: 4 }, /parameterCount/);
    expectInvalid({ ...w, weights: new Array<number>(25).fill(0) }, /25 values/);
    expectInvalid({ ...w, layers: [] }, /layers/);
    // The array form of the weights is accepted when it is right.
    expect(NeuralNetwork.fromJSON({ ...w, weights: new Array<number>(26).fill(0.5) }).getWeights()[0]).toBe(0.5);
  });

  it('non-numeric or non-finite weights, bad names and options', () => {
    const w = valid();
    expectInvalid({ ...w, weights: [...new Array<number>(25).fill(0), '1'] }, /weights\[25\]/);
    expectInvalid({ ...w, weights: [...new Array<number>(25).fill(0), null] }, /weights\[25\]/);
    expectInvalid({ ...w, weights: 42 }, /weights/);
    expectInvalid({ ...w, weights: '!'.repeat((w['weights'] as string).length) }, /base64/);
    // A NaN encoded in float32 base64 (0x7fc00000 little-endian).
    const nan = Buffer.alloc(26 * 4);
    nan.writeFloatLE(NaN, 8);
    expectInvalid({ ...w, weights: nan.toString('base64') }, /weights\[2\] is NaN/);
    expectInvalid({ ...w, loss: 'hinge' }, /loss/);
    expectInvalid({ ...w, optimizer: 'adam' }, /optimizer/);
    expectInvalid({ ...w, optimizer: { type: 'nadam' } }, /nadam/);
    expectInvalid({ ...w, optimizer: { type: 'sgd', learningRate: -1 } }, /learningRate/);
    expectInvalid({ ...w, seed: 'x' }, /seed/);
    expectInvalid({ ...w, metadata: 3 }, /metadata/);
    const l = valid();
    (l['layers'] as Record<string, unknown>[])[0]!['alpha'] = 'big';
    expectInvalid(l, /alpha/);
    const d = valid();
    (d['layers'] as Record<string, unknown>[])[1]!['dropout'] = 0.5;
    expectInvalid(d, /dropout/);
  });

  it('huge declared sizes fail fast without allocating', () => {
    const rss = process.memoryUsage().rss;
    const w = valid();
    const huge = [
      { ...w, inputs: 2 ** 28, layers: [{ units: 2 ** 28, activation: 'linear' }], parameterCount: 2 ** 56 },
      {
        ...w,
        inputs: 2 ** 14,
        layers: [
          { units: 2 ** 14, activation: 'linear' },
          { units: 2 ** 14, activation: 'linear' },
        ],
      },
      { ...w, inputs: 1e6, layers: [{ units: 200, activation: 'linear' }], parameterCount: 1e6 * 200 + 200 },
      { ...w, inputs: 1e300, layers: [{ units: 1, activation: 'linear' }] },
      { ...w, inputs: 3, layers: new Array(10).fill({ units: 2 ** 27, activation: 'relu' }) },
    ];
    for (const obj of huge) expectInvalid(obj);
    // Nothing near the declared sizes (gigabytes) was allocated.
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 2 ** 20);
  });

  it('any JSON value, or a valid model with one field replaced by anything, gives INVALID_MODEL or a working network', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expectInvalid(v);
      }),
      { numRuns: 200, seed: 5 },
    );
    const keys = [
      'format',
      'version',
      'inputs',
      'layers',
      'loss',
      'seed',
      'optimizer',
      'parameterCount',
      'weights',
      'metadata',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, v) => {
        const obj: unknown = { ...valid(), [key]: v };
        try {
          const net = NeuralNetwork.fromJSON(obj);
          expect(net.predict([1, 2, 3])).toHaveLength(2);
        } catch (e) {
          const err = catchNeurite(() => {
            throw e;
          });
          expect(err.code).toBe('INVALID_MODEL');
        }
      }),
      { numRuns: 300, seed: 6 },
    );
  });
});
