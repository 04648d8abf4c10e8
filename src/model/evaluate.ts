import { NeuriteError } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import { toMatrix, type MatrixLike } from '../core/matrix.js';
import { getLoss, type Loss, type LossName } from '../nn/losses.js';
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

/**
 * The factor that turns a batch's loss into its sum over rows: the batch size for losses that are
 * means over rows; 1 for `ssr`, already a sum. Dividing the accumulated sums by the rows gives
 * every loss as a mean per row (for `ssr`: each row's sum of squared residuals, averaged), so
 * training and validation losses over sets of different sizes compare.
 */
export const rowsIn = (loss: Loss, m: number): number => (loss.reduction === 'none' ? 1 : m);

/** Implementation of {@link NeuralNetwork.evaluate}. */
export function evaluate(
  net: NeuralNetwork,
  inputs: MatrixLike,
  targets: MatrixLike,
  options: EvaluateOptions,
): Evaluation {
  checkOptions(options, ['loss', 'metrics'], 'evaluate options');
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
    lossSum += e.loss(m, loss) * rowsIn(loss, m);
    metrics.forEach((name, i) => (sums[i] = (sums[i] as number) + metricSum(name, m, net.outputSize, y, e.target)));
  });
  const result: Evaluation = { loss: lossSum / x.rows };
  metrics.forEach((name, i) => (result[name] = (sums[i] as number) / metricCount(name, x.rows, net.outputSize)));
  return result;
}
