import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';

// A version-1 file written by neurite before the model engine (main at c0284d5): tanh → leakyRelu
// with dropout → softmax, cross-entropy, Adam, 3 epochs; with and without the training state, the
// predictions it made then, and its weights after 2 more epochs of the same fit from that file.
interface Fixture {
  inputs: number[][];
  targets: number[][];
  model: unknown;
  lean: unknown;
  predictions: number[];
  afterTwoMoreEpochs: number[];
}
const fixture = JSON.parse(readFileSync(new URL('fixtures/model-v1.json', import.meta.url), 'utf8')) as Fixture;

describe('version-1 model files still load', () => {
  it('predicts exactly what the writing version predicted, with and without the training state', () => {
    for (const json of [fixture.model, fixture.lean]) {
      const net = NeuralNetwork.fromJSON(json, { backend: 'js' });
      expect(Array.from(net.predictBatch(fixture.inputs).data)).toEqual(fixture.predictions);
    }
  });

  it('resumes training exactly where the writing version would have gone', async () => {
    const net = NeuralNetwork.fromJSON(fixture.model, { backend: 'js' });
    await net.fit(fixture.inputs, fixture.targets, {
      epochs: 2,
      batchSize: 2,
      optimizer: { type: 'adam', learningRate: 0.01 },
    });
    expect(Array.from(net.getWeights())).toEqual(fixture.afterTwoMoreEpochs);
  });

  it('writes the same file back', () => {
    const net = NeuralNetwork.fromJSON(fixture.model, { backend: 'js' });
    expect(JSON.parse(JSON.stringify(net.toJSON()))).toEqual(fixture.model);
  });
});
