import { NeuriteError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { NeuralNetwork } from '../model/network.js';
import { PackedForward } from './packed-eval.js';
import { CROSSOVERS } from './crossover.js';
import { genomeLayout, type GenomeLayout } from './layout.js';
import { annealedScale, mutate } from './mutation.js';
import { evaluationSeed, resolveOptions, type PopulationOptions, type ResolvedOptions } from './options.js';
import { SELECTIONS, type Selector } from './selection.js';
import { shareFitness, speciate, type Species } from './speciation.js';

/** Statistics of one evaluated generation (raw fitness). */
export interface GenerationStats {
  /** Generation number, from 0. */
  generation: number;
  /** Best fitness in this generation. */
  best: number;
  /** Mean fitness. */
  mean: number;
  /** Worst fitness. */
  worst: number;
  /** Mean over genes of the standard deviation across the population (0 = all genomes equal). */
  diversity: number;
  /** Number of species (1 when speciation is off). */
  species: number;
  /** Fitness evaluations so far in the run. */
  evaluations: number;
}

/**
 * A population of networks of one architecture, each a flat genome, evolved step by step.
 * {@link evolve} drives one of these; use the class directly for custom loops.
 *
 * @example
 * ```ts
 * const pop = new Population({ layers: [2, 4, 1], populationSize: 50, seed: 1, fitness: (net) => score(net) });
 * for (let g = 0; g < 100; g++) await pop.step(); // evaluate, then breed the next generation
 * pop.best.predict([0, 1]);
 * ```
 */
export class Population {
  /** The validated options. */
  readonly options: Readonly<ResolvedOptions>;
  /** Where each layer's weights sit in a genome. */
  readonly layout: GenomeLayout;
  /** Current genomes (one Float32Array each, `layout.length` values). */
  genomes: Float32Array[];
  /** Raw fitness of each genome; valid once {@link evaluate} has run for this generation. */
  fitness: Float64Array;
  /** Current species (empty when speciation is off or before the first evaluation). */
  species: Species[] = [];
  /** Current generation, from 0. */
  generation = 0;
  /** Statistics of every evaluated generation. */
  readonly history: GenerationStats[] = [];
  /** Fitness evaluations performed so far. */
  evaluations = 0;
  private readonly source: PopulationOptions;
  private readonly rng: Rng;
  private readonly net: NeuralNetwork;
  private evaluated: Uint8Array;
  private bestGenome: Float32Array | undefined;
  private bestScore = -Infinity;
  private threshold: number;
  private readonly speciesIds = { value: 0 };
  private packed: PackedForward | undefined;

  /** Validates the options (`INVALID_OPTION`) and draws the initial population. */
  constructor(options: PopulationOptions) {
    this.options = resolveOptions(options);
    this.source = options;
    this.rng = new Rng(this.options.seed);
    const net =
      options.network?.clone() ??
      new NeuralNetwork({
        layers: options.layers ?? [],
        activation: options.activation ?? 'tanh',
        ...(options.outputActivation !== undefined ? { outputActivation: options.outputActivation } : {}),
        ...(options.backend !== undefined ? { backend: options.backend } : {}),
        seed: this.rng.uint32(),
      });
    this.net = net;
    this.layout = genomeLayout(net);
    const first = net.getWeights();
    const init = this.rng.fork();
    this.genomes = Array.from({ length: this.options.populationSize }, (_, i) => {
      if (i === 0) return Float32Array.from(first);
      // Fresh weights from each layer's own initialiser (Glorot/He), as a new network would get.
      for (const l of net.layers) l.initialize(init);
      return net.getWeights();
    });
    net.setWeights(first);
    this.fitness = new Float64Array(this.options.populationSize);
    this.evaluated = new Uint8Array(this.options.populationSize);
    this.threshold = this.options.speciation === false ? Infinity : this.options.speciation.threshold;
  }

  /** Genome length (the network's parameter count). */
  get genomeLength(): number {
    return this.layout.length;
  }

  /** The best network found so far (by raw fitness over the whole run), as an ordinary NeuralNetwork. */
  get best(): NeuralNetwork {
    const copy = this.net.clone();
    const g = this.bestGenome ?? this.genomes[0];
    if (g) copy.engine.params.set(g);
    return copy;
  }

  /** The best genome found so far (a copy), or undefined before any evaluation. */
  get bestWeights(): Float32Array | undefined {
    return this.bestGenome && Float32Array.from(this.bestGenome);
  }

  /** Best raw fitness found so far (−Infinity before any evaluation). */
  get bestFitness(): number {
    return this.bestScore;
  }

  /** Statistics of the last evaluated generation. */
  get stats(): GenerationStats | undefined {
    return this.history[this.history.length - 1];
  }

  /** True when every genome of the current generation has a fitness. */
  get isEvaluated(): boolean {
    return this.evaluated.every((e) => e === 1);
  }

  /**
   * Scores every genome not yet scored (elites keep their fitness), then speciates and records the
   * generation's statistics. A fitness that throws or returns NaN raises `FITNESS_ERROR` with
   * `details` `{ generation, index, cause, best, bestFitness }`: `best` is the best network found
   * before the failure (or undefined).
   */
  async evaluate(): Promise<GenerationStats> {
    if (this.isEvaluated && this.stats?.generation === this.generation) return this.stats;
    const todo = [...this.evaluated.keys()].filter((i) => this.evaluated[i] === 0);
    if (this.source.parallel) await this.evaluateParallel(todo);
    else if (this.source.batchFitness) this.evaluatePacked(todo, this.source.batchFitness);
    else for (const i of todo) this.record(i, await this.evaluateOne(i));
    if (this.options.speciation !== false) {
      const s = this.options.speciation;
      this.species = speciate(this.genomes, this.species, this.threshold, s.distance, this.speciesIds);
      if (s.targetSpecies !== undefined) {
        // NEAT's dynamic compatibility threshold: too many species → widen, too few → narrow.
        const step = s.thresholdStep;
        if (this.species.length > s.targetSpecies) this.threshold += step;
        else if (this.species.length < s.targetSpecies) this.threshold = Math.max(step, this.threshold - step);
      }
    }
    const stats = this.computeStats();
    this.history.push(stats);
    return stats;
  }

  private async evaluateOne(i: number): Promise<number> {
    const genome = this.genomes[i] as Float32Array;
    this.net.engine.params.set(genome);
    const ctx = { generation: this.generation, index: i, seed: evaluationSeed(this.options.seed, this.generation, i) };
    try {
      const r = (this.source.fitness as NonNullable<PopulationOptions['fitness']>)(this.net, ctx);
      return r instanceof Promise ? await r : r;
    } catch (e) {
      throw this.failure(i, e);
    }
  }

  /** The fast path: forward passes for a whole chunk of genomes at once, then one score per genome. */
  private evaluatePacked(todo: number[], batch: NonNullable<PopulationOptions['batchFitness']>): void {
    // Built outside the try: bad inputs are the caller's INVALID_OPTION/SHAPE_MISMATCH, not a fitness failure.
    this.packed ??= new PackedForward(this.layout, batch.inputs, batch.backend ?? this.net.backend, batch.activations);
    const genomes = todo.map((i) => this.genomes[i] as Float32Array);
    this.packed.each(genomes, (out, k) => {
      const i = todo[k] as number;
      let value: number;
      try {
        value = batch.score(out, i, this.generation);
      } catch (e) {
        throw this.failure(i, e);
      }
      this.record(i, value);
    });
  }

  private async evaluateParallel(todo: number[]): Promise<void> {
    const jobs = todo.map((index) => ({
      genome: this.genomes[index] as Float32Array,
      index,
      generation: this.generation,
      seed: evaluationSeed(this.options.seed, this.generation, index),
    }));
    let results: ArrayLike<number>;
    try {
      results = await (this.source.parallel as NonNullable<PopulationOptions['parallel']>).evaluate(jobs);
    } catch (e) {
      // The evaluator's own failures (its connection, its limits, an abort) are not a genome's.
      if (e instanceof NeuriteError && e.code !== 'FITNESS_ERROR') throw e;
      const index = e instanceof NeuriteError && typeof e.details?.['index'] === 'number' ? e.details['index'] : -1;
      throw this.failure(
        index,
        e instanceof NeuriteError && e.details?.['cause'] !== undefined ? e.details['cause'] : e,
      );
    }
    todo.forEach((i, k) => this.record(i, results[k] as number));
  }

  private failure(index: number, cause: unknown): NeuriteError {
    const why = cause instanceof Error ? cause.message : String(cause);
    return new NeuriteError(
      'FITNESS_ERROR',
      `fitness failed for genome ${String(index)} in generation ${String(this.generation)}: ${why}; the best network so far is in details.best`,
      {
        generation: this.generation,
        index,
        cause,
        best: this.bestGenome ? this.best : undefined,
        bestFitness: this.bestScore,
      },
    );
  }

  private record(i: number, value: number): void {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw this.failure(i, new Error(`fitness returned ${String(value)}, expected a number`));
    }
    this.fitness[i] = value;
    this.evaluated[i] = 1;
    this.evaluations++;
    if (value > this.bestScore) {
      this.bestScore = value;
      this.bestGenome = Float32Array.from(this.genomes[i] as Float32Array);
    }
  }

  private computeStats(): GenerationStats {
    const n = this.genomes.length;
    let best = -Infinity;
    let worst = Infinity;
    let sum = 0;
    for (const f of this.fitness) {
      best = Math.max(best, f);
      worst = Math.min(worst, f);
      sum += f;
    }
    const len = this.layout.length;
    const mean = new Float64Array(len);
    const sq = new Float64Array(len);
    for (const g of this.genomes) {
      for (let k = 0; k < len; k++) {
        const v = g[k] as number;
        mean[k] = (mean[k] as number) + v;
        sq[k] = (sq[k] as number) + v * v;
      }
    }
    let diversity = 0;
    for (let k = 0; k < len; k++) {
      const m = (mean[k] as number) / n;
      diversity += Math.sqrt(Math.max(0, (sq[k] as number) / n - m * m));
    }
    return {
      generation: this.generation,
      best,
      mean: sum / n,
      worst,
      diversity: len > 0 ? diversity / len : 0,
      species: this.options.speciation === false ? 1 : this.species.length,
      evaluations: this.evaluations,
    };
  }

  /**
   * Breeds the next generation from the evaluated one: the `elitism` fittest pass unchanged;
   * every other child gets a parent by selection (on shared fitness when speciation is on), with
   * probability `crossover.rate` a second parent (from the same species when it has other
   * members), and then mutation. Call {@link evaluate} first.
   */
  breed(): void {
    if (!this.isEvaluated) {
      throw new NeuriteError('INVALID_OPTION', 'evaluate() the population before breeding the next generation');
    }
    const o = this.options;
    const n = o.populationSize;
    const rng = this.rng;
    const order = [...this.fitness.keys()].sort((a, b) => (this.fitness[b] as number) - (this.fitness[a] as number));
    const parentFitness = o.speciation === false ? this.fitness : shareFitness(this.fitness, this.species);
    const make = (pool: readonly number[]): Selector => SELECTIONS[o.selection.type](parentFitness, pool, o.selection);
    const all = make(order.slice().sort((a, b) => a - b));
    const speciesOf = new Int32Array(n).fill(-1);
    this.species.forEach((s, k) => s.members.forEach((i) => (speciesOf[i] = k)));
    const perSpecies = new Map<number, Selector>();
    const scale = annealedScale(o.mutation, this.generation);
    const next: Float32Array[] = [];
    const nextFitness = new Float64Array(n);
    const nextEvaluated = new Uint8Array(n);
    for (let e = 0; e < o.elitism; e++) {
      const i = order[e] as number;
      next.push(Float32Array.from(this.genomes[i] as Float32Array));
      nextFitness[e] = this.fitness[i] as number;
      nextEvaluated[e] = 1;
    }
    while (next.length < n) {
      const a = all(rng);
      const child = Float32Array.from(this.genomes[a] as Float32Array);
      if (o.crossover.rate > 0 && rng.next() < o.crossover.rate) {
        const k = speciesOf[a] as number;
        const members = this.species[k]?.members;
        let pick = all;
        if (members !== undefined && members.length > 1) {
          pick = perSpecies.get(k) ?? make(members);
          perSpecies.set(k, pick);
        }
        const b = pick(rng);
        CROSSOVERS[o.crossover.type](
          this.genomes[a] as Float32Array,
          this.genomes[b] as Float32Array,
          child,
          rng,
          this.layout,
        );
      }
      mutate(child, rng, {
        rate: o.mutation.rate,
        scale,
        resetRate: o.mutation.resetRate,
        resetScale: o.mutation.resetScale,
      });
      next.push(child);
    }
    // Each species is represented in the next generation by its current best member (NEAT picks a random one).
    for (const s of this.species) {
      const top = s.members.reduce((x, y) => ((this.fitness[y] as number) > (this.fitness[x] as number) ? y : x));
      s.representative = Float32Array.from(this.genomes[top] as Float32Array);
    }
    this.genomes = next;
    this.fitness = nextFitness;
    this.evaluated = nextEvaluated;
    this.generation++;
  }

  /** One generation: {@link evaluate} (if needed), then {@link breed}. Returns the evaluated generation's stats. */
  async step(): Promise<GenerationStats> {
    const stats = await this.evaluate();
    this.breed();
    return stats;
  }

  /** Frees the batch buffers (only needed with a backend that manages its own memory). */
  dispose(): void {
    this.packed?.dispose();
    this.packed = undefined;
  }
}
