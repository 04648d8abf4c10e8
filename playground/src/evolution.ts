// Neuroevolution mode: the page's network evolved by the library's Population instead of trained.
// The fitness is the negative cross-entropy on the training set, run through the batched forward
// fast path; the network the page shows is always the best one found so far.
import { Population } from '../../src/evolve/index.ts';
import type { FloatArray, NeuralNetwork } from '../../src/index.ts';
import type { PlaygroundData } from './data.ts';
import type { Settings } from './settings.ts';

export interface Evolution {
  readonly generation: number;
  /** Evaluates and breeds one generation, then copies the best network into the page's network. */
  step(): Promise<{ generation: number; best: number; mean: number }>;
  /** Puts hand-edited weights into the next generation (in place of a bred, not yet scored child). */
  adopt(net: NeuralNetwork): void;
}

export const evolveAvailable = true;

const EPS = 1e-7;

/** Mean cross-entropy of outputs against one-hot (or single 0/1 column) targets, negated. */
function negativeCrossEntropy(out: FloatArray, y: FloatArray, rows: number, cols: number): number {
  let sum = 0;
  for (let i = 0; i < rows * cols; i++) {
    const p = Math.min(1 - EPS, Math.max(EPS, out[i] as number));
    const t = y[i] as number;
    sum += cols === 1 ? -(t * Math.log(p) + (1 - t) * Math.log(1 - p)) : -t * Math.log(p);
  }
  return -sum / rows;
}

export function createEvolution(net: NeuralNetwork, data: PlaygroundData, s: Settings): Evolution {
  const { xTrain, yTrain } = data;
  const pop = new Population({
    network: net,
    populationSize: s.pop,
    seed: s.seed,
    mutation: { rate: s.mutation },
    batchFitness: {
      inputs: xTrain,
      score: (out) => negativeCrossEntropy(out, yTrain.data, yTrain.rows, yTrain.cols),
    },
  });
  return {
    get generation() {
      return pop.generation;
    },
    async step() {
      const stats = await pop.step();
      const best = pop.bestWeights;
      if (best) net.setWeights(best);
      return { generation: stats.generation, best: stats.best, mean: stats.mean };
    },
    adopt(edited) {
      // After step() every child but the elites is unscored, so the last slot can take the edit.
      if (pop.options.elitism < pop.genomes.length - 1) pop.genomes[pop.genomes.length - 1] = edited.getWeights();
    },
  };
}
