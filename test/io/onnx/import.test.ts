import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, NeuralNetwork, Rng, TableModel, fitTable, type ActivationName } from '../../../src/index.js';
import { exportOnnx, importOnnx } from '../../../src/io/index.js';
import { ONNX_ACTIVATIONS } from '../../../src/io/onnx/activations.js';
import { encodeModel } from '../../../src/io/onnx/encode.js';
import { AttrType, DataType, type OnnxModel, type OnnxNode, type OnnxTensor } from '../../../src/io/onnx/proto.js';
import { expectCode } from '../../helpers/errors.js';
import { firstMismatch, randomRows } from '../../helpers/random.js';
import { runOnnx } from './ort.js';

function netWith(activation: ActivationName, seed: number): NeuralNetwork {
  const alpha = activation === 'leakyRelu' || activation === 'elu' ? { alpha: 0.3 } : {};
  return new NeuralNetwork({
    layers: [4, { units: 5, activation, ...alpha }, { units: 3, activation, ...alpha }],
    loss: 'mae',
    optimizer: { type: 'adam', learningRate: 0.003 },
    seed,
  });
}

describe('importOnnx of neurite’s own exports', () => {
  for (const activation of ACTIVATION_NAMES.filter((a) => a in ONNX_ACTIVATIONS)) {
    it(`${activation}: export → import gives identical predictions and settings`, () => {
      const net = netWith(activation, 11);
      const back = importOnnx(exportOnnx(net));
      const rows = randomRows(new Rng(2), 6, 4, -3, 3);
      expect(Array.from(back.predictBatch(rows).data)).toEqual(Array.from(net.predictBatch(rows).data));
      expect(back.architecture).toEqual(net.architecture);
    });
  }

  it('gelu written at opset 13 (elementary operators) reads back as gelu', () => {
    const net = netWith('gelu', 3);
    const back = importOnnx(exportOnnx(net, { opset: 13 }));
    expect(back.layers.map((l) => l.activation.name)).toEqual(['gelu', 'gelu']);
  });

  it('a table model comes back with its pipeline, predicting from raw records', async () => {
    const records = Array.from({ length: 90 }, (_, i) => ({
      a: String((i * 7) % 13),
      b: i % 5 === 0 ? '' : String(Math.sin(i)),
      y: i % 3 === 0 ? 'x' : 'z',
    }));
    const model = await fitTable(records, { target: 'y', seed: 1, epochs: 3 });
    const back = TableModel.fromJSON(importOnnx(exportOnnx(model)).toJSON());
    expect(back.predict(records)).toEqual(model.predict(records));
  });
});

// Graphs written the way other exporters write them (PyTorch: MatMul + Add, Constant nodes,
// initializers listed as graph inputs, float_data). Each is run in onnxruntime first, so it is
// valid ONNX, and neurite's import must give onnxruntime's outputs.
const f32 = (name: string, dims: number[], values: ArrayLike<number>): OnnxTensor => ({
  name,
  dims,
  dataType: DataType.FLOAT,
  floats: Float32Array.from(values),
});
const node = (opType: string, inputs: string[], output: string, attributes: OnnxNode['attributes'] = []): OnnxNode => ({
  inputs,
  outputs: [output],
  name: `${opType}_${output}`,
  opType,
  domain: '',
  attributes,
});
const constant = (output: string, value: number): OnnxNode =>
  node('Constant', [], output, [{ name: 'value', type: AttrType.TENSOR, t: f32('', [], [value]) }]);

function model(nodes: OnnxNode[], initializers: OnnxTensor[], opset: number, inputs = 3, outputs = 2): OnnxModel {
  return {
    irVersion: 7,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'hand',
    producerVersion: '',
    graph: {
      name: 'g',
      nodes,
      initializers,
      inputs: [
        { name: 'input', elemType: DataType.FLOAT, shape: ['N', inputs] },
        ...initializers.map((t) => ({ name: t.name, elemType: DataType.FLOAT, shape: t.dims })),
      ],
      outputs: [{ name: 'output', elemType: DataType.FLOAT, shape: ['N', outputs] }],
    },
    metadataProps: [],
  };
}

/** A PyTorch-style MLP 3 → 4 → 2: MatMul with [in, out] weights, Add, a tanh GELU spelt out, Softmax(axis 1). */
function pytorchStyle(rng: Rng): OnnxModel {
  const w1 = { ...f32('w1', [3, 4], randomRows(rng, 1, 12)[0]!), layout: 'typed' as const }; // float_data
  const b1 = f32('b1', [4], randomRows(rng, 1, 4)[0]!);
  const w2 = f32('fc2.weight', [2, 4], randomRows(rng, 1, 8)[0]!);
  const b2: OnnxTensor = {
    name: 'fc2.bias',
    dims: [2],
    dataType: DataType.DOUBLE,
    floats: Float32Array.from([0.1, -0.2]),
  };
  const nodes = [
    node('Flatten', ['input'], 'flat', [{ name: 'axis', type: AttrType.INT, i: 1 }]),
    node('MatMul', ['flat', 'w1'], 'mm'),
    node('Add', ['mm', 'b1'], 'z1'),
    constant('half', 0.5),
    node('Mul', ['z1', 'z1'], 'sq'),
    node('Mul', ['z1', 'sq'], 'cube'),
    constant('kappa', 0.044715),
    node('Mul', ['kappa', 'cube'], 'kc'),
    node('Add', ['z1', 'kc'], 'inner0'),
    constant('beta', Math.sqrt(2 / Math.PI)),
    node('Mul', ['beta', 'inner0'], 'inner'),
    node('Tanh', ['inner'], 't'),
    constant('one', 1),
    node('Add', ['one', 't'], 'onet'),
    node('Mul', ['z1', 'onet'], 'xt'),
    node('Mul', ['half', 'xt'], 'gelu'),
    node('Gemm', ['gelu', 'fc2.weight', 'fc2.bias'], 'z2', [{ name: 'transB', type: AttrType.INT, i: 1 }]),
    node('Softmax', ['z2'], 'output', [{ name: 'axis', type: AttrType.INT, i: 1 }]),
  ];
  return model(nodes, [w1, b1, w2, b2], 11);
}

describe('importOnnx of graphs in other exporters’ style', () => {
  it('MatMul + Add, Constant nodes, a spelt-out tanh GELU, double and float_data tensors: onnxruntime’s outputs', async () => {
    const m = pytorchStyle(new Rng(8));
    // DOUBLE initializers are not valid for a float Gemm in onnxruntime; give it float data for the run.
    const forOrt = structuredClone(m);
    forOrt.graph.initializers[3]!.dataType = DataType.FLOAT;
    const rows = randomRows(new Rng(3), 5, 3, -2, 2);
    const expected = await runOnnx(encodeModel(forOrt), rows);
    const net = importOnnx(encodeModel(m));
    expect(net.layers.map((l) => l.activation.name)).toEqual(['gelu', 'softmax']);
    expect(firstMismatch(net.predictBatch(rows).data, expected, 1e-5, 1e-6)).toBeUndefined();
  });

  it('refuses other operators with UNSUPPORTED naming the operator and its position', () => {
    const m = pytorchStyle(new Rng(1));
    m.graph.nodes.splice(1, 0, node('Conv', ['flat', 'w1'], 'conv'));
    expectCode(() => importOnnx(encodeModel(m)), 'UNSUPPORTED', /node 1 \(Conv/);
  });

  it('refuses the exact (erf) GELU, saying what neurite has instead', () => {
    const m = pytorchStyle(new Rng(1));
    m.graph.nodes.splice(
      3,
      13,
      constant('sqrt2', Math.SQRT2),
      node('Div', ['z1', 'sqrt2'], 'd'),
      node('Erf', ['d'], 'e'),
      constant('one', 1),
      node('Add', ['e', 'one'], 'e1'),
      node('Mul', ['z1', 'e1'], 'm'),
      constant('half', 0.5),
      node('Mul', ['m', 'half'], 'gelu'),
    );
    expectCode(() => importOnnx(encodeModel(m)), 'UNSUPPORTED', /erf.*approximate='tanh'/);
  });

  it('refuses a graph with two inputs or a branch', () => {
    const two = pytorchStyle(new Rng(1));
    two.graph.inputs.push({ name: 'other', elemType: DataType.FLOAT, shape: ['N', 3] });
    expectCode(() => importOnnx(encodeModel(two)), 'UNSUPPORTED', /2 inputs/);
    const branch = pytorchStyle(new Rng(1));
    branch.graph.nodes.splice(3, 0, node('Relu', ['flat'], 'side'));
    expectCode(() => importOnnx(encodeModel(branch)), 'UNSUPPORTED', /node 3 \(Relu.*does not continue/);
  });
});
