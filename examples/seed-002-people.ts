/**
 * Seed 002 ("Neural Network from scratch"): a 3 → 2 → 1 sigmoid network that guesses from height,
 * weight and age, trained one sample at a time for 1000 epochs with learning rate 0.1.
 *
 * Run: `npx tsx examples/seed-002-people.ts`
 */
import { NeuralNetwork } from '../src/index.js';

export const trainingInputs = [
  [170, 70, 25],
  [160, 55, 30],
  [180, 90, 40],
  [150, 45, 20],
];
export const trainingTargets = [[1], [0], [1], [0]];
export const testInputs = [
  [175, 75, 27],
  [165, 60, 35],
  [185, 95, 42],
];

/**
 * Trains as the post does and returns the predictions for its test inputs and the loss per epoch.
 * With `standardize`, inputs are first scaled to zero mean and unit variance (statistics from the
 * training rows): raw heights of ~170 saturate the sigmoids, so the post's network predicts ~0.5
 * for everyone — reproduced faithfully when `standardize` is false.
 */
export function main(log = false, standardize = false): { predictions: number[]; epochLoss: number[] } {
  const cols = [0, 1, 2];
  const mean = cols.map((c) => trainingInputs.reduce((s, r) => s + (r[c] as number), 0) / trainingInputs.length);
  const std = cols.map((c) =>
    Math.sqrt(
      trainingInputs.reduce((s, r) => s + ((r[c] as number) - (mean[c] as number)) ** 2, 0) / trainingInputs.length,
    ),
  );
  const scale = (r: number[]): number[] =>
    standardize ? r.map((v, c) => (v - (mean[c] as number)) / (std[c] as number)) : r;
  // The post's `NeuralNetwork(3, 2, 1, 0.1)`; its weights are np.random.normal(0, units^-0.5): 'normal'.
  const network = new NeuralNetwork({
    layers: [3, 2, 1],
    activation: 'sigmoid',
    initializer: 'normal',
    learningRate: 0.1,
    seed: 2,
  });
  const epochLoss: number[] = [];
  for (let i = 0; i < 1000; i++) {
    let sum = 0;
    trainingInputs.forEach((x, k) => (sum += network.train(scale(x), trainingTargets[k] as number[])));
    epochLoss.push(sum / trainingInputs.length);
  }
  const predictions = testInputs.map((x) => network.predict(scale(x))[0] as number);
  if (log) for (const [k, p] of predictions.entries()) console.log('Prediction:', testInputs[k], p.toFixed(4));
  return { predictions, epochLoss };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  console.log('As in the post (raw inputs):');
  main(true);
  console.log('With standardized inputs:');
  main(true, true);
}
