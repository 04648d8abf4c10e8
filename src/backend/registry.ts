import { NeuriteError } from '../core/errors.js';
import { jsBackend } from './js/index.js';
import type { Backend } from './types.js';

/** How a caller names a backend: a registered name, `'auto'` (the fastest available), or an instance. */
export type BackendChoice = 'auto' | 'js' | 'wasm' | (string & {}) | Backend;

type Factory = () => Backend | undefined;
const factories = new Map<string, Factory>([['js', () => jsBackend]]);
const instances = new Map<string, Backend>();
/** Preference order for `'auto'`: the first registered backend whose factory succeeds wins. */
const preference = ['wasm', 'js'];

/**
 * Registers a backend under a name. The factory runs at most once, on first use; returning
 * `undefined` means "unsupported on this runtime" and makes `'auto'` fall through to the next one.
 */
export function registerBackend(name: string, factory: Factory): void {
  factories.set(name, factory);
  instances.delete(name);
}

/** Names of all registered backends (supported or not). */
export function registeredBackends(): string[] {
  return [...factories.keys()];
}

function instantiate(name: string): Backend | undefined {
  const cached = instances.get(name);
  if (cached) return cached;
  const factory = factories.get(name);
  const b = factory?.();
  if (b) instances.set(name, b);
  return b;
}

function envChoice(): string | undefined {
  // No Node import in the core: read the variable only where a `process` global exists.
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = proc?.env?.['NEURITE_BACKEND'];
  return v !== undefined && v !== '' ? v : undefined;
}

/**
 * Resolves a {@link BackendChoice} to an instance. `'auto'` honours `NEURITE_BACKEND`, then picks
 * wasm when the runtime supports WebAssembly SIMD, then js.
 */
export function getBackend(choice: BackendChoice = 'auto'): Backend {
  if (typeof choice === 'object') return choice;
  const name = choice === 'auto' ? envChoice() : choice;
  if (name === undefined || name === 'auto') {
    for (const n of preference) {
      const b = instantiate(n);
      if (b) return b;
    }
    return jsBackend;
  }
  if (!factories.has(name)) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `unknown backend ${JSON.stringify(name)}; expected one of: auto, ${registeredBackends().join(', ')}`,
    );
  }
  const b = instantiate(name);
  if (!b) throw new NeuriteError('UNSUPPORTED', `backend ${JSON.stringify(name)} is not supported on this runtime`);
  return b;
}
