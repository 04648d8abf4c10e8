// `neurite evolve --module`: evolution with the user's fitness module, on local worker threads or,
// with --redis, on `neurite worker` processes (neurite-redis).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';
import { NeuralNetwork, type ActivationName } from '../index.js';
import { evolve, workerPool, type EvolveResult, type GenerationStats } from '../evolve/node.js';
import { UsageError } from './errors.js';

/** What `neurite evolve --module …` was asked. */
export interface ModuleEvolveOptions {
  readonly module: string;
  readonly exportName: string;
  readonly layers: readonly number[];
  readonly activation: ActivationName;
  readonly population: number;
  readonly generations: number;
  readonly seed: number;
  /** Local worker threads (without `redis`). */
  readonly workers?: number | undefined;
  readonly redis?: string | undefined;
  readonly queue?: string | undefined;
  /** Run name in Redis; default: derived from the settings and the module's content, so rerunning resumes. */
  readonly run?: string | undefined;
}

/** Checks the module and its export here, so a typo is one clear line rather than a failure in every worker. */
async function checkModule(path: string, exportName: string): Promise<Buffer> {
  if (!existsSync(path)) throw new UsageError(`--module ${path} does not exist`);
  const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  if (typeof mod[exportName] !== 'function') {
    const found = Object.keys(mod).filter((k) => typeof mod[k] === 'function');
    throw new UsageError(
      `${path} has no function export ${JSON.stringify(exportName)} (found: ${found.join(', ') || 'none'}); name it with --export`,
    );
  }
  return readFileSync(path);
}

/** Runs the evolution; `onGeneration` sees each generation's statistics. */
export async function evolveModule(
  o: ModuleEvolveOptions,
  onGeneration: (s: GenerationStats) => void,
): Promise<EvolveResult & { run?: string }> {
  if (o.layers.length < 2) throw new UsageError('--layers needs at least inputs and outputs, e.g. --layers 2,6,1');
  const path = resolve(o.module);
  const source = await checkModule(path, o.exportName);
  const network = new NeuralNetwork({ layers: [...o.layers], activation: o.activation, seed: o.seed });
  const settings = { network, populationSize: o.population, generations: o.generations, seed: o.seed, onGeneration };
  if (o.redis === undefined) {
    const pool = await workerPool({
      module: path,
      exportName: o.exportName,
      network,
      ...(o.workers !== undefined ? { workers: o.workers } : {}),
    });
    try {
      return await evolve({ ...settings, parallel: pool });
    } finally {
      await pool.close();
    }
  }
  // Loaded only here: the other commands never pay for bullmq and ioredis.
  const { redisEvaluator } = await import('../redis/index.js');
  const digest = createHash('sha256')
    .update(JSON.stringify([o.layers, o.activation, o.population, o.seed, o.exportName]))
    .update(source)
    .digest('hex');
  const evaluator = await redisEvaluator({
    url: o.redis,
    network,
    run: o.run ?? `evolve-${digest.slice(0, 16)}`,
    ...(o.queue !== undefined ? { queue: o.queue } : {}),
  });
  try {
    const result = await evolve({ ...settings, parallel: evaluator });
    // Finished: the run's keys go. A failed or interrupted run keeps them, so rerunning resumes.
    await evaluator.close({ removeRun: true });
    return { ...result, run: evaluator.run };
  } finally {
    await evaluator.close();
  }
}
