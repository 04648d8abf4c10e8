import { describe, expect, it } from 'vitest';
import { NeuralNetwork, type FitOptions, type NetworkOptions } from '../../src/index.js';
import { expectCode, expectRejectCode } from '../helpers/errors.js';

const X = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const Y = [[0], [1], [1], [0]];
const build = (o: object = {}): NeuralNetwork =>
  new NeuralNetwork({ layers: [2, 3, 1], seed: 1, ...o } as NetworkOptions);

describe('the constructor refuses what it would otherwise ignore', () => {
  it('an unknown key names the closest valid one', () => {
    expectCode(
      () => build({ activaton: 'tanh' }),
      'INVALID_OPTION',
      /unknown option `activaton`.*did you mean `activation`/,
    );
    expectCode(() => build({ lr: 0.1 }), 'INVALID_OPTION', /did you mean `learningRate`/);
    expectCode(
      () => new NeuralNetwork({ layers: [2, { units: 3, activaton: 'relu' }, 1] } as unknown as NetworkOptions),
      'INVALID_OPTION',
      /unknown option `activaton` in layers\[1\]; did you mean `activation`/,
    );
    expectCode(
      () => new NeuralNetwork({ layers: [2, { units: 3, initializer: 'heNormal' }, 1] } as unknown as NetworkOptions),
      'INVALID_OPTION',
      /did you mean `init`/,
    );
  });

  it('values are shown as given: the string "0.1" is not 0.1', () => {
    expectCode(() => build({ learningRate: '0.1' }), 'INVALID_OPTION', /learningRate .* got the string "0.1"/);
    expectCode(() => build({ seed: '5' }), 'INVALID_OPTION', /seed must be a finite number, got the string "5"/);
    expectCode(() => build({ activation: 5 }), 'INVALID_OPTION', /activation must be a name \(a string\), got 5/);
    expectCode(() => build({ backend: {} }), 'INVALID_OPTION', /backend must be .* got a object/);
    expectCode(() => build({ backend: null }), 'INVALID_OPTION', /backend must be/);
  });

  it('names on Object.prototype are not activations, losses or initialisers', () => {
    expectCode(() => build({ activation: 'toString' }), 'INVALID_OPTION', /unknown activation "toString"/);
    expectCode(() => build({ loss: 'constructor' }), 'INVALID_OPTION', /unknown loss "constructor"/);
    expectCode(() => build({ initializer: 'hasOwnProperty' }), 'INVALID_OPTION', /unknown initializer/);
  });
});

describe('fit, evaluate and the model file refuse unknown options and bad callbacks', () => {
  it('callbacks must be functions', async () => {
    const net = build();
    const e = await expectRejectCode(net.fit(X, Y, { onEpochEnd: 5 } as unknown as FitOptions), 'INVALID_OPTION');
    expect(e.message).toMatch(/onEpochEnd must be a function, got 5/);
    await expectRejectCode(net.fit(X, Y, { onBatchEnd: 'log' } as unknown as FitOptions), 'INVALID_OPTION');
    await expectRejectCode(net.fit(X, Y, { signal: true } as unknown as FitOptions), 'INVALID_OPTION');
    await expectRejectCode(net.fit(X, Y, { shuffle: 'no' } as unknown as FitOptions), 'INVALID_OPTION');
    await expectRejectCode(net.fit(X, Y, { validationData: [X] } as unknown as FitOptions), 'INVALID_OPTION');
    await expectRejectCode(
      net.fit(X, Y, { earlyStopping: { patience: 1, monitor: 'val_loss' } } as unknown as FitOptions),
      'INVALID_OPTION',
    );
  });

  it('evaluate, toJSON and fromJSON check their options', () => {
    const net = build();
    expectCode(() => net.evaluate(X, Y, { metric: ['mae'] } as object), 'INVALID_OPTION', /did you mean `metrics`/);
    expectCode(() => net.toJSON({ optimizerStat: false } as object), 'INVALID_OPTION', /did you mean `optimizerState`/);
    expectCode(() => net.toJSON({ optimizerState: 'no' } as unknown as { optimizerState: boolean }), 'INVALID_OPTION');
    // JSON.stringify passes the key to toJSON: still the defaults.
    expect((JSON.parse(JSON.stringify({ m: net })) as { m: { format: string } }).m.format).toBe('neurite-model');
    expectCode(() => NeuralNetwork.fromJSON(net.toJSON(), { backnd: 'js' } as object), 'INVALID_OPTION', /`backend`/);
  });
});

describe('one fit at a time', () => {
  it('a second fit on a network that is training is refused; the first one finishes as if alone', async () => {
    const alone = build();
    const hAlone = await alone.fit(X, Y, { epochs: 3, batchSize: 2 });
    const net = build();
    const first = net.fit(X, Y, { epochs: 3, batchSize: 2 });
    const e = await expectRejectCode(net.fit(X, Y, { epochs: 3 }), 'BUSY');
    expect(e.message).toMatch(/another fit\(\) call on this network is ongoing/);
    const h = await first;
    expect(h.loss).toEqual(hAlone.loss);
    expect(net.getWeights()).toEqual(alone.getWeights());
    // Once it has finished (or failed), fit is free again.
    await net.fit(X, Y, { epochs: 1 });
    await expectRejectCode(net.fit(X, [[1]], { epochs: 1 }), 'SHAPE_MISMATCH');
    await net.fit(X, Y, { epochs: 1 });
  });
});

describe('losses reported as used and documented', () => {
  it("summary() after fit({ loss: 'ssr' }) names ssr, and the saved file keeps it", async () => {
    const net = build();
    expect(net.summary()).toMatch(/loss: mse/);
    await net.fit(X, Y, { epochs: 1, loss: 'ssr' });
    expect(net.summary()).toMatch(/loss: ssr/);
    expect(net.toJSON().loss).toBe('ssr');
  });

  it('with ssr, training and validation losses are on one scale: the same rows give the same loss', async () => {
    const rows = Array.from({ length: 12 }, (_v, i) => [Math.sin(i), Math.cos(i)]);
    const targets = rows.map((r) => [r[0]! * r[1]!]);
    const net = build();
    // Training on 12 rows, validating on 4 of them: with a learning rate of 0 both are means per row.
    const h = await net.fit(rows, targets, {
      epochs: 2,
      batchSize: 5,
      loss: 'ssr',
      optimizer: { type: 'sgd', learningRate: 0 },
      validationData: [rows, targets],
    });
    expect(h.valLoss![0]).toBeCloseTo(h.loss[0]!, 5);
    // A mean per row: the sum of squared residuals of all rows over the row count.
    const out = net.predictBatch(rows).data;
    const ssr = targets.reduce((s, t, i) => s + (out[i]! - t[0]!) ** 2, 0);
    expect(h.loss[0]).toBeCloseTo(ssr / rows.length, 5);
    expect(net.evaluate(rows, targets).loss).toBeCloseTo(ssr / rows.length, 5);
  });
});
