// quantize(): MNIST accuracy against the float network, the model file, and misuse. The integer
// kernel itself is held to its scalar reference on every backend in test/conformance/quantized.test.ts.
import { describe, expect, it } from 'vitest';
import {
  jsBackend,
  NeuralNetwork,
  QUANTIZED_MODEL_FORMAT,
  QuantizedNetwork,
  quantize,
  type Matrix,
} from '../../src/index.js';
import { argmax } from '../../src/data/index.js';
import { loadMnist } from '../../src/data/node/index.js';
import { W2_LAYERS } from '../helpers/w2-network.js';
import { testBackend } from '../helpers/backends.js';
import { expectCode } from '../helpers/errors.js';

function accuracy(out: Matrix, y: Matrix): number {
  const p = argmax(out);
  const t = argmax(y);
  let hit = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === t[i]) hit++;
  return hit / p.length;
}

describe('quantize on MNIST (the W2/W3 network)', async () => {
  const { train, test } = loadMnist();
  const net = new NeuralNetwork({
    layers: W2_LAYERS,
    loss: 'categoricalCrossEntropy',
    seed: 1,
    backend: testBackend(),
  });
  await net.fit(train.x, train.y, { epochs: 3, batchSize: 64, optimizer: { type: 'adam', learningRate: 1e-3 } });
  const q = net.quantize();
  const qOut = q.predictBatch(test.x);

  it('keeps test accuracy within half a point of the float network', () => {
    const float = accuracy(net.predictBatch(test.x), test.y);
    const quant = accuracy(qOut, test.y);
    expect(float).toBeGreaterThan(0.9);
    expect(Math.abs(quant - float)).toBeLessThanOrEqual(0.005);
  });

  it('gives the same outputs on the reference backend as on the default one', () => {
    const ref = quantize(net, { backend: jsBackend }).predictBatch(test.x);
    let diff = -1;
    for (let i = 0; i < ref.data.length && diff < 0; i++) if (!Object.is(ref.data[i], qOut.data[i])) diff = i;
    expect(diff).toBe(-1);
  });

  it('gives the same outputs on a backend that leaves the caller’s other work uncalled (Backend.run allows it)', () => {
    // predictBatch copies each next pass's rows as `meanwhile`; here the copy must happen after the pass.
    const silent = {
      ...jsBackend,
      name: 'js-silent',
      run: (...a: Parameters<typeof jsBackend.run>) => jsBackend.run(a[0], a[1], a[2], a[3]),
    };
    const got = quantize(net, { backend: silent }).predictBatch(test.x);
    const ref = quantize(net, { backend: jsBackend }).predictBatch(test.x);
    expect(got.rows).toBe(ref.rows);
    let diff = -1;
    for (let i = 0; i < ref.data.length && diff < 0; i++) if (!Object.is(ref.data[i], got.data[i])) diff = i;
    expect(diff).toBe(-1);
  });

  it('runs weights on ±127 levels (a file from before the ±64 default, or another tool) as the reference does', () => {
    // Each layer's weights doubled (with a -128): the wasm build must leave its narrow byte product.
    const wide = q.layers.map((l) => ({
      ...l,
      weights: l.weights.map((v, i) => (i === 0 ? -128 : 2 * v - (v > 0 ? 1 : 0))),
    }));
    const want = new QuantizedNetwork(wide, { backend: jsBackend }).predictBatch(test.x);
    const got = new QuantizedNetwork(wide, { backend: testBackend() }).predictBatch(test.x);
    let diff = -1;
    for (let i = 0; i < want.data.length && diff < 0; i++) if (!Object.is(want.data[i], got.data[i])) diff = i;
    expect(diff).toBe(-1);
    expect(accuracy(got, test.y)).toBeGreaterThan(0.9);
  });

  it('predicts a row alone exactly as inside a batch (each row has its own scale)', () => {
    // predictBatch runs 2,000 rows in passes of 128, 1,024 and 848: rows on each side of each edge.
    for (const r of [0, 7, 127, 128, 1151, 1152, 1999]) {
      const one = q.predict(test.x.data.subarray(r * 784, (r + 1) * 784));
      expect([...one]).toEqual([...qOut.data.subarray(r * 10, r * 10 + 10)]);
    }
  });

  it('saves a file about 4× smaller than the float model that loads back bit-identical', () => {
    const text = JSON.stringify(q.toJSON());
    const floatText = JSON.stringify(net.toJSON({ optimizerState: false }));
    expect(floatText.length / text.length).toBeGreaterThan(3.5);
    const back = QuantizedNetwork.fromJSON(JSON.parse(text));
    const again = back.predictBatch(test.x);
    expect(again.data).toEqual(qOut.data);
    expect(back.toJSON()).toEqual(q.toJSON());
    expect(q.parameterBytes).toBe(784 * 128 + 128 * 64 + 64 * 10 + 8 * (128 + 64 + 10));
  });
});

describe('QuantizedNetwork misuse', () => {
  const net = new NeuralNetwork({ layers: [3, { units: 4, activation: 'leakyRelu', alpha: 0.2 }, 2], seed: 3 });
  const q = quantize(net);

  it('keeps activation parameters and approximates the float network', () => {
    expect(q.layers[0]?.alpha).toBe(0.2);
    const x = [0.3, -1.2, 2];
    const f = net.predict(x);
    const y = q.predict(x);
    for (let j = 0; j < 2; j++) expect(Math.abs((y[j] as number) - (f[j] as number))).toBeLessThan(0.05);
  });

  it('refuses inputs of the wrong shape or with non-finite values', () => {
    expectCode(() => q.predict([1, 2]), 'SHAPE_MISMATCH', /3 values/);
    expectCode(() => q.predictBatch([[1, 2, 3, 4]]), 'SHAPE_MISMATCH');
    expectCode(() => q.predictBatch([]), 'EMPTY_DATA');
    expectCode(() => q.predict([1, NaN, 3]), 'NON_FINITE');
    expectCode(
      () => q.predictBatch({ rows: 2, cols: 3, data: Float32Array.from([1, 2, 3, 4, Infinity, 6]) }),
      'NON_FINITE',
      /\[1\]\[1\]/,
    );
    // In the second and third passes (128 and 1,024 rows, then the rest), NaN and -Infinity are
    // found by row and column.
    for (const [bad, row] of [
      [NaN, 1027],
      [-Infinity, 1157],
    ] as const) {
      const data = new Float32Array(1160 * 3).fill(0.5);
      data[row * 3 + 2] = bad;
      expectCode(
        () => q.predictBatch({ rows: 1160, cols: 3, data }),
        'NON_FINITE',
        new RegExp(`\\[${String(row)}\\]\\[2\\]`),
      );
    }
  });

  it('refuses malformed files with INVALID_MODEL naming the field', () => {
    const good = q.toJSON();
    expectCode(() => QuantizedNetwork.fromJSON(null), 'INVALID_MODEL');
    expectCode(() => QuantizedNetwork.fromJSON(net.toJSON()), 'INVALID_MODEL', /NeuralNetwork\.fromJSON/);
    expectCode(
      () => QuantizedNetwork.fromJSON({ ...good, format: QUANTIZED_MODEL_FORMAT, version: 2 }),
      'INVALID_MODEL',
      /version 2/,
    );
    expectCode(
      () => QuantizedNetwork.fromJSON({ ...good, weights: good.weights.slice(4) }),
      'INVALID_MODEL',
      /weights/,
    );
    expectCode(() => QuantizedNetwork.fromJSON({ ...good, scales: 'AAAA' }), 'INVALID_MODEL', /scales/);
    expectCode(() => QuantizedNetwork.fromJSON({ ...good, biases: '!!!!' }), 'INVALID_MODEL', /biases/);
    expectCode(
      () => QuantizedNetwork.fromJSON({ ...good, layers: [{ units: 4, activation: 'nope' }] }),
      'INVALID_MODEL',
      /activation/,
    );
    expectCode(() => QuantizedNetwork.fromJSON({ ...good, inputs: 0 }), 'INVALID_MODEL', /inputs/);
    expectCode(() => new QuantizedNetwork([]), 'INVALID_OPTION');
  });
});
