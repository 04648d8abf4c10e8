import { Rng } from '../../core/rng.js';
import { NeuralNetwork } from '../../model/network.js';
import { evolve } from '../evolve.js';

/** Options of {@link compareOnRegression}. */
export interface RegressionComparisonOptions {
  /** Seed of the data, the initial network, evolution and training (default 1). */
  seed?: number;
  /** Samples of y = sin(x) on [−π, π] (default 64). */
  samples?: number;
  /** Generations of evolution (default 200). */
  generations?: number;
  /** Population size (default 100). */
  populationSize?: number;
  /** Epochs of backprop (default 500, full batch with Adam). */
  epochs?: number;
}

/** What {@link compareOnRegression} measured for each method, on the same data and architecture. */
export interface RegressionComparison {
  /** MSE of the data's mean (the baseline any method should beat). */
  baselineMse: number;
  evolution: { mse: number; generations: number; evaluations: number; network: NeuralNetwork };
  backprop: { mse: number; epochs: number; network: NeuralNetwork };
}

/**
 * Fits y = sin(x) on [−π, π] with one 1 → 8 (tanh) → 1 network architecture twice, from the
 * same initial weights: once by evolution (fitness −MSE, batch fast path), once by backprop (Adam),
 * and reports both MSEs.
 */
export async function compareOnRegression(options: RegressionComparisonOptions = {}): Promise<RegressionComparison> {
  const seed = options.seed ?? 1;
  const n = options.samples ?? 64;
  const rng = new Rng(seed);
  const xs = Array.from({ length: n }, () => [rng.uniform(-Math.PI, Math.PI)]);
  const ys = xs.map(([x]) => [Math.sin(x ?? 0)]);
  const mean = ys.reduce((s, [y]) => s + (y ?? 0), 0) / n;
  const baselineMse = ys.reduce((s, [y]) => s + ((y ?? 0) - mean) ** 2, 0) / n;
  const initial = new NeuralNetwork({
    layers: [1, 8, { units: 1, activation: 'linear' }],
    activation: 'tanh',
    seed,
  });

  const generations = options.generations ?? 200;
  const evo = await evolve({
    network: initial,
    populationSize: options.populationSize ?? 100,
    generations,
    seed,
    elitism: 2,
    crossover: { type: 'neuron', rate: 0.5 },
    mutation: { rate: 0.2, scale: 0.3, resetRate: 0.01, anneal: 0.995, minScale: 0.02 },
    batchFitness: {
      inputs: xs,
      score: (y) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += ((y[i] as number) - (ys[i]?.[0] ?? 0)) ** 2;
        return -s / n;
      },
    },
  });

  const epochs = options.epochs ?? 500;
  const bp = initial.clone();
  await bp.fit(xs, ys, {
    epochs,
    batchSize: n,
    optimizer: { type: 'adam', learningRate: 0.01 },
    loss: 'mse',
    shuffle: false,
  });
  return {
    baselineMse,
    evolution: { mse: -evo.bestFitness, generations: evo.generations, evaluations: evo.evaluations, network: evo.best },
    backprop: { mse: bp.evaluate(xs, ys, { loss: 'mse' }).loss, epochs, network: bp },
  };
}
