// A real FoldEvaluator for the model-selection tests: a small network on iris, the inputs
// standardised with the fold's training rows only, scored by held-out accuracy. Imported by the
// tests and by trialPool's workers.
import { NeuralNetwork, NeuriteError } from '../../src/index.js';
import { applyStandardize, iris, standardize, takeRows } from '../../src/data/index.js';
import type { FoldEvaluator } from '../../src/select/index.js';

/** Builds the evaluator; `data.failOn` makes jobs with that learning rate throw (error-path tests). */
export function createEvaluator(data: { failOn?: number } = {}): FoldEvaluator {
  const ds = iris();
  return async ({ params, train, test, seed }) => {
    if (data.failOn !== undefined && params['learningRate'] === data.failOn)
      throw new NeuriteError('INVALID_OPTION', 'learning rate refused by the fixture');
    const stats = standardize(takeRows(ds.x, train));
    const net = new NeuralNetwork({
      layers: [4, Number(params['width'] ?? 8), 3],
      activation: String(params['activation'] ?? 'relu') as 'relu',
      outputActivation: 'softmax',
      loss: 'categoricalCrossEntropy',
      seed,
      backend: 'js',
    });
    await net.fit(applyStandardize(takeRows(ds.x, train), stats), takeRows(ds.y, train), {
      epochs: Number(params['epochs'] ?? 10),
      batchSize: 16,
      optimizer: { type: 'adam', learningRate: Number(params['learningRate'] ?? 0.01) },
    });
    const r = net.evaluate(applyStandardize(takeRows(ds.x, test), stats), takeRows(ds.y, test), {
      metrics: ['accuracy'],
    });
    return r['accuracy'] as number;
  };
}
