import { describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import { testBackend } from '../helpers/backends.js';
import { expectCode } from '../helpers/errors.js';

const linear = (): NeuralNetwork =>
  new NeuralNetwork({
    layers: [3, { units: 2, activation: 'linear' }, { units: 1, activation: 'linear' }],
    seed: 4,
    backend: testBackend(),
  });

describe('weights access', () => {
  it('layers[l].weights is live and row-major [units][inputs]; biases are live', () => {
    const net = linear();
    const [l0, l1] = net.layers as [(typeof net.layers)[0], (typeof net.layers)[0]];
    expect(l0.weights).toBeInstanceOf(Float32Array);
    expect(l0.weights.length).toBe(6);
    // Row j = neuron j's incoming weights: neuron 0 sees only input 1, neuron 1 sums inputs 0 and 2.
    l0.weights.set([0, 1, 0, 1, 0, 1]);
    l0.biases.set([0.5, -1]);
    l1.weights.set([2, 3]);
    l1.biases[0] = 0.25;
    const x = [1, 2, 4];
    // h = [2 + 0.5, 1 + 4 − 1] = [2.5, 4]; y = 2·2.5 + 3·4 + 0.25 = 17.25
    expect(net.predict(x)[0]).toBeCloseTo(17.25, 5);
    expect(net.getNeuron(0, 1)).toEqual({ weights: [1, 0, 1], bias: -1 });
    // getWeights: layer by layer, weights then biases.
    expect(Array.from(net.getWeights())).toEqual([0, 1, 0, 1, 0, 1, 0.5, -1, 2, 3, 0.25]);
    expect(net.parameterCount).toBe(11);
  });

  it('setNeuron changes one neuron (weights and/or bias) and validates', () => {
    const net = linear();
    const before = net.getWeights();
    net.setNeuron(0, 1, { weights: [7, 8, 9] });
    net.setNeuron(0, 1, { bias: 0.5 });
    expect(net.getNeuron(0, 1)).toEqual({ weights: [7, 8, 9], bias: 0.5 });
    const after = net.getWeights();
    const changed = [...after.keys()].filter((i) => after[i] !== before[i]);
    expect(changed).toEqual([3, 4, 5, 7]);
    expectCode(() => net.setNeuron(0, 1, { weights: [1, 2] }), 'SHAPE_MISMATCH');
    expectCode(() => net.setNeuron(0, 2, { bias: 0 }), 'SHAPE_MISMATCH', /layer 0 has 2 neurons/);
    expectCode(() => net.setNeuron(2, 0, { bias: 0 }), 'SHAPE_MISMATCH', /2 layers/);
    expectCode(() => net.getNeuron(-1, 0), 'INVALID_OPTION');
    expectCode(() => net.setNeuron(0, 0, { bias: NaN }), 'NON_FINITE');
    expectCode(() => net.setNeuron(0, 0, { weights: [1, Infinity, 0] }), 'NON_FINITE');
  });

  it('freezeNeuron keeps a neuron unchanged through fit while the others train; unfreezing resumes', async () => {
    const net = new NeuralNetwork({ layers: [2, 4, 1], seed: 3, backend: testBackend() });
    net.freezeNeuron(0, 2);
    expect(net.isFrozen(0, 2)).toBe(true);
    const frozen = net.getNeuron(0, 2);
    const other = net.getNeuron(0, 1);
    const x = [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ];
    const y = [[0], [1], [1], [0]];
    await net.fit(x, y, {
      epochs: 20,
      batchSize: 2,
      optimizer: { type: 'adam', learningRate: 0.05, weightDecay: 0.1 },
    });
    net.train([1, 1], [1]);
    expect(net.getNeuron(0, 2)).toEqual(frozen);
    expect(net.getNeuron(0, 1)).not.toEqual(other);
    // A clone keeps the freeze.
    const copy = net.clone();
    await copy.fit(x, y, { epochs: 3 });
    expect(copy.getNeuron(0, 2)).toEqual(frozen);
    net.freezeNeuron(0, 2, false);
    await net.fit(x, y, { epochs: 3 });
    expect(net.getNeuron(0, 2)).not.toEqual(frozen);
  });

  it('a clone keeps the optimizer settings, including a default learning rate', async () => {
    const net = linear();
    await net.fit([[1, 2, 3]], [[1]], { epochs: 1, optimizer: 'adam' });
    const copy = net.clone();
    expect(copy.optimizer.spec).toEqual(net.optimizer.spec);
    expect(copy.optimizer.learningRate).toBe(0.001);
  });

  it('getWeights returns a copy; setWeights validates length and finiteness', () => {
    const net = linear();
    const w = net.getWeights();
    w[0] = 123;
    expect(net.layers[0]!.weights[0]).not.toBe(123);
    expectCode(() => net.setWeights(new Float32Array(10)), 'SHAPE_MISMATCH', /11/);
    expectCode(() => net.setWeights(new Array<number>(11).fill(NaN)), 'NON_FINITE');
  });
});

describe('dropout', () => {
  const x = [[0.1, 0.2, 0.3, 0.4]];
  const make = (dropout: number): NeuralNetwork =>
    new NeuralNetwork({
      layers: [4, { units: 16, activation: 'relu', dropout }, { units: 2, activation: 'linear' }],
      seed: 9,
      backend: testBackend(),
    });

  it('is inactive in predict/predictBatch/evaluate: same outputs as without dropout', () => {
    const a = make(0.5);
    const b = make(0);
    b.setWeights(a.getWeights());
    expect(Array.from(a.predict(x[0]!))).toEqual(Array.from(b.predict(x[0]!)));
    expect(Array.from(a.predictBatch(x).data)).toEqual(Array.from(b.predictBatch(x).data));
    expect(a.evaluate(x, [[1, 1]]).loss).toBe(b.evaluate(x, [[1, 1]]).loss);
  });

  it('is active in fit: with learning rate 0 the epoch losses vary and differ from evaluate', async () => {
    const net = make(0.5);
    const t = [[1, -1]];
    const h = await net.fit(x, t, { epochs: 8, optimizer: { type: 'sgd', learningRate: 0 } });
    const clean = net.evaluate(x, t).loss;
    expect(new Set(h.loss).size).toBeGreaterThan(1);
    expect(h.loss.some((l) => Math.abs(l - clean) > 1e-6)).toBe(true);
  });

  it('scales kept units by 1/(1 − rate) (inverted dropout): the mean training output matches predict', async () => {
    const net = new NeuralNetwork({
      layers: [1, { units: 200, activation: 'linear', dropout: 0.5 }, { units: 1, activation: 'linear' }],
      seed: 2,
      backend: testBackend(),
    });
    net.layers[0]!.weights.fill(1);
    net.layers[1]!.weights.fill(1 / 200);
    const outputs: number[] = [];
    // lr 0: each fit epoch measures one dropout forward pass; ssr of target 0 is output².
    const h = await net.fit([[1]], [[0]], { epochs: 200, loss: 'ssr', optimizer: { type: 'sgd', learningRate: 0 } });
    for (const l of h.loss) outputs.push(Math.sqrt(l));
    const mean = outputs.reduce((a, b) => a + b, 0) / outputs.length;
    expect(net.predict([1])[0]).toBeCloseTo(1, 6);
    expect(Math.abs(mean - 1)).toBeLessThan(0.02);
  });

  it('is not allowed on the output layer and must be in [0, 1)', () => {
    expectCode(() => new NeuralNetwork({ layers: [2, { units: 1, dropout: 0.5 }] }), 'INVALID_OPTION');
    expectCode(() => new NeuralNetwork({ layers: [2, { units: 3, dropout: 1 }, 1] }), 'INVALID_OPTION');
    expectCode(() => new NeuralNetwork({ layers: [2, { units: 3, dropout: -0.1 }, 1] }), 'INVALID_OPTION');
  });
});

describe('summary', () => {
  it('lists every layer with shape, activation, dropout and parameter counts, then totals', () => {
    const net = new NeuralNetwork({
      layers: [
        5,
        { units: 4, activation: 'relu', dropout: 0.25 },
        { units: 4, activation: 'relu' },
        { units: 2, activation: 'linear' },
      ],
      loss: 'ssr',
      optimizer: 'adam',
      seed: 1,
      backend: testBackend(),
    });
    const s = net.summary();
    const lines = s.split('\n');
    expect(lines[0]).toMatch(/layer.*output shape.*activation.*params/);
    expect(s).toMatch(/input\s+\(5\)/);
    expect(s).toMatch(/dense 5→4\s+\(4\)\s+relu \+ dropout 0\.25\s+24/);
    expect(s).toMatch(/dense 4→4\s+\(4\)\s+relu\s+20/);
    expect(s).toMatch(/dense 4→2\s+\(2\)\s+linear\s+10/);
    expect(s).toMatch(/total parameters: 54/);
    expect(s).toMatch(/loss: ssr/);
    expect(s).toMatch(/optimizer: adam/);
    expect(s).toContain(`backend: ${net.backend.name}`);
  });
});
