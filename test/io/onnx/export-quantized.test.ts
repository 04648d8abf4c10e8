import { describe, expect, it } from 'vitest';
import { NeuralNetwork, Rng, quantize, type ActivationName } from '../../../src/index.js';
import { exportOnnx, importOnnx } from '../../../src/io/index.js';
import { decodeModel } from '../../../src/io/onnx/decode.js';
import { ONNX_QUANTIZED_KEY } from '../../../src/io/onnx/export-quantized.js';
import { DataType } from '../../../src/io/onnx/proto.js';
import { loadMnist } from '../../../src/data/node/index.js';
import { expectCode } from '../../helpers/errors.js';
import { firstMismatch, randomRows } from '../../helpers/random.js';
import { runOnnx } from './ort.js';

/** A random network: hidden layers with `hidden`, the output with `output`. */
function randomNet(hidden: ActivationName, output: ActivationName, seed: number): NeuralNetwork {
  const rng = new Rng(seed);
  const width = (): number => 1 + rng.int(40);
  const layers = Array.from({ length: 1 + rng.int(3) }, () => ({ units: width(), activation: hidden }));
  return new NeuralNetwork({
    layers: [1 + rng.int(50), ...layers, { units: 1 + rng.int(6), activation: output }],
    seed,
  });
}

describe('exportOnnx(quantize(net)) runs in onnxruntime with the quantized network’s arithmetic', () => {
  it('relu and linear layers: the operators as written give predictBatch bit for bit, at opset 13 and 21', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const q = quantize(randomNet('relu', 'linear', seed));
      const rows = randomRows(new Rng(seed), 11, q.inputSize, -5, 5);
      // An all-zero row and one too small to scale quantize to zeros (scale 0), in both.
      rows.push(new Array<number>(q.inputSize).fill(0), new Array<number>(q.inputSize).fill(1e-31));
      const ours = q.predictBatch(rows).data;
      for (const opset of [13, 21]) {
        const bytes = exportOnnx(q, { opset });
        // As written, and after onnxruntime's rewrites (the file keeps it from fusing the scaling).
        expect(await runOnnx(bytes, rows, { optimize: false })).toEqual(ours);
        expect(await runOnnx(bytes, rows)).toEqual(ours);
      }
    }
  });

  it('other activations (sigmoid, tanh, softmax, elu, gelu) match to 1e-5', async () => {
    const pairs: [ActivationName, ActivationName][] = [
      ['sigmoid', 'softmax'],
      ['tanh', 'sigmoid'],
      ['elu', 'linear'],
      ['gelu', 'tanh'],
    ];
    for (const [i, [hidden, output]] of pairs.entries()) {
      const q = quantize(randomNet(hidden, output, 10 + i));
      const rows = randomRows(new Rng(i), 9, q.inputSize, -3, 3);
      const theirs = await runOnnx(exportOnnx(q), rows);
      expect(firstMismatch(theirs, q.predictBatch(rows).data, 1e-5, 1e-5)).toBeUndefined();
    }
  });

  it('a network trained on real MNIST digits: the same logits for every test digit, with and without onnxruntime’s rewrites', async () => {
    const { train, test } = loadMnist({ limit: 600, testLimit: 300 });
    const net = new NeuralNetwork({
      layers: [
        784,
        { units: 64, activation: 'relu' },
        { units: 32, activation: 'relu' },
        { units: 10, activation: 'linear' },
      ],
      seed: 3,
    });
    await net.fit(train.x, train.y, { epochs: 2, batchSize: 32, loss: 'mse', optimizer: 'adam' });
    const q = quantize(net);
    const rows = Array.from({ length: test.x.rows }, (_, r) =>
      Array.from(test.x.data.subarray(r * 784, (r + 1) * 784)),
    );
    const ours = q.predictBatch(test.x).data;
    expect(await runOnnx(exportOnnx(q), rows, { optimize: false })).toEqual(ours);
    expect(await runOnnx(exportOnnx(q), rows)).toEqual(ours);
  });

  it('keeps the weights as int8 [inputs][units] for MatMulInteger: about a quarter of the float file', () => {
    const net = new NeuralNetwork({ layers: [300, { units: 100, activation: 'relu' }, 10], seed: 5 });
    const q = quantize(net);
    const bytes = exportOnnx(q);
    const m = decodeModel(bytes);
    const weights = m.graph.initializers.filter((t) => t.dataType === DataType.INT8);
    expect(weights.map((t) => t.dims)).toEqual([
      [300, 100],
      [100, 10],
    ]);
    const first = q.layers[0]!;
    expect(weights[0]!.int8s![7 * 100 + 42]).toBe(first.weights[42 * 300 + 7]);
    expect(m.graph.nodes.filter((n) => n.opType === 'MatMulInteger')).toHaveLength(2);
    expect(m.metadataProps.map((p) => p.key)).toEqual([ONNX_QUANTIZED_KEY]);
    const floatBytes = exportOnnx(net).length;
    expect(bytes.length).toBeLessThan(floatBytes / 3);
  });

  it('importOnnx refuses a quantized file with UNSUPPORTED, naming where its network can be loaded from', () => {
    const q = quantize(new NeuralNetwork({ layers: [3, 4, 2], seed: 1 }));
    const e = expectCode(() => importOnnx(exportOnnx(q)), 'UNSUPPORTED');
    expect(e.message).toMatch(/quantized/);
    expect(e.message).toMatch(/QuantizedNetwork\.fromJSON/);
  });

  it('an int8 tensor whose bytes disagree with its shape is a corrupt file', () => {
    const q = quantize(new NeuralNetwork({ layers: [3, 4, 2], seed: 1 }));
    const bytes = exportOnnx(q);
    const m = decodeModel(bytes);
    expect(m.graph.initializers.find((t) => t.dataType === DataType.INT8)?.int8s).toHaveLength(12);
    // Grow the first int8 tensor's first dimension from 3 to 5 (its bytes stay 12).
    const i = bytes.findIndex(
      (b, k) => b === 0x08 && bytes[k + 1] === 3 && bytes[k + 2] === 0x08 && bytes[k + 3] === 4,
    );
    expect(i).toBeGreaterThanOrEqual(0);
    const bad = Uint8Array.from(bytes);
    bad[i + 1] = 5;
    expectCode(() => decodeModel(bad), 'INVALID_MODEL');
  });
});
