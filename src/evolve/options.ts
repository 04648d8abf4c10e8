import { NeuriteError, assertInt, assertNumber, assertOneOf, describe } from '../core/errors.js';
import type { FloatArray, MatrixLike } from '../core/matrix.js';
import type { BackendChoice } from '../backend/registry.js';
import type { ActivationName } from '../nn/activations.js';
import type { NeuralNetwork } from '../model/network.js';
import type { NetworkOptions } from '../model/options.js';
import { CROSSOVER_NAMES, type CrossoverName } from './crossover.js';
import { resolveMutation, type MutationOptions, type ResolvedMutation } from './mutation.js';
import { resolveSelection, type SelectionName, type SelectionOptions } from './selection.js';
import { resolveSpeciation, type ResolvedSpeciation, type SpeciationOptions } from './speciation.js';

/** What a fitness function learns about the genome it scores. */
export interface FitnessContext {
  /** Generation being evaluated (0 for the initial population). */
  readonly generation: number;
  /** Index of the genome in the population. */
  readonly index: number;
  /** A seed derived from the run's seed, the generation and the index: use it for any randomness (`new Rng(seed)`) so runs stay reproducible. */
  readonly seed: number;
}

/** Scores one network (higher is better); may return a Promise. NaN or a throw stops the run with `FITNESS_ERROR`. */
export type FitnessFn = (network: NeuralNetwork, context: FitnessContext) => number | Promise<number>;

/**
 * The fast path for cheap fitness functions: every genome's forward pass runs over `inputs`
 * straight from its genome (see `BatchForward`), then `score` turns the outputs into a fitness.
 */
export interface BatchFitness {
  /** The inputs every genome is run on. */
  inputs: MatrixLike;
  /** Fitness from the outputs (rows × outputs, row-major; a reused view). */
  score: (outputs: FloatArray, index: number, generation: number) => number;
  /** Backend for the batch kernels (default: the network's). */
  backend?: BackendChoice;
  /** `'exact'` (default) or `'fast'` float32-accurate tanh/sigmoid approximations (see `BatchForward`). */
  activations?: 'exact' | 'fast';
}

/** One evaluation handed to a {@link ParallelEvaluator}. */
export interface EvaluationJob {
  readonly genome: Float32Array;
  readonly index: number;
  readonly generation: number;
  readonly seed: number;
}

/**
 * Evaluates genomes elsewhere (e.g. worker threads: `workerPool` from `neurite/evolve/node`).
 * Resolves to one fitness per job, in job order; a failed job rejects with `FITNESS_ERROR` whose
 * `details.index` names the genome.
 */
export interface ParallelEvaluator {
  evaluate(jobs: readonly EvaluationJob[]): Promise<ArrayLike<number>>;
}

/** Options of `new Population(…)` (and of `evolve`, which adds the stopping rules). */
export interface PopulationOptions {
  /** The architecture (and the first individual's weights). Give this or `layers`. */
  network?: NeuralNetwork;
  /** The architecture as `NetworkOptions.layers`, e.g. `[4, 8, 2]`. */
  layers?: NetworkOptions['layers'];
  /** Hidden activation when built from `layers` (default `'tanh'`). */
  activation?: ActivationName;
  /** Output activation when built from `layers` (default: `activation`). */
  outputActivation?: ActivationName;
  /** Backend of the networks built from `layers` (default `'auto'`). */
  backend?: BackendChoice;
  /** Individuals per generation, ≥ 2 (default 50). */
  populationSize?: number;
  /** Fitness of one network. Give exactly one of `fitness`, `batchFitness`, `parallel`. */
  fitness?: FitnessFn;
  /** Batched fitness over fixed inputs (fast path). */
  batchFitness?: BatchFitness;
  /** Evaluates elsewhere (worker threads); results must not depend on where they ran. */
  parallel?: ParallelEvaluator;
  /** Seed of every random choice; the same seed gives the same run bit for bit (default: random). */
  seed?: number;
  /** Parent selection (default tournament of size 3). */
  selection?: SelectionOptions | SelectionName;
  /** How many of the fittest (by raw fitness) pass unchanged to the next generation (default 1). */
  elitism?: number;
  /** Crossover type and the probability a child has two parents (default uniform, 0.5); `false` = none. */
  crossover?: { type?: CrossoverName; rate?: number } | false;
  /** Mutation settings. */
  mutation?: MutationOptions;
  /** Speciation with fitness sharing (default off). */
  speciation?: SpeciationOptions | false;
}

/** Validated {@link PopulationOptions}. */
export interface ResolvedOptions {
  populationSize: number;
  seed: number;
  selection: SelectionOptions;
  elitism: number;
  crossover: { type: CrossoverName; rate: number };
  mutation: ResolvedMutation;
  speciation: ResolvedSpeciation | false;
}

/** Checks every option, throwing `INVALID_OPTION` naming the first bad one. */
export function resolveOptions(o: PopulationOptions): ResolvedOptions {
  if (typeof o !== 'object' || o === null) {
    throw new NeuriteError('INVALID_OPTION', `evolution options must be an object, got ${describe(o)}`);
  }
  const populationSize = o.populationSize ?? 50;
  assertInt(populationSize, 'populationSize', 2);
  const seed = o.seed ?? Math.floor(Math.random() * 2 ** 32);
  assertNumber(seed, 'seed');
  const elitism = o.elitism ?? 1;
  assertInt(elitism, 'elitism', 0);
  if (elitism >= populationSize) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `elitism must be < populationSize (${String(populationSize)}), got ${String(elitism)}`,
    );
  }
  const c = o.crossover === false ? { type: 'uniform' as const, rate: 0 } : (o.crossover ?? {});
  const crossover = { type: c.type ?? 'uniform', rate: c.rate ?? 0.5 };
  assertOneOf(crossover.type, CROSSOVER_NAMES, 'crossover.type');
  assertNumber(crossover.rate, 'crossover.rate', 0, 1);
  const sources = [o.fitness, o.batchFitness, o.parallel].filter((f) => f !== undefined).length;
  if (sources !== 1) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `give exactly one of fitness, batchFitness or parallel (got ${String(sources)})`,
    );
  }
  if (o.fitness !== undefined && typeof o.fitness !== 'function') {
    throw new NeuriteError('INVALID_OPTION', `fitness must be a function, got ${describe(o.fitness)}`);
  }
  if (o.network === undefined && o.layers === undefined) {
    throw new NeuriteError('INVALID_OPTION', 'give the architecture as `network` or `layers`');
  }
  return {
    populationSize,
    seed,
    selection: resolveSelection(o.selection),
    elitism,
    crossover,
    mutation: resolveMutation(o.mutation),
    speciation: o.speciation === false || o.speciation === undefined ? false : resolveSpeciation(o.speciation),
  };
}

/** A well-mixed 32-bit seed from the run seed, generation and genome index (murmur3 finaliser). */
export function evaluationSeed(seed: number, generation: number, index: number): number {
  let h = (Math.floor(seed) >>> 0) ^ Math.imul(generation + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
