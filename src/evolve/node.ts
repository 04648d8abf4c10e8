/**
 * neurite/evolve/node: everything in `neurite/evolve`, plus {@link workerPool} to run expensive
 * fitness functions on worker threads (Node only).
 *
 * @packageDocumentation
 * @module neurite/evolve/node
 */
import { availableParallelism } from 'node:os';
import { assertInt } from '../core/errors.js';
import { threadPool, workerScript } from '../threads/pool-node.js';
import { registeredBackends } from '../backend/registry.js';
import type { NeuralNetwork } from '../model/network.js';
import type { ParallelEvaluator } from './options.js';

export * from './index.js';

/** Options of {@link workerPool}. */
export interface WorkerPoolOptions {
  /** Path or file: URL of an ES module exporting the fitness function (workers import it). */
  module: string | URL;
  /** Name of the export (default `'fitness'`); it receives `(network, context)` like `FitnessFn`. */
  exportName?: string;
  /** The architecture to evaluate (the same as the population's). */
  network: NeuralNetwork;
  /** Number of workers (default: available cores, at least 1). */
  workers?: number;
}

/** A {@link ParallelEvaluator} backed by worker threads; `close()` it when done. */
export interface WorkerPool extends ParallelEvaluator {
  /** Terminates the workers. */
  close(): Promise<void>;
}

/**
 * Starts worker threads that score genomes with a fitness function imported from a module. Pass
 * the result as `parallel` to `evolve`/`Population`. Each worker rebuilds the network and sets each
 * genome's weights, so results are exactly those of a serial run (fitness must be deterministic given
 * its context; use `context.seed` for randomness).
 *
 * @example
 * ```ts
 * const pool = await workerPool({ module: new URL('./my-fitness.js', import.meta.url), network: net, workers: 2 });
 * try {
 *   const r = await evolve({ network: net, parallel: pool, populationSize: 100, generations: 50 });
 * } finally {
 *   await pool.close();
 * }
 * ```
 */
export async function workerPool(options: WorkerPoolOptions): Promise<WorkerPool> {
  const count = options.workers ?? Math.max(1, availableParallelism());
  assertInt(count, 'workers');
  const data = {
    module: options.module instanceof URL ? options.module.href : options.module,
    exportName: options.exportName ?? 'fitness',
    // Workers only evaluate genomes: the optimizer's state would be dead weight in every workerData copy.
    model: options.network.toJSON({ optimizerState: false }),
    // Workers rebuild the network on the backend registered under the same name; one that is not
    // registered (made by hand) gives way to the default choice there.
    backend: registeredBackends().includes(options.network.backend.name) ? options.network.backend.name : 'auto',
  };
  const pool = await threadPool(workerScript(import.meta.url, 'worker-node'), data, count, 'fitness worker');
  return {
    async evaluate(jobs) {
      if (jobs.length === 0) return [];
      // At most one contiguous chunk per thread; results are reassembled in job order. A single
      // job goes to whichever thread is idle, so concurrent callers share the threads.
      const size = Math.ceil(jobs.length / pool.size);
      const chunks = Array.from({ length: Math.ceil(jobs.length / size) }, (_, k) =>
        jobs.slice(k * size, (k + 1) * size),
      );
      const parts = await Promise.all(chunks.map((c) => pool.request(c) as Promise<number[]>));
      return parts.flat();
    },
    close: () => pool.close(),
  };
}
