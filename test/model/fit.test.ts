import { describe, expect, it } from 'vitest';
import { NeuralNetwork, Rng, type LossName } from '../../src/index.js';
import { testBackend } from '../helpers/backends.js';
import { expectRejectCode } from '../helpers/errors.js';
import { randomRows } from '../helpers/random.js';

function problem(rows: number, seed = 1): { x: number[][]; y: number[][] } {
  const rng = new Rng(seed);
  const x = randomRows(rng, rows, 3);
  const y = x.map((r) => [Math.sin(r[0]!) + r[1]! * r[2]!, r[0]! - r[2]!]);
  return { x, y };
}

const makeNet = (seed = 7): NeuralNetwork =>
  new NeuralNetwork({
    layers: [3, { units: 5, activation: 'tanh' }, { units: 2, activation: 'linear' }],
    seed,
    backend: testBackend(),
  });

describe('fit semantics', () => {
  it('history has one entry per epoch', async () => {
    const { x, y } = problem(10);
    const h = await makeNet().fit(x, y, { epochs: 7, batchSize: 3 });
    expect(h.loss).toHaveLength(7);
    expect(h.learningRate).toHaveLength(7);
    expect(h.epochs).toBe(7);
    expect(h.stopReason).toBe('completed');
    expect(h.valLoss).toBeUndefined();
  });

  for (const loss of ['mse', 'ssr', 'mae', 'huber'] as const satisfies readonly LossName[]) {
    it(`with learning rate 0 every epoch's ${loss} equals evaluate's (batches weighted by size)`, async () => {
      const { x, y } = problem(10);
      const net = makeNet();
      const expected = net.evaluate(x, y, { loss }).loss;
      const h = await net.fit(x, y, { epochs: 4, batchSize: 3, loss, optimizer: { type: 'sgd', learningRate: 0 } });
      for (const l of h.loss) expect(l).toBeCloseTo(expected, 5);
    });
  }

  it('each batch loss is measured before its update (full batch: loss[k+1] = evaluate after epoch k)', async () => {
    const { x, y } = problem(12);
    const net = makeNet();
    const before = net.evaluate(x, y).loss;
    const after: number[] = [];
    const h = await net.fit(x, y, {
      epochs: 5,
      batchSize: 100,
      optimizer: { type: 'sgd', learningRate: 0.1 },
      onEpochEnd: () => void after.push(net.evaluate(x, y).loss),
    });
    expect(h.loss[0]).toBeCloseTo(before, 6);
    for (let k = 0; k < 4; k++) expect(h.loss[k + 1]).toBeCloseTo(after[k]!, 6);
    expect(h.loss[4]).toBeGreaterThan(after[4]!);
  });

  it('validationSplit holds out the last rows (taken before shuffling)', async () => {
    const { x, y } = problem(8);
    const net = makeNet();
    const valLosses: number[] = [];
    const h = await net.fit(x, y, {
      epochs: 3,
      batchSize: 2,
      validationSplit: 0.25,
      optimizer: { type: 'sgd', learningRate: 0 },
      onEpochEnd: () => void valLosses.push(net.evaluate(x.slice(6), y.slice(6)).loss),
    });
    expect(h.valLoss).toHaveLength(3);
    h.valLoss!.forEach((v, i) => expect(v).toBeCloseTo(valLosses[i]!, 6));
    // With lr 0 the training loss is exactly that of the first 6 rows.
    expect(h.loss[0]).toBeCloseTo(net.evaluate(x.slice(0, 6), y.slice(0, 6)).loss, 5);
  });

  it('earlyStopping stops after patience epochs without improvement and restores the best weights', async () => {
    const { x, y } = problem(16);
    const net = makeNet();
    const snapshots: Float32Array[] = [];
    // Validating against negated targets: training makes the monitored loss worse from epoch 0 on.
    const h = await net.fit(x, y, {
      epochs: 50,
      batchSize: 16,
      optimizer: { type: 'sgd', learningRate: 0.1 },
      validationData: [x, y.map((r) => r.map((v) => -v))],
      earlyStopping: { patience: 2, restoreBest: true },
      onEpochEnd: () => void snapshots.push(net.getWeights()),
    });
    expect(h.stopReason).toBe('earlyStopping');
    expect(h.bestEpoch).toBe(0);
    expect(h.epochs).toBe(4);
    expect(h.valLoss![3]).toBeGreaterThan(h.valLoss![0]!);
    expect(Array.from(net.getWeights())).toEqual(Array.from(snapshots[0]!));
    // onEpochEnd of the stopping epoch already sees the restored weights; epoch 2's were different.
    expect(Array.from(snapshots[3]!)).toEqual(Array.from(snapshots[0]!));
    expect(Array.from(net.getWeights())).not.toEqual(Array.from(snapshots[2]!));
  });

  it('earlyStopping without restoreBest keeps the last weights', async () => {
    const { x, y } = problem(16);
    const net = makeNet();
    let last: Float32Array = new Float32Array(0);
    await net.fit(x, y, {
      epochs: 50,
      batchSize: 16,
      validationData: [x, y.map((r) => r.map((v) => -v))],
      earlyStopping: { patience: 1 },
      onEpochEnd: () => void (last = net.getWeights()),
    });
    expect(Array.from(net.getWeights())).toEqual(Array.from(last));
  });

  it('an AbortSignal stops training with stopReason "aborted"', async () => {
    const { x, y } = problem(10);
    const controller = new AbortController();
    const epochs: number[] = [];
    const h = await makeNet().fit(x, y, {
      epochs: 20,
      batchSize: 5,
      signal: controller.signal,
      onEpochEnd: (e) => {
        epochs.push(e);
        if (e === 2) controller.abort();
      },
    });
    expect(h.stopReason).toBe('aborted');
    expect(h.epochs).toBe(3);
    expect(h.loss).toHaveLength(3);
    expect(epochs).toEqual([0, 1, 2]);
  });

  it('an already-aborted signal changes no weight', async () => {
    const { x, y } = problem(10);
    const net = makeNet();
    const before = net.getWeights();
    const h = await net.fit(x, y, { epochs: 5, batchSize: 5, signal: AbortSignal.abort() });
    expect(h.stopReason).toBe('aborted');
    expect(h.epochs).toBe(0);
    expect(Array.from(net.getWeights())).toEqual(Array.from(before));
  });

  it('onEpochEnd receives each epoch index and the logs history records', async () => {
    const { x, y } = problem(10);
    const calls: [number, number, number][] = [];
    const h = await makeNet().fit(x, y, {
      epochs: 4,
      batchSize: 4,
      metrics: ['mae'],
      onEpochEnd: (e, logs) => void calls.push([e, logs.loss, logs.learningRate]),
    });
    expect(calls.map((c) => c[0])).toEqual([0, 1, 2, 3]);
    expect(calls.map((c) => c[1])).toEqual(h.loss);
    expect(calls.map((c) => c[2])).toEqual(h.learningRate);
    expect(h.metrics['mae']).toHaveLength(4);
  });

  it('a diverging fit rejects with NON_FINITE and leaves finite weights', async () => {
    const { x, y } = problem(16);
    const net = new NeuralNetwork({
      layers: [3, { units: 8, activation: 'relu' }, { units: 2, activation: 'linear' }],
      seed: 1,
      backend: testBackend(),
    });
    const e = await expectRejectCode(
      net.fit(
        x.map((r) => r.map((v) => v * 100)),
        y,
        { epochs: 200, batchSize: 4, loss: 'ssr', optimizer: { type: 'sgd', learningRate: 1e6 } },
      ),
      'NON_FINITE',
    );
    expect(e.message).toMatch(/diverged/);
    for (const w of net.getWeights()) expect(Number.isFinite(w)).toBe(true);
    for (const v of net.predict([1, 1, 1])) expect(Number.isFinite(v)).toBe(true);
  });

  it('a diverging Adam fit restores exactly the weights whose loss was last finite', async () => {
    const { x, y } = problem(16);
    const net = new NeuralNetwork({
      layers: [3, { units: 8, activation: 'relu' }, { units: 2, activation: 'linear' }],
      seed: 1,
      backend: testBackend(),
    });
    // Weights after each completed batch: the failing batch's weights are the last entry, and the
    // restored ones are those before its step (the entry before, or the initial weights).
    const seen: Float32Array[] = [net.getWeights()];
    await expectRejectCode(
      net.fit(
        x.map((r) => r.map((v) => v * 1e4)),
        y,
        {
          epochs: 50,
          batchSize: 4,
          shuffle: false,
          loss: 'ssr',
          optimizer: { type: 'adam', learningRate: 1e36 },
          onBatchEnd: () => seen.push(net.getWeights()),
        },
      ),
      'NON_FINITE',
    );
    expect(seen.length).toBeGreaterThan(1);
    expect(Array.from(net.getWeights())).toEqual(Array.from(seen[seen.length - 2]!));
  });

  it('trains the same weights when onBatchEnd predicts with the network (fit reuses its batch buffers)', async () => {
    // fit gathers batch k+1 into the input/target buffers during step k; predictions in between
    // (one row, and a batch larger than fit's, which regrows the buffers) must not leak into it.
    const { x, y } = problem(23);
    const plain = makeNet();
    await plain.fit(x, y, { epochs: 3, batchSize: 4 });
    const busy = makeNet();
    let calls = 0;
    await busy.fit(x, y, {
      epochs: 3,
      batchSize: 4,
      onBatchEnd: () => {
        calls++;
        busy.predict([9, -9, 9]);
        if (calls % 5 === 0) busy.predictBatch(x.map((r) => r.map((v) => -v)));
      },
    });
    expect(calls).toBe(18);
    expect(Array.from(busy.getWeights())).toEqual(Array.from(plain.getWeights()));
  });

  it('fit with a loss that becomes NaN on the very first batch leaves the weights untouched', async () => {
    const net = new NeuralNetwork({ layers: [3, { units: 2, activation: 'linear' }], seed: 1, backend: testBackend() });
    // 1e38 · 1e38 overflows float32: the very first output is Infinity.
    net.setWeights(new Array<number>(net.parameterCount).fill(1e38));
    const before = net.getWeights();
    await expectRejectCode(
      net.fit([[1e38, 1e38, 1e38]], [[0, 0]], { epochs: 1, loss: 'ssr', optimizer: { type: 'sgd', learningRate: 1 } }),
      'NON_FINITE',
    );
    expect(Array.from(net.getWeights())).toEqual(Array.from(before));
  });

  it('fit continues the optimizer state when given the same spec again', async () => {
    const { x, y } = problem(8);
    const a = makeNet();
    const b = makeNet();
    const opt = { type: 'adam', learningRate: 0.01 } as const;
    await a.fit(x, y, { epochs: 4, batchSize: 8, optimizer: opt, shuffle: false });
    await b.fit(x, y, { epochs: 2, batchSize: 8, optimizer: opt, shuffle: false });
    await b.fit(x, y, { epochs: 2, batchSize: 8, optimizer: opt, shuffle: false });
    expect(Array.from(b.getWeights())).toEqual(Array.from(a.getWeights()));
  });
});
