import type { Matrix } from '../core/matrix.js';
import type { NeuralNetwork } from './network.js';

/** Per-column mean and standard deviation of regression targets. */
export interface Scale {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

/** The targets' per-column mean and standard deviation (1 for a constant column). */
export function columnScale(y: Matrix): Scale {
  const mean = new Float64Array(y.cols);
  const std = new Float64Array(y.cols);
  for (let r = 0; r < y.rows; r++)
    for (let c = 0; c < y.cols; c++) mean[c] = (mean[c] as number) + (y.data[r * y.cols + c] as number) / y.rows;
  for (let r = 0; r < y.rows; r++)
    for (let c = 0; c < y.cols; c++)
      std[c] = (std[c] as number) + ((y.data[r * y.cols + c] as number) - (mean[c] as number)) ** 2 / y.rows;
  // A constant column keeps scale 1: there is nothing to standardise.
  for (let c = 0; c < y.cols; c++) std[c] = Math.sqrt(std[c] as number) || 1;
  return { mean, std };
}

/** The targets standardised with `s`. */
export function standardized(y: Matrix, s: Scale): Matrix {
  const data = new Float32Array(y.data.length);
  for (let i = 0; i < data.length; i++) {
    const c = i % y.cols;
    data[i] = ((y.data[i] as number) - (s.mean[c] as number)) / (s.std[c] as number);
  }
  return { rows: y.rows, cols: y.cols, data };
}

/**
 * Output j = std_j · (w_j·h + b_j) + mean_j, written into the linear output layer's own weights and
 * bias so the network predicts in the targets' units with nothing kept beside it. The optimizer's
 * moments belonged to the standardised weights, so they are forgotten.
 */
export function foldTargetScale(net: NeuralNetwork, s: Scale): void {
  const last = net.layers[net.layers.length - 1];
  if (last === undefined) return;
  const w = last.weights;
  const b = last.biases;
  for (let j = 0; j < last.units; j++) {
    const sd = s.std[j] as number;
    for (let i = 0; i < last.inputs; i++) w[j * last.inputs + i] = (w[j * last.inputs + i] as number) * sd;
    b[j] = (b[j] as number) * sd + (s.mean[j] as number);
  }
  net.optimizer.reset();
}
