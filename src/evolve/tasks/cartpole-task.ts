import type { NeuralNetwork } from '../../model/network.js';
import type { PopulationOptions } from '../options.js';
import { Population, type GenerationStats } from '../population.js';
import { CARTPOLE_V1, scoreCartPole, type CartPoleScore } from './cartpole.js';

/** Options of {@link evolveCartPole}; anything of the population may be overridden. */
export interface CartPoleTaskOptions extends Partial<PopulationOptions> {
  /** Generations at most (default 50). */
  generations?: number;
  /** Training episodes per fitness evaluation (default 5; the same start states for every genome). */
  episodes?: number;
  /** Episodes of the "solved" check (default 100, as Gym). */
  validationEpisodes?: number;
  /** Hidden units of the 4 → hidden → 2 controller (default 8). */
  hidden?: number;
  /** How many of the top genomes to validate per generation once they score the maximum (default 3). */
  candidates?: number;
  /** Stops early when aborted. */
  signal?: AbortSignal;
  /** Called after each generation. */
  onGeneration?: (stats: GenerationStats) => void;
}

/** Result of {@link evolveCartPole}. */
export interface CartPoleTaskResult {
  /** The controller: the first genome that passed validation, else the best by training fitness. */
  controller: NeuralNetwork;
  /** Its validation score over `validationEpisodes` fresh episodes. */
  validation: CartPoleScore;
  /** Generation (from 0) in which a controller first passed validation, or undefined. */
  solvedAt: number | undefined;
  /** Per-generation statistics. */
  history: GenerationStats[];
  /** The population at the end. */
  population: Population;
}

/**
 * Evolves a CartPole-v1 controller (4 raw observations → hidden tanh → 2 linear action scores).
 * Fitness is the mean return over a few fixed episodes; once genomes reach the maximum (500),
 * the best few are checked on 100 fresh episodes and the run stops at the first that averages
 * ≥ 475 (Gym's "solved").
 */
export async function evolveCartPole(options: CartPoleTaskOptions = {}): Promise<CartPoleTaskResult> {
  const {
    episodes = 5,
    validationEpisodes = 100,
    generations = 50,
    hidden = 8,
    candidates = 3,
    signal,
    onGeneration,
    ...rest
  } = options;
  const seed = options.seed ?? 1;
  // Training starts come from one stream per run, validation from another: never the same episodes.
  const trainSeed = (seed * 7919 + 17) >>> 0;
  const validationSeed = (seed * 104729 + 31) >>> 0;
  const pop = new Population({
    layers: [4, hidden, { units: 2, activation: 'linear' }],
    activation: 'tanh',
    populationSize: 100,
    elitism: 2,
    selection: { type: 'tournament', size: 3 },
    crossover: { type: 'neuron', rate: 0.5 },
    mutation: { rate: 0.2, scale: 0.5, resetRate: 0.01 },
    ...rest,
    seed,
    fitness: (net) => scoreCartPole(net, episodes, trainSeed).mean,
  });
  let solvedAt: number | undefined;
  let controller: NeuralNetwork | undefined;
  let validation: CartPoleScore | undefined;
  const checked = new Set<string>();
  try {
    for (let g = 0; g < generations && signal?.aborted !== true; g++) {
      const stats = await pop.evaluate();
      onGeneration?.(stats);
      const top = [...pop.fitness.keys()]
        .filter((i) => (pop.fitness[i] as number) >= CARTPOLE_V1.maxSteps)
        .sort((a, b) => (pop.fitness[b] as number) - (pop.fitness[a] as number))
        .slice(0, candidates);
      for (const i of top) {
        const genome = pop.genomes[i] as Float32Array;
        const key = genome.join(',');
        if (checked.has(key)) continue;
        checked.add(key);
        const net = pop.best;
        net.setWeights(genome);
        const score = scoreCartPole(net, validationEpisodes, validationSeed);
        if (score.solved) {
          solvedAt = g;
          controller = net;
          validation = score;
          break;
        }
      }
      if (solvedAt !== undefined) break;
      if (g + 1 < generations) pop.breed();
    }
  } finally {
    pop.dispose();
  }
  if (!controller) {
    controller = pop.best;
    validation = scoreCartPole(controller, validationEpisodes, validationSeed);
  }
  controller.metadata = { ...controller.metadata, task: 'CartPole-v1', inputs: ['x', 'xDot', 'theta', 'thetaDot'] };
  return { controller, validation: validation as CartPoleScore, solvedAt, history: pop.history, population: pop };
}
