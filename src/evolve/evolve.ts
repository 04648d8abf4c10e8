import { NeuriteError, assertInt, assertNumber } from '../core/errors.js';
import type { NeuralNetwork } from '../model/network.js';
import type { PopulationOptions } from './options.js';
import { Population, type GenerationStats } from './population.js';

/** Read through a function so TypeScript does not narrow `aborted` across awaits. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** Why {@link evolve} stopped. */
export type StopReason = 'targetFitness' | 'generations' | 'aborted' | 'stopWhen';

/** Options of {@link evolve}: the population's options plus when to stop and what to report. */
export interface EvolveOptions extends PopulationOptions {
  /** Generations to evaluate at most, ≥ 1 (default 100). */
  generations?: number;
  /** Stop as soon as the best fitness reaches this value. */
  targetFitness?: number;
  /** Stop (with `stopReason: 'aborted'`, keeping the best so far) when this signal aborts. */
  signal?: AbortSignal;
  /** Called after each evaluated generation (awaited when it returns a Promise). */
  onGeneration?: (stats: GenerationStats, population: Population) => void | Promise<void>;
  /** Custom stopping rule, checked after each generation, e.g. a validation run of the best network. */
  stopWhen?: (best: NeuralNetwork, stats: GenerationStats) => boolean | Promise<boolean>;
}

/** What {@link evolve} returns. */
export interface EvolveResult {
  /** The best network of the whole run: an ordinary NeuralNetwork (predict, save, `fit` further). */
  best: NeuralNetwork;
  /** Its fitness. */
  bestFitness: number;
  /** One entry per evaluated generation. */
  history: GenerationStats[];
  /** Generations evaluated. */
  generations: number;
  /** Fitness evaluations performed. */
  evaluations: number;
  /** Why the run stopped. */
  stopReason: StopReason;
  /** The final population (for inspection or to continue with `step()`). */
  population: Population;
}

/**
 * Evolves a population of networks of one architecture with a genetic algorithm (selection,
 * elitism, crossover, mutation, optional speciation with fitness sharing) until a target fitness,
 * a generation limit, a custom rule or an abort signal. One `seed` reproduces the run bit for bit.
 *
 * Errors: invalid options raise `INVALID_OPTION`; a fitness that throws or returns NaN raises
 * `FITNESS_ERROR` naming the genome index and generation, with the best network found so far in
 * `error.details.best`.
 *
 * @example
 * ```ts
 * const xs = [[0, 0], [0, 1], [1, 0], [1, 1]];
 * const ys = [0, 1, 1, 0];
 * const { best, bestFitness } = await evolve({
 *   layers: [2, 4, 1],
 *   populationSize: 100,
 *   seed: 1,
 *   generations: 300,
 *   targetFitness: -0.01,
 *   fitness: (net) => -xs.reduce((s, x, i) => s + ((net.predict(x)[0] ?? 0) - (ys[i] ?? 0)) ** 2, 0) / 4,
 * });
 * ```
 */
export async function evolve(options: EvolveOptions): Promise<EvolveResult> {
  const generations = options.generations ?? 100;
  assertInt(generations, 'generations');
  if (options.targetFitness !== undefined) assertNumber(options.targetFitness, 'targetFitness');
  const pop = new Population(options);
  let stopReason: StopReason = 'generations';
  try {
    for (;;) {
      if (isAborted(options.signal)) {
        stopReason = 'aborted';
        break;
      }
      const stats = await pop.evaluate();
      await options.onGeneration?.(stats, pop);
      if (options.targetFitness !== undefined && pop.bestFitness >= options.targetFitness) {
        stopReason = 'targetFitness';
        break;
      }
      if (options.stopWhen && (await options.stopWhen(pop.best, stats))) {
        stopReason = 'stopWhen';
        break;
      }
      if (pop.history.length >= generations) break;
      if (isAborted(options.signal)) {
        stopReason = 'aborted';
        break;
      }
      pop.breed();
    }
  } finally {
    pop.dispose();
  }
  if (pop.history.length === 0) {
    throw new NeuriteError('ABORTED', 'evolution was aborted before the first generation was evaluated');
  }
  return {
    best: pop.best,
    bestFitness: pop.bestFitness,
    history: pop.history,
    generations: pop.history.length,
    evaluations: pop.evaluations,
    stopReason,
    population: pop,
  };
}
