/**
 * The README's API tour as one runnable module: seed 002 style `train`/`predict`, the full form
 * with `fit` (validation, early stopping, abort), neuron access, JSON, and the data helpers.
 *
 * Run: `npx tsx examples/api-tour.ts`
 */
import {
  NeuralNetwork,
  NeuriteError,
  TableModel,
  classificationBaseline,
  classificationMetrics,
  fitTable,
  type ClassificationMetrics,
  type History,
} from '../src/index.js';
import { applyStandardize, circles, describeTransform, iris, standardize, trainTestSplit } from '../src/data/index.js';

/** What the tour produced, for the test to check. */
export interface TourResult {
  trainLoss: number;
  history: History;
  errorCode: string;
  roundTripEqual: boolean;
  editedNeuron: { weights: number[]; bias: number };
  circlesAccuracy: number;
  /** The table model's label for a raw record, and what preprocessing said about it. */
  tableLabel: string;
  tableNotes: string[];
  tableRoundTripEqual: boolean;
  circlesMetrics: ClassificationMetrics;
  baselineAccuracy: number;
}

/** Runs every snippet of the README's API tour. */
export async function main(log = false): Promise<TourResult> {
  const net = new NeuralNetwork({ layers: [3, 2, 1], activation: 'sigmoid', learningRate: 0.1, seed: 42 });
  const trainLoss = net.train([170, 70, 25], [1]);
  net.predict([175, 75, 27]);

  const model = new NeuralNetwork({
    layers: [
      5,
      { units: 4, activation: 'relu' },
      { units: 4, activation: 'relu', dropout: 0.1 },
      { units: 2, activation: 'linear' },
    ],
    seed: 1,
  });
  // Any number[][] (a row per sample) or Matrix; here 200 made-up rows of 5 inputs and 2 targets.
  const inputs = Array.from({ length: 200 }, (_, i) => [0, 1, 2, 3, 4].map((j) => Math.sin(0.37 * i + j)));
  const targets = inputs.map((row) => [row.reduce((s, v) => s + v, 0), Math.max(...row)]);
  const controller = new AbortController(); // controller.abort() stops fit after the current batch
  const history = await model.fit(inputs, targets, {
    epochs: 200,
    batchSize: 32,
    loss: 'ssr',
    optimizer: { type: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    shuffle: true,
    validationSplit: 0.2,
    earlyStopping: { patience: 10, restoreBest: true },
    metrics: ['mae'],
    onEpochEnd: (epoch, logs) => {
      if (log && epoch % 20 === 0) console.log(epoch, logs.loss, logs.valLoss);
    },
    signal: controller.signal,
  });
  model.predictBatch(inputs);
  model.evaluate(inputs, targets, { loss: 'mse', metrics: ['mae'] });
  if (log) console.log(model.summary());

  let errorCode = '';
  try {
    net.predict([1, 2]);
  } catch (e) {
    if (e instanceof NeuriteError) errorCode = e.code;
  }

  net.setNeuron(0, 1, { weights: [0.5, -0.2, 0.1], bias: 0 });
  net.freezeNeuron(0, 1);
  net.setWeights(net.getWeights());
  const same = NeuralNetwork.fromJSON(JSON.parse(JSON.stringify(net.toJSON())));
  NeuralNetwork.fromJSON(net.toJSON({ optimizerState: false }));
  const probe = [160, 60, 30];
  const roundTripEqual = same.predict(probe)[0] === net.predict(probe)[0];

  const { train, test } = trainTestSplit(circles({ n: 400, noise: 0.1, seed: 1 }), { testFraction: 0.25, seed: 1 });
  const stats = standardize(train.x);
  const clf = new NeuralNetwork({
    layers: [2, 8, 8, train.y.cols],
    activation: 'tanh',
    outputActivation: 'softmax',
    loss: 'categoricalCrossEntropy',
    seed: 1,
  });
  await clf.fit(applyStandardize(train.x, stats), train.y, {
    epochs: 100,
    optimizer: { type: 'adam', learningRate: 0.01 },
  });
  const circlesAccuracy =
    clf.evaluate(applyStandardize(test.x, stats), test.y, { metrics: ['accuracy'] }).accuracy ?? 0;
  if (log) console.log(`circles test accuracy ${circlesAccuracy.toFixed(3)}`);

  const probs = clf.predictBatch(applyStandardize(test.x, stats));
  const circlesMetrics = classificationMetrics(test.y, probs); // accuracy, f1Macro, rocAuc, logLoss, perClass, …
  const baseline = classificationBaseline(train.y, test.y); // always the training rows' most frequent class
  if (log)
    console.log(`F1 ${circlesMetrics.f1Macro.toFixed(3)}, baseline accuracy ${baseline.metrics.accuracy.toFixed(3)}`);

  // Tables: raw records in, labels out; the preprocessing is fitted and saved with the network.
  const flower = iris();
  const records = Array.from({ length: flower.x.rows }, (_, r) => ({
    id: String(r + 1), // a row number: dropped, with a note
    sepal_length: String(flower.x.data[r * 4]),
    petal_length: r % 10 === 0 ? 'NA' : String(flower.x.data[r * 4 + 2]), // gaps: filled in with the median
    petal_width: String(flower.x.data[r * 4 + 3]),
    garden: ['north', 'south'][r % 2] as string,
    species: flower.classes?.[flower.y.data.subarray(r * 3, r * 3 + 3).indexOf(1)] ?? '',
  }));
  const table = await fitTable(records, { target: 'species', seed: 1 });
  if (log) console.log(table.describe().join('\n')); // what happened to each column
  const p = table.predict([{ sepal_length: '5.1', petal_length: '', petal_width: '0.2', garden: 'east' }]);
  if (log && p.task === 'classification') console.log(p.labels[0], p.probabilities[0]);
  const tableNotes = describeTransform(p.report); // petal_length filled in, garden "east" unknown: ignored
  const reloaded = TableModel.fromJSON(JSON.parse(JSON.stringify(table.toJSON())));
  const again = reloaded.predict([{ sepal_length: '5.1', petal_length: '', petal_width: '0.2', garden: 'east' }]);
  return {
    trainLoss,
    history,
    errorCode,
    roundTripEqual,
    editedNeuron: net.getNeuron(0, 1),
    circlesAccuracy,
    tableLabel: p.task === 'classification' ? (p.labels[0] ?? '') : '',
    tableNotes,
    tableRoundTripEqual: JSON.stringify(again) === JSON.stringify(p),
    circlesMetrics,
    baselineAccuracy: baseline.metrics.accuracy,
  };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) await main(true);
