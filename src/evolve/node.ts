/**
 * neurite/evolve/node: everything in `neurite/evolve`, plus {@link workerPool} to run expensive
 * fitness functions on worker threads (Node only).
 *
 * @packageDocumentation
 * @module neurite/evolve/node
 */
import type { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { NeuriteError, assertInt } from '../core/errors.js';
import { startWorker, workerScript } from '../core/worker-node.js';
import { registeredBackends } from '../backend/registry.js';
import type { NeuralNetwork } from '../model/network.js';
import type { EvaluationJob, ParallelEvaluator } from './options.js';

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

interface Reply {
  id?: number;
  ready?: boolean;
  results?: number[];
  error?: { index: number; message: string };
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
  const script = workerScript(import.meta.url, 'worker-node');
  const workers = await Promise.all(Array.from({ length: count }, () => startWorker(script, data, 'fitness worker')));
  let nextId = 0;
  const run = (w: Worker, jobs: EvaluationJob[]): Promise<number[]> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const onMessage = (m: Reply): void => {
        if (m.id !== id) return;
        w.off('message', onMessage);
        w.off('error', reject);
        if (m.error) {
          reject(
            new NeuriteError('FITNESS_ERROR', m.error.message, {
              index: m.error.index,
              cause: new Error(m.error.message),
            }),
          );
        } else resolve(m.results ?? []);
      };
      w.on('message', onMessage);
      w.once('error', reject);
      w.postMessage({ id, jobs });
    });
  return {
    async evaluate(jobs) {
      // Contiguous chunks, one per worker; results are reassembled in job order.
      const size = Math.ceil(jobs.length / workers.length);
      const parts = await Promise.all(
        workers.map((w, k) => run(w, jobs.slice(k * size, (k + 1) * size))).filter((_, k) => k * size < jobs.length),
      );
      return parts.flat();
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
