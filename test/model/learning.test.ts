import { describe, expect, it } from 'vitest';
import { NeuralNetwork, Rng, type ActivationName, type OptimizerSpec } from '../../src/index.js';
import { testBackend } from '../helpers/backends.js';

const XOR = {
  x: [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ],
  y: [[0], [1], [1], [0]],
};
const AND = { x: XOR.x, y: [[0], [0], [0], [1]] };
const OR = { x: XOR.x, y: [[0], [1], [1], [1]] };

describe('learning', () => {
  it('learns XOR to < 0.05 MSE (tanh hidden layer, sigmoid output, Adam)', async () => {
    const net = new NeuralNetwork({
      layers: [2, { units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
      seed: 3,
      backend: testBackend(),
    });
    const h = await net.fit(XOR.x, XOR.y, {
      epochs: 600,
      batchSize: 4,
      loss: 'mse',
      optimizer: { type: 'adam', learningRate: 0.05 },
    });
    expect(net.evaluate(XOR.x, XOR.y, { loss: 'mse' }).loss).toBeLessThan(0.05);
    expect(net.evaluate(XOR.x, XOR.y, { metrics: ['accuracy'] }).accuracy).toBe(1);
    expect(h.loss.at(-1)).toBeLessThan(h.loss[0]!);
  });

  // brain.js-style bitwise tests: XOR, AND and OR for several hidden activations × optimizers.
  const optimizers: Record<string, OptimizerSpec> = {
    sgd: { type: 'sgd', learningRate: 0.5, momentum: 0.9 },
    adam: { type: 'adam', learningRate: 0.05 },
    rmsprop: { type: 'rmsprop', learningRate: 0.02 },
  };
  for (const activation of [
    'sigmoid',
    'tanh',
    'relu',
    'leakyRelu',
    'elu',
    'gelu',
  ] as const satisfies readonly ActivationName[]) {
    for (const [name, optimizer] of Object.entries(optimizers)) {
      it(`XOR, AND and OR with ${activation} hidden units and ${name}`, async () => {
        for (const [i, gate] of [XOR, AND, OR].entries()) {
          const net = new NeuralNetwork({
            layers: [2, { units: 6, activation }, { units: 1, activation: 'sigmoid' }],
            seed: 10 + i,
            backend: testBackend(),
          });
          await net.fit(gate.x, gate.y, { epochs: 800, batchSize: 4, loss: 'binaryCrossEntropy', optimizer });
          const p = net.predictBatch(gate.x).data;
          gate.y.forEach((t, r) =>
            expect(
              Math.abs((p[r] as number) - (t[0] as number)),
              `${activation}/${name} gate ${String(i)} row ${String(r)}`,
            ).toBeLessThan(0.3),
          );
        }
      });
    }
  }

  it('seed 001: 5 → 4 → 4 → 2 on SSR; the SSR falls with sigmoid and with ReLU', async () => {
    const rng = new Rng(1);
    const x: number[][] = [];
    const y: number[][] = [];
    for (let i = 0; i < 64; i++) {
      const r = Array.from({ length: 5 }, () => rng.uniform(-1, 1));
      x.push(r);
      y.push([0.5 + 0.3 * Math.tanh(r[0]! + r[1]! - r[2]!), 0.5 + 0.2 * Math.sin(r[3]! * r[4]! + r[0]!)]);
    }
    for (const activation of ['sigmoid', 'relu'] as const) {
      const net = new NeuralNetwork({
        layers: [5, { units: 4, activation }, { units: 4, activation }, { units: 2, activation: 'linear' }],
        seed: 1,
        backend: testBackend(),
      });
      const before = net.evaluate(x, y, { loss: 'ssr' }).loss;
      const h = await net.fit(x, y, {
        epochs: 200,
        batchSize: 8,
        loss: 'ssr',
        optimizer: { type: 'sgd', learningRate: 0.01 },
      });
      const after = net.evaluate(x, y, { loss: 'ssr' }).loss;
      expect(after, activation).toBeLessThan(before * 0.5);
      // The curve falls overall: the last tenth is well below the first epoch.
      const tail = h.loss.slice(-20).reduce((a, b) => a + b, 0) / 20;
      expect(tail, activation).toBeLessThan(h.loss[0]! * 0.7);
    }
  });

  it('seed 002: train() one sample at a time on the people data lowers the loss', () => {
    // height (cm), weight (kg), age → 1 for one class; inputs standardised by hand.
    const people = [
      [170, 70, 25, 1],
      [160, 55, 30, 0],
      [180, 85, 40, 1],
      [155, 50, 22, 0],
      [175, 78, 35, 1],
      [158, 52, 28, 0],
    ];
    const x = people.map(([h, w, a]) => [(h! - 165) / 10, (w! - 65) / 15, (a! - 30) / 7]);
    const y = people.map((p) => [p[3]!]);
    const net = new NeuralNetwork({
      layers: [3, 2, 1],
      activation: 'sigmoid',
      learningRate: 0.5,
      seed: 42,
      backend: testBackend(),
    });
    const before = net.evaluate(x, y).loss;
    for (let epoch = 0; epoch < 300; epoch++) for (let i = 0; i < x.length; i++) net.train(x[i]!, y[i]!);
    expect(net.evaluate(x, y).loss).toBeLessThan(before * 0.2);
    expect(net.predict(x[0]!)).toBeInstanceOf(Float32Array);
  });

  it('multi-class: softmax + categoricalCrossEntropy separates three clusters', async () => {
    const rng = new Rng(4);
    const centers = [
      [-2, 0],
      [2, 0],
      [0, 2.5],
    ];
    const x: number[][] = [];
    const y: number[][] = [];
    for (let i = 0; i < 90; i++) {
      const c = i % 3;
      x.push([centers[c]![0]! + rng.normal(0, 0.5), centers[c]![1]! + rng.normal(0, 0.5)]);
      y.push([0, 1, 2].map((k) => (k === c ? 1 : 0)));
    }
    const net = new NeuralNetwork({
      layers: [2, { units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }],
      loss: 'categoricalCrossEntropy',
      seed: 5,
      backend: testBackend(),
    });
    await net.fit(x, y, { epochs: 100, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.02 } });
    expect(net.evaluate(x, y, { metrics: ['accuracy'] }).accuracy).toBeGreaterThan(0.95);
  });
});
