import { registeredBackends } from '../index.js';
import { UsageError } from './errors.js';
import type { Io } from './output.js';

/**
 * Makes the backends the CLI can use available and checks the choice. The WebAssembly backend
 * registers itself when its module is imported; the import is by computed specifier so the CLI
 * still builds and runs (on the JS backend) where that module is absent.
 */
export async function prepareBackend(choice: string, threads: number | undefined, io: Io): Promise<string> {
  await loadOptionalBackends();
  const known = ['auto', ...registeredBackends()];
  if (!known.includes(choice)) {
    throw new UsageError(`unknown backend ${JSON.stringify(choice)}; expected one of: ${known.join(', ')}`);
  }
  if (threads !== undefined && threads > 1) {
    io.err(`note: --threads ${String(threads)} is not supported by this build yet; running on one thread\n`);
  }
  return choice;
}

/** Imports the optional backends (the WebAssembly one) if this build has them. */
export async function loadOptionalBackends(): Promise<void> {
  if (registeredBackends().includes('wasm')) return;
  const wasmEntry = '../backend/wasm/index.js';
  await import(wasmEntry).catch(() => undefined);
}
