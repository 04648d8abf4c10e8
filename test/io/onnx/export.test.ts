import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, NeuralNetwork, Rng, fitTable, type ActivationName } from '../../../src/index.js';
import { exportOnnx } from '../../../src/io/index.js';
import { decodeModel } from '../../../src/io/onnx/decode.js';
import { ONNX_ACTIVATIONS } from '../../../src/io/onnx/activations.js';
import { expectCode } from '../../helpers/errors.js';
import { firstMismatch, randomRows } from '../../helpers/random.js';
import { runOnnx } from './ort.js';

/** A random network whose hidden layers all use `activation` (alpha drawn for those with one). */
function randomNet(activation: ActivationName, seed: number): NeuralNetwork {
  const rng = new Rng(seed);
  const alpha = activation === 'leakyRelu' || activation === 'elu' ? { alpha: rng.uniform(0.05, 1.5) } : {};
  const width = (): number => 1 + rng.int(7);
  const hidden = Array.from({ length: 1 + rng.int(3) }, () => ({ units: width(), activation, ...alpha }));
  const output = { units: 1 + rng.int(4), activation };
  return new NeuralNetwork({ layers: [1 + rng.int(6), ...hidden, { ...output, ...alpha }], seed });
}

async function expectSamePredictions(net: NeuralNetwork, bytes: Uint8Array, rows: number[][]): Promise<void> {
  const ours = net.predictBatch(rows).data;
  const theirs = await runOnnx(bytes, rows);
  expect(firstMismatch(theirs, ours, 1e-5, 1e-5)).toBeUndefined();
}

describe('exportOnnx runs in onnxruntime with neurite’s predictions', () => {
  // Activations without an ONNX row are refused (test/io/activation-forms.test.ts).
  for (const activation of ACTIVATION_NAMES.filter((a) => a in ONNX_ACTIVATIONS)) {
    it(`${activation}: random networks match to 1e-5`, async () => {
      for (const seed of [1, 2, 3]) {
        const net = randomNet(activation, seed * 31 + activation.length);
        const rows = randomRows(new Rng(seed), 9, net.inputSize, -3, 3);
        await expectSamePredictions(net, exportOnnx(net), rows);
      }
    });
  }

  it('writes Gelu natively at opset 20 (the default with a gelu layer) and in elementary operators at 13', async () => {
    const net = randomNet('gelu', 5);
    const rows = randomRows(new Rng(5), 7, net.inputSize, -4, 4);
    const native = decodeModel(exportOnnx(net));
    expect(native.opsetImport).toEqual([{ domain: '', version: 20 }]);
    expect(native.graph.nodes.map((n) => n.opType)).toContain('Gelu');
    const old = exportOnnx(net, { opset: 13 });
    expect(decodeModel(old).graph.nodes.map((n) => n.opType)).not.toContain('Gelu');
    await expectSamePredictions(net, old, rows);
    expect(decodeModel(exportOnnx(randomNet('relu', 5))).opsetImport[0]?.version).toBe(13);
  });

  it('writes a Gemm with transB = 1 per layer, float32 raw_data, a symbolic batch and the settings', () => {
    const net = new NeuralNetwork({
      layers: [4, { units: 3, activation: 'elu', alpha: 0.5 }, 2],
      loss: 'mae',
      seed: 9,
    });
    const m = decodeModel(exportOnnx(net));
    const gemms = m.graph.nodes.filter((n) => n.opType === 'Gemm');
    expect(gemms).toHaveLength(2);
    expect(gemms.every((g) => g.attributes.some((a) => a.name === 'transB' && a.i === 1))).toBe(true);
    expect(m.graph.inputs[0]).toMatchObject({ name: 'input', shape: ['batch', 4] });
    expect(m.graph.outputs[0]).toMatchObject({ name: 'output', shape: ['batch', 2] });
    const w = m.graph.initializers.find((t) => t.name === 'layer0/weight');
    expect(w?.dims).toEqual([3, 4]);
    expect(Array.from(w?.floats ?? [])).toEqual(Array.from(net.layers[0]!.weights));
    const settings = JSON.parse(m.metadataProps.find((p) => p.key === 'neurite.settings')?.value ?? '{}') as {
      loss: string;
      seed: number;
    };
    expect(settings).toMatchObject({ loss: 'mae', seed: 9 });
  });

  it('refuses an opset outside 13..21 and an unknown preprocessing mode', () => {
    const net = randomNet('relu', 1);
    expectCode(() => exportOnnx(net, { opset: 12 }), 'INVALID_OPTION', /opset/);
    expectCode(() => exportOnnx(net, { preprocessing: 'some' as 'none' }), 'INVALID_OPTION', /preprocessing/);
  });
});

/** Numeric records with gaps (an imputed column with its missing indicator) and a class or value target. */
function numericRecords(n: number, target: 'class' | 'value'): Record<string, string>[] {
  const rng = new Rng(4);
  return Array.from({ length: n }, (_, i) => {
    const a = rng.uniform(100, 200);
    const b = rng.uniform(-5, 5);
    const c = rng.uniform(0, 1);
    const y = target === 'class' ? (a / 50 + b > 3 ? 'big' : 'small') : (a * 0.3 + b * b).toFixed(3);
    return { a: a.toFixed(2), b: i % 7 === 0 ? 'NA' : b.toFixed(3), c: c.toFixed(3), y };
  });
}

/** The records as the raw numeric matrix the exported model takes: NaN where a cell is missing. */
const rawMatrix = (records: Record<string, string>[], cols: string[]): number[][] =>
  records.map((r) => cols.map((c) => (r[c] === 'NA' ? NaN : Number(r[c]))));

describe('exportOnnx of a table model', () => {
  it('writes the numeric preprocessing and the target scaling, so the ONNX model takes raw columns', async () => {
    for (const target of ['class', 'value'] as const) {
      const records = numericRecords(120, target);
      const model = await fitTable(records, { target: 'y', seed: 1, epochs: 5 });
      expect(model.pipeline.featureNames).toContain('b (missing)');
      const bytes = exportOnnx(model);
      const test = records.slice(0, 30);
      const theirs = await runOnnx(bytes, rawMatrix(test, ['a', 'b', 'c']));
      const p = model.predict(test);
      const ours = p.task === 'classification' ? p.probabilities.flat() : p.outputs.flat();
      expect(firstMismatch(theirs, ours, 1e-5, 1e-5)).toBeUndefined();
      const props = decodeModel(bytes).metadataProps;
      expect(props.find((e) => e.key === 'neurite.inputs')?.value).toBe('["a","b","c"]');
    }
  });

  it('refuses text columns with UNSUPPORTED naming them; preprocessing "none" exports the network alone', async () => {
    const records = numericRecords(80, 'class').map((r, i) => ({ ...r, colour: i % 3 === 0 ? 'red' : 'blue' }));
    const model = await fitTable(records, { target: 'y', seed: 1, epochs: 3 });
    expectCode(() => exportOnnx(model), 'UNSUPPORTED', /colour \(.*text/);
    const bytes = exportOnnx(model, { preprocessing: 'none' });
    const encoded = model.transform(records.slice(0, 10)).x;
    const rows = Array.from({ length: encoded.rows }, (_, r) =>
      Array.from(encoded.data.subarray(r * encoded.cols, (r + 1) * encoded.cols)),
    );
    await expectSamePredictions(model.net, bytes, rows);
  });
});
