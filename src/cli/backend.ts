import { registerBackend, registeredBackends, type Backend } from '../index.js';
import { UsageError } from './errors.js';
import type { Io } from './output.js';

/** The part of the Node WebAssembly entry (`src/backend/wasm/node.ts`) the CLI uses. */
interface NodeWasmEntry {
  createNodeWasmBackend(options: { threads?: number }): Backend & { threads: number };
}

let nodeEntry: NodeWasmEntry | undefined;
let loaded = false;

/**
 * Loads the Node WebAssembly entry, which registers a `'wasm'` backend with relaxed SIMD and a
 * worker-thread pool (one thread per core by default). The import uses a computed specifier, so
 * a build without that entry still runs, on the JS backend.
 */
export async function loadOptionalBackends(): Promise<void> {
  if (loaded) return;
  loaded = true;
  const entry = '../backend/wasm/node.js';
  nodeEntry = (await import(entry).catch(() => undefined)) as NodeWasmEntry | undefined;
}

/**
 * Checks the backend choice and applies `--threads`: with the Node wasm entry present, the
 * `'wasm'` backend is re-registered with exactly that many threads (the caller's included).
 * The default is 1: the pool's workers spin while waiting for work, and on a busy 2-core machine
 * (load ~8) the default MNIST run measured 15 s wall / 4.7 s CPU on one thread against
 * 36 s / 21 s on two, so more threads are opt-in.
 */
export async function prepareBackend(choice: string, threads: number | undefined, io: Io): Promise<string> {
  await loadOptionalBackends();
  const known = ['auto', ...registeredBackends()];
  if (!known.includes(choice)) {
    throw new UsageError(`unknown backend ${JSON.stringify(choice)}; expected one of: ${known.join(', ')}`);
  }
  {
    const entry = nodeEntry;
    threads ??= 1;
    if (entry === undefined || choice === 'js') {
      if (threads > 1) io.err(`note: --threads applies to the wasm backend only; running on one thread\n`);
    } else {
      registerBackend('wasm', () => {
        try {
          return entry.createNodeWasmBackend({ threads });
        } catch {
          return undefined;
        }
      });
    }
  }
  return choice;
}
