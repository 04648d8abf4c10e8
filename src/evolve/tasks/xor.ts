import type { NeuralNetwork } from '../../model/network.js';
import { evolve, type EvolveOptions, type EvolveResult } from '../evolve.js';

/** The four XOR cases. */
export const XOR_INPUTS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
/** XOR targets, in the order of {@link XOR_INPUTS}. */
export const XOR_TARGETS: readonly number[] = [0, 1, 1, 0];

/** Result of {@link evolveXor}. */
export interface XorTaskResult extends EvolveResult {
  /** Mean squared error of the best network on the four cases. */
  mse: number;
  /** True when every case is on the right side of 0.5. */
  solved: boolean;
  /** The best network's outputs on the four cases. */
  outputs: number[];
}

/** MSE and per-case outputs of a 2 → … → 1 network on XOR. */
export function scoreXor(net: NeuralNetwork): { mse: number; solved: boolean; outputs: number[] } {
  const outputs = XOR_INPUTS.map((x) => net.predict(x)[0] as number);
  const mse = outputs.reduce((s, y, i) => s + (y - (XOR_TARGETS[i] as number)) ** 2, 0) / outputs.length;
  const solved = outputs.every((y, i) => y > 0.5 === (XOR_TARGETS[i] === 1));
  return { mse, solved, outputs };
}

/**
 * Learns XOR by evolution alone: a 2 → 4 (tanh) → 1 (sigmoid) network, fitness = −MSE computed
 * on the batch fast path, stopping once the MSE is below 0.01 (every case within 0.1 of its
 * target, so all four are classified correctly).
 */
export async function evolveXor(options: Partial<EvolveOptions> = {}): Promise<XorTaskResult> {
  const result = await evolve({
    layers: [2, 4, { units: 1, activation: 'sigmoid' }],
    activation: 'tanh',
    populationSize: 100,
    generations: 300,
    targetFitness: -0.01,
    elitism: 2,
    crossover: { type: 'neuron', rate: 0.5 },
    mutation: { rate: 0.2, scale: 0.5, resetRate: 0.01 },
    seed: 1,
    ...options,
    batchFitness: {
      inputs: XOR_INPUTS.map((x) => [...x]),
      score: (y) => {
        let s = 0;
        for (let i = 0; i < 4; i++) s += ((y[i] as number) - (XOR_TARGETS[i] as number)) ** 2;
        return -s / 4;
      },
    },
  });
  return { ...result, ...scoreXor(result.best) };
}
