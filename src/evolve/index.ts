/**
 * neurite/evolve: neuroevolution of fixed-architecture networks. Each network is a flat genome
 * (its `getWeights()` vector); operators are pure functions over genomes, picked by name from
 * tables; {@link evolve} and {@link Population} run the genetic algorithm. Browser-safe; worker
 * threads live in `neurite/evolve/node`.
 *
 * @packageDocumentation
 * @module neurite/evolve
 */
export { evolve, type EvolveOptions, type EvolveResult, type StopReason } from './evolve.js';
export { Population, type GenerationStats } from './population.js';
export {
  evaluationSeed,
  type PopulationOptions,
  type FitnessFn,
  type FitnessContext,
  type BatchFitness,
  type ParallelEvaluator,
  type EvaluationJob,
} from './options.js';
export {
  SELECTIONS,
  SELECTION_NAMES,
  selector,
  type SelectionName,
  type SelectionOptions,
  type Selector,
  type SelectionFactory,
} from './selection.js';
export { CROSSOVERS, CROSSOVER_NAMES, crossover, type CrossoverName, type CrossoverFn } from './crossover.js';
export { mutate, annealedScale, resolveMutation, type MutationOptions } from './mutation.js';
export {
  genomeDistance,
  speciate,
  shareFitness,
  type Species,
  type SpeciationOptions,
  type DistanceName,
} from './speciation.js';
export { BatchForward, evaluateBatch, forwardBatch, type BatchOptions } from './batch-eval.js';
export {
  genomeLayout,
  assertGenomeLength,
  assertSameArchitecture,
  type GenomeLayout,
  type LayerLayout,
} from './layout.js';
export * from './tasks/index.js';
