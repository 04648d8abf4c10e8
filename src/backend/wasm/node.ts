/**
 * Node entry for the wasm backend: turns on relaxed SIMD and registers a 'wasm' backend whose
 * large products run on a worker-thread pool. Import it (or `neurite/wasm-node`) once, before the
 * first network is built; the browser-safe core never imports this file.
 *
 * @packageDocumentation
 * @module neurite/wasm-node
 */
import { availableParallelism } from 'node:os';
import process from 'node:process';
import { setFlagsFromString } from 'node:v8';
import { getBackend, registerBackend } from '../registry.js';
// The core's single-threaded 'wasm' registration, evaluated before this module so that the pooled
// one below always replaces it: imported first by a user (`neurite/wasm-node`, then `neurite`),
// this module used to register first and be replaced, leaving the default on one thread.
import './index.js';
import { createWasmBackend, type WasmBackend, type WasmBackendOptions } from './backend.js';
import { hasRelaxedSimd } from './probe.js';
import { attachThreadPool, type ThreadPool, type ThreadPoolOptions } from './threads-node.js';

export { attachThreadPool, type PoolChoice, type ThreadPool, type ThreadPoolOptions } from './threads-node.js';

/**
 * Enables relaxed SIMD in this process (Node 20 ships it behind a flag; measured +15–30% on
 * products). Must run before the kernels are compiled; returns whether the probe now validates.
 */
export function enableRelaxedSimd(): boolean {
  if (!hasRelaxedSimd()) setFlagsFromString('--experimental-wasm-relaxed-simd');
  return hasRelaxedSimd();
}

/** Options for {@link createNodeWasmBackend}. */
export interface NodeWasmOptions extends WasmBackendOptions, Omit<ThreadPoolOptions, 'threads'> {
  /** Threads for large products, the caller's included (default: the available cores). */
  threads?: number;
}

/**
 * A wasm backend on shared memory with a thread pool of `threads − 1` workers.
 *
 * @example
 * ```ts
 * import { createNodeWasmBackend } from 'neurite/wasm-node';
 * const backend = createNodeWasmBackend({ threads: 2 });
 * // new NeuralNetwork({ layers, backend })
 * ```
 */
export function createNodeWasmBackend(options: NodeWasmOptions = {}): WasmBackend & { pool?: ThreadPool } {
  enableRelaxedSimd();
  const backend: WasmBackend & { pool?: ThreadPool } = createWasmBackend({ ...options, shared: true });
  const pool = attachThreadPool(backend, { ...options, threads: options.threads ?? availableParallelism() });
  if (pool) backend.pool = pool;
  return backend;
}

/** Threads the registered backend uses: `NEURITE_THREADS` when set to a positive integer, else one per core. */
export function defaultThreads(): number {
  const v = Number(process.env['NEURITE_THREADS']);
  return Number.isInteger(v) && v >= 1 ? v : availableParallelism();
}

/**
 * Creates the default backend and starts its pool's workers now, rather than when the first large
 * network is built; the `neurite` Node entry calls it once the importing script first yields to
 * the event loop. Booting a Node worker takes 30–60 ms (about 50 ms of CPU, most of it compiling
 * Node's own bootstrap), and it slows whatever the main thread does meanwhile:
 * - started with the network, right before `fit`, it boots during W2's first epoch, which then
 *   ran on one thread for about half its length (bench/RESULTS.md, session 7);
 * - started by the import itself, it boots beside the script's synchronous work: seed 002's 4,000
 *   steps (W1) took 12.9 ms instead of 6.4, and MNIST's synchronous load 223 ms instead of 197
 *   (session 12).
 * A script that awaits its data (file reads, imports) boots the workers while it waits; one that
 * stays synchronous boots them when it builds a network large enough to use them (the backend's
 * `prepare`). Does nothing when the default is not a pooled wasm backend (`NEURITE_THREADS=1`,
 * `NEURITE_BACKEND=js`, one core); never throws (a bad `NEURITE_BACKEND` is reported when a
 * network asks for its backend).
 */
export function startDefaultPool(): void {
  try {
    (getBackend('auto') as Partial<WasmBackend> & { pool?: ThreadPool }).pool?.start();
  } catch {
    // Reported by the first getBackend a network makes.
  }
}

enableRelaxedSimd();
registerBackend('wasm', () => {
  try {
    return createNodeWasmBackend({ threads: defaultThreads() });
  } catch {
    return undefined;
  }
});
