// The brain.js peer (W1–W3): its CPU `NeuralNetwork` (plain JS, Float32Array per layer, online
// SGD one sample at a time). brain.js is CommonJS, so it is loaded with createRequire.
//
// brain.js semantics (read from node_modules/brain.js/dist/index.js, 2.0.0-beta.24):
// - `activation` applies to every layer, the output layer included (no per-layer choice, no softmax);
// - the loss is MSE-style (output error = target − output; deltas × activation derivative);
// - weight update: change = lr·delta·input + momentum·change (momentum defaults to 0.1), bias += lr·delta;
// - `train(data, { iterations })`: one iteration = one pass over `data` in the given order (no
//   shuffling); with errorCheckInterval 1 every pass also sums each sample's output MSE
//   (bookkeeping inside the same pass, not an extra forward pass); training stops early when that
//   error ≤ errorThresh;
// - `validateTrainingOptions` rejects momentum 0 and errorThresh 0 (both must lie in (0, 1)).
import { createRequire } from 'node:module';
import type * as BrainModule from 'brain.js';

/** The brain.js subject name. */
export const BRAINJS = 'brainjs';

const require = createRequire(import.meta.url);

/** A brain.js network taking and returning plain arrays or Float32Arrays. */
export type BrainNet = BrainModule.NeuralNetwork<number[] | Float32Array, number[] | Float32Array>;

/** Options of `train` (brain.js does not export their type by name). */
export type TrainOptions = NonNullable<Parameters<BrainNet['train']>[1]>;

/** Installed brain.js version, e.g. `'2.0.0-beta.24'`. */
export function brainVersion(): string {
  return (require('brain.js/package.json') as { version: string }).version;
}

/**
 * A brain.js network with weights already initialised (so timing starts at training), whose
 * option check lets momentum 0 and errorThresh 0 through: the workloads are plain per-sample SGD
 * that runs every iteration. Every other option is still checked by brain.js itself.
 */
export function brainNet(sizes: readonly number[], activation: 'sigmoid' | 'relu', learningRate: number): BrainNet {
  const brain = require('brain.js') as typeof BrainModule;
  const net: BrainNet = new brain.NeuralNetwork({
    inputSize: sizes[0]!,
    hiddenLayers: sizes.slice(1, -1),
    outputSize: sizes[sizes.length - 1]!,
    activation,
    learningRate,
  });
  const check = net.validateTrainingOptions.bind(net);
  net.validateTrainingOptions = (o) =>
    check({
      ...o,
      momentum: o.momentum === 0 ? 0.5 : o.momentum,
      errorThresh: o.errorThresh === 0 ? 0.5 : o.errorThresh,
    });
  net.initialize();
  return net;
}

/** Per-sample SGD options for `train`: plain SGD (momentum 0), never stops early, no logging. */
export function sgd(learningRate: number, iterations: number): TrainOptions {
  return { iterations, learningRate, momentum: 0, errorThresh: 0, log: false };
}

/** Rows of a row-major Float32Array as plain arrays (brain.js only accepts arrays or lookup hashes). */
export function rowsOf(data: Float32Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from(data.subarray(r * cols, (r + 1) * cols)));
}
