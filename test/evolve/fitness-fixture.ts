// Fitness module imported by worker threads in parallel.test.ts.
import type { NeuralNetwork } from '../../src/index.js';

const xs = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const ys = [0, 1, 1, 0];

/** −MSE on XOR. */
export function fitness(net: NeuralNetwork): number {
  return -xs.reduce((s, x, i) => s + ((net.predict(x)[0] ?? 0) - (ys[i] ?? 0)) ** 2, 0) / 4;
}

/** Throws for genome 3 of generation 1. */
export function failing(net: NeuralNetwork, ctx: { generation: number; index: number }): number {
  if (ctx.generation === 1 && ctx.index === 3) throw new Error('boom');
  return fitness(net);
}
