import { NeuriteError } from '../core/errors.js';
import { toMatrix, type MatrixLike } from '../core/matrix.js';
import { getLoss, type LossName } from '../nn/losses.js';
import { metricCount, metricSum, parseMetrics, type MetricName } from './metrics.js';
import type { NeuralNetwork } from './network.js';

/** Options of {@link NeuralNetwork.evaluate}. */
export interface EvaluateOptions {
  /** Default: the network's loss. */
  loss?: LossName;
  metrics?: readonly MetricName[];
}

/** Result of {@link NeuralNetwork.evaluate}: the loss plus each requested metric. */
export type Evaluation = { loss: number } & Partial<Record<MetricName, number>>;

/** Implementation of {@link NeuralNetwork.evaluate}. */
export function evaluate(
  net: NeuralNetwork,
  inputs: MatrixLike,
  targets: MatrixLike,
  options: EvaluateOptions,
): Evaluation {
  // Values are checked chunk by chunk as eachChunk copies them into backend memory.
  const x = toMatrix(inputs, net.inputSize, 'inputs', false);
  const t = toMatrix(targets, net.outputSize, 'targets', false);
  if (x.rows !== t.rows) {
    throw new NeuriteError('SHAPE_MISMATCH', `inputs has ${String(x.rows)} rows but targets has ${String(t.rows)}`);
  }
  const loss = options.loss !== undefined ? getLoss(options.loss) : net.loss;
  const metrics = parseMetrics(options.metrics);
  let lossSum = 0;
  const sums = metrics.map(() => 0);
  const e = net.engine;
  e.eachChunk(x, t, (_s, m, y) => {
    // Weight each chunk by its rows so the result is the loss of the whole set.
    lossSum += e.loss(m, loss) * (loss.reduction === 'none' ? 1 : m);
    metrics.forEach((name, i) => (sums[i] = (sums[i] as number) + metricSum(name, m, net.outputSize, y, e.target)));
  });
  const result: Evaluation = { loss: loss.reduction === 'none' ? lossSum : lossSum / x.rows };
  metrics.forEach((name, i) => (result[name] = (sums[i] as number) / metricCount(name, x.rows, net.outputSize)));
  return result;
}
