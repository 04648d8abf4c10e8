// Browser thread pool for the wasm backend: Web Workers on the backend's shared memory, with the
// protocol of threads-core.ts (the Node pool's). Shared wasm memory exists only on
// cross-origin-isolated pages (COOP: same-origin + COEP: require-corp), so everywhere else this
// returns a single-threaded backend. Browser-safe: no Node imports, and no worker file either: the
// worker runs from a Blob URL, so the same code works from the TS sources under Vite, from the
// compiled dist/ and from any other bundler without configuration.
import { createWasmBackend, type GemmRunner, type WasmBackend, type WasmBackendOptions } from './backend.js';
import { compileKernelsAsync } from './kernels.js';
import { hasRelaxedSimd, hasSharedMemory } from './probe.js';
import { createPoolCore, poolWorkerSource } from './threads-core.js';

/** Options for {@link attachWebThreadPool}. */
export interface WebThreadPoolOptions {
  /** Total threads including the caller's (default `navigator.hardwareConcurrency`). */
  threads?: number;
  /** Products below this many flops stay on the calling thread (default 2^20, ~1 MFLOP). */
  minFlops?: number;
  /** Polls of the job counter before a worker sleeps in Atomics.wait (default 20,000). */
  spin?: number;
  /** Whether the pool keeps its jobs on the calling thread while splitting does not pay (default true; see `ThreadPoolOptions.adapt`). */
  adapt?: boolean;
  /** Give up (and stay single-threaded) when the workers have not started by then (default 30 s). */
  startTimeoutMs?: number;
}

/** A running browser pool; `close()` detaches it and terminates its workers. */
export interface WebThreadPool extends GemmRunner {
  /** Chunks of split products the workers (not the caller) have computed so far. */
  readonly workerChunks: number;
  close(): void;
}

interface WebGlobals {
  crossOriginIsolated?: boolean;
  WorkerGlobalScope?: unknown;
  navigator?: { hardwareConcurrency?: number };
}
const web = globalThis as unknown as WebGlobals;

const WORKER_SOURCE = `const poolWorker = ${poolWorkerSource()};
self.onmessage = (e) => {
  self.onmessage = null;
  poolWorker(e.data, () => self.postMessage('ready'));
};
`;

/**
 * True when this page can run the wasm backend on threads: it is cross-origin isolated, shared
 * WebAssembly memory works and Web Workers exist. Always false in Node (use `neurite/wasm-node`).
 */
export function webThreadsAvailable(): boolean {
  return web.crossOriginIsolated === true && typeof Worker === 'function' && hasSharedMemory();
}

/** The browser's logical core count (1 when unknown). */
function cores(): number {
  return Math.max(1, Math.floor(web.navigator?.hardwareConcurrency ?? 1));
}

/**
 * Starts `threads − 1` Web Workers on the backend's shared memory and routes its large products
 * through them; resolves once every worker has instantiated the kernels. Chunks are rows or columns
 * of C computed by the same instructions as on one thread, so results are bit-identical for any
 * thread count. The calling thread works on chunks too and, on a page's main thread (where
 * `Atomics.wait` is not allowed), only spins while the workers finish. Resolves to `undefined`
 * (and the backend stays single-threaded) when threads are unavailable, `threads` is 1, the
 * memory is not shared, or the workers fail to start.
 *
 * @example
 * ```ts
 * const backend = createWasmBackend({ shared: webThreadsAvailable() });
 * const pool = await attachWebThreadPool(backend, 4);
 * // … products of 1 MFLOP and more now use 4 threads …
 * pool?.close();
 * ```
 */
export async function attachWebThreadPool(
  backend: WasmBackend,
  options: number | WebThreadPoolOptions = {},
): Promise<WebThreadPool | undefined> {
  const opts = typeof options === 'number' ? { threads: options } : options;
  const threads = Math.max(1, Math.floor(opts.threads ?? cores()));
  backend.setRunner(undefined);
  if (threads === 1 || !backend.shared || !webThreadsAvailable()) return undefined;
  const canWait = typeof web.WorkerGlobalScope !== 'undefined';
  const core = createPoolCore(backend, threads, { ...opts, canWait });
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const workers: Worker[] = [];
  const close = (): void => {
    core.stop();
    for (const w of workers) w.terminate();
  };
  try {
    await Promise.race([
      Promise.all(
        core.workerData.map(
          (data) =>
            new Promise<void>((ok, fail) => {
              const w = new Worker(url, { name: 'neurite-wasm-pool' });
              workers.push(w);
              w.onmessage = () => ok();
              w.onerror = (e) => {
                core.fail();
                fail(new Error(`wasm thread pool: a worker failed: ${e.message}`));
              };
              w.postMessage(data);
            }),
        ),
      ),
      new Promise<never>((_, fail) =>
        setTimeout(() => fail(new Error('wasm thread pool: workers did not start')), opts.startTimeoutMs ?? 30_000),
      ),
    ]);
  } catch {
    close();
    return undefined;
  } finally {
    URL.revokeObjectURL(url);
  }
  const pool: WebThreadPool = {
    ...core.runner,
    get workerChunks() {
      return core.workerChunks;
    },
    close,
  };
  backend.setRunner(pool);
  return pool;
}

/** Options for {@link createWebWasmBackend}. */
export interface WebWasmOptions extends WasmBackendOptions, Omit<WebThreadPoolOptions, 'threads'> {
  /** Threads for large products, the caller's included (default `navigator.hardwareConcurrency`). */
  threads?: number;
}

/**
 * A wasm backend for browsers, compiled asynchronously (so it works on a page's main thread too).
 * On a cross-origin-isolated page it uses shared memory and a pool of `threads − 1` Web Workers;
 * elsewhere it is the single-threaded backend. `backend.threads` tells which one you got.
 *
 * @example
 * ```ts
 * import { createWebWasmBackend, NeuralNetwork } from 'neurite';
 * const backend = await createWebWasmBackend({ threads: 4 });
 * console.log(backend.threads); // 4 with COOP/COEP headers, else 1
 * const net = new NeuralNetwork({ layers: [784, 128, 10], backend });
 * ```
 */
export async function createWebWasmBackend(
  options: WebWasmOptions = {},
): Promise<WasmBackend & { pool?: WebThreadPool }> {
  const flavour =
    options.simd === undefined || options.simd === 'auto' ? (hasRelaxedSimd() ? 'relaxed' : 'simd') : options.simd;
  const shared = options.shared ?? webThreadsAvailable();
  await compileKernelsAsync(flavour, shared);
  const backend: WasmBackend & { pool?: WebThreadPool } = createWasmBackend({ ...options, simd: flavour, shared });
  const pool = await attachWebThreadPool(backend, { ...options, threads: options.threads ?? cores() });
  if (pool) backend.pool = pool;
  return backend;
}
