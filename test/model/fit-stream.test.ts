import { describe, expect, it } from 'vitest';
import { NeuralNetwork, fitStream, type Matrix, type StreamBatch } from '../../src/index.js';
import { Rng } from '../../src/core/rng.js';
import { expectRejectCode } from '../helpers/errors.js';

function data(rows: number, seed: number): { x: Matrix; y: Matrix } {
  const rng = new Rng(seed);
  const x = new Float32Array(rows * 3);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < 3; c++) x[r * 3 + c] = rng.uniform(-1, 1);
    y[r] = Math.sin(2 * (x[r * 3] as number)) + 0.5 * (x[r * 3 + 1] as number) * (x[r * 3 + 2] as number);
  }
  return { x: { rows, cols: 3, data: x }, y: { rows, cols: 1, data: y } };
}

/** The rows cut into batches of the given sizes (a source that can be read once per epoch). */
function batches(d: { x: Matrix; y: Matrix }, sizes: readonly number[]): () => AsyncIterable<StreamBatch> {
  return async function* () {
    let at = 0;
    for (const n of sizes) {
      await Promise.resolve();
      yield {
        x: { rows: n, cols: 3, data: d.x.data.subarray(at * 3, (at + n) * 3) },
        y: { rows: n, cols: 1, data: d.y.data.subarray(at, at + n) },
      };
      at += n;
    }
  };
}

const net = (): NeuralNetwork =>
  new NeuralNetwork({
    layers: [3, 16, 1],
    activation: 'tanh',
    loss: 'mse',
    optimizer: { type: 'adam', learningRate: 0.01 },
    seed: 4,
  });

describe('fitStream', () => {
  it('with a shuffle buffer of one row trains exactly as fit on the rows in order (weights bit-identical)', async () => {
    const d = data(600, 1);
    const a = net();
    const b = net();
    const h = await fitStream(a, batches(d, [250, 7, 343]), { epochs: 3, batchSize: 20, shuffleBuffer: 1 });
    await b.fit(d.x, d.y, { epochs: 3, batchSize: 20, shuffle: false });
    expect(a.getWeights()).toEqual(b.getWeights());
    expect(h.epochs).toBe(3);
    expect(h.loss).toHaveLength(3);
  });

  it('learns through a shuffle buffer smaller than the data, reproducibly from its seed', async () => {
    const d = data(3000, 2);
    const v = data(500, 3);
    const run = async (seed: number): Promise<[Float32Array, number[]]> => {
      const n = net();
      const h = await fitStream(n, batches(d, [1000, 1000, 1000]), {
        epochs: 15,
        batchSize: 32,
        shuffleBuffer: 256,
        seed,
        validationData: [v.x, v.y],
      });
      return [n.getWeights(), h.valLoss ?? []];
    };
    const [w1, val1] = await run(5);
    const [w2] = await run(5);
    const [w3] = await run(6);
    expect(w1).toEqual(w2);
    expect(w1).not.toEqual(w3);
    const untrained = net().evaluate(v.x, v.y).loss;
    expect(Math.min(...val1)).toBeLessThan(0.1 * untrained);
  });

  it('keeps the weights of the best validation epoch and stops after patience', async () => {
    const d = data(200, 4);
    const v = data(200, 9);
    const n = net();
    const seen: Float32Array[] = [];
    const h = await fitStream(n, batches(d, [200]), {
      epochs: 40,
      batchSize: 200,
      validationData: [v.x, v.y],
      patience: 2,
      onEpochEnd: () => {
        seen.push(n.getWeights());
      },
    });
    const val = h.valLoss ?? [];
    expect(h.bestEpoch).toBe(val.indexOf(Math.min(...val)));
    expect(n.getWeights()).toEqual(seen[h.bestEpoch]);
    if (h.stopReason === 'earlyStopping') expect(val.length - 1 - h.bestEpoch).toBe(3);
  });

  it('stops a diverging run with NON_FINITE and keeps the best finite weights', async () => {
    const d = data(400, 5);
    const big = { x: { ...d.x, data: d.x.data.map((v) => v * 100) }, y: d.y };
    const n = new NeuralNetwork({
      layers: [3, { units: 8, activation: 'relu' }, { units: 1, activation: 'linear' }],
      loss: 'ssr',
      optimizer: { type: 'sgd', learningRate: 1e6 },
      seed: 1,
    });
    await expectRejectCode(
      fitStream(n, batches(big, [400]), {
        epochs: 50,
        batchSize: 4,
        validationData: [big.x, big.y],
      }),
      'NON_FINITE',
    );
    expect(n.getWeights().every(Number.isFinite)).toBe(true);
  });

  it('stops when aborted, and answers misuse with NeuriteError', async () => {
    const d = data(100, 6);
    const controller = new AbortController();
    controller.abort();
    const h = await fitStream(net(), batches(d, [100]), { epochs: 5, signal: controller.signal });
    expect(h.stopReason).toBe('aborted');
    expect(h.epochs).toBe(1);
    await expectRejectCode(fitStream(net(), batches(d, [100]), { epoch: 3 } as never), 'INVALID_OPTION');
    await expectRejectCode(fitStream(net(), 'rows' as never), 'INVALID_OPTION');
    await expectRejectCode(fitStream(net(), batches(d, [100]), { shuffleBuffer: 0 }), 'INVALID_OPTION');
    await expectRejectCode(fitStream(net(), batches(d, []), { epochs: 1 }), 'EMPTY_DATA');
    const ragged = (): StreamBatch[] => [{ x: [[1, 2, 3]], y: [[1], [2]] }];
    await expectRejectCode(fitStream(net(), ragged), 'SHAPE_MISMATCH');
    const wide = (): StreamBatch[] => [{ x: [[1, 2]], y: [[1]] }];
    await expectRejectCode(fitStream(net(), wide), 'SHAPE_MISMATCH');
    const scheduled = new NeuralNetwork({
      layers: [3, 1],
      optimizer: { type: 'adam', schedule: { type: 'cosine', epochs: 10 } },
    });
    await expectRejectCode(fitStream(scheduled, batches(d, [100])), 'INVALID_OPTION');
  });
});
