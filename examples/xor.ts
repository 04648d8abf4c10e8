/**
 * XOR, the smallest problem a single neuron cannot solve, learned with `fit` and Adam.
 *
 * Run: `npx tsx examples/xor.ts`
 */
import { NeuralNetwork } from '../src/index.js';

export const inputs = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
export const targets = [[0], [1], [1], [0]];

/** Trains and returns the final MSE and the four predictions. */
export async function main(log = false): Promise<{ mse: number; predictions: number[] }> {
  const net = new NeuralNetwork({
    layers: [2, { units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
    seed: 7,
  });
  await net.fit(inputs, targets, { epochs: 500, batchSize: 4, optimizer: { type: 'adam', learningRate: 0.05 } });
  const { loss } = net.evaluate(inputs, targets, { loss: 'mse' });
  const predictions = Array.from(net.predictBatch(inputs).data);
  if (log) console.log(`MSE ${loss.toFixed(5)}; predictions ${predictions.map((p) => p.toFixed(3)).join(' ')}`);
  return { mse: loss, predictions };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) await main(true);
