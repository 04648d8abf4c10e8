import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/index-node.js';
import { defaultThreads, type ThreadPool } from '../../src/backend/wasm/node.js';
import type { WasmBackend } from '../../src/backend/wasm/backend.js';

const wasmWanted = (process.env['NEURITE_BACKEND'] ?? 'wasm') !== 'js';
const entry = fileURLToPath(new URL('../../src/index-node.ts', import.meta.url));
const wasmNode = fileURLToPath(new URL('../../src/backend/wasm/node.ts', import.meta.url));

/**
 * The default backend's pool as a fresh process sees it right after importing the Node entry
 * (after `neurite/wasm-node` when `wasmNodeFirst`).
 */
function poolAfterImport(
  env: Record<string, string>,
  wasmNodeFirst = false,
): { name: string; threads: number; started: boolean | null } {
  const code =
    (wasmNodeFirst ? `await import(${JSON.stringify(wasmNode)});` : '') +
    `const m = await import(${JSON.stringify(entry)}); const b = m.getBackend('auto');` +
    `console.log(JSON.stringify({ name: b.name, threads: b.threads ?? 1, started: b.pool ? b.pool.started : null }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
    name: string;
    threads: number;
    started: boolean | null;
  };
}

describe.runIf(wasmWanted)('the neurite Node entry starts the default pool when imported', () => {
  it('has started the workers before any network is built', () => {
    const b = getBackend('auto') as WasmBackend & { pool?: ThreadPool };
    expect(b.name).toBe('wasm');
    if (defaultThreads() === 1) expect(b.pool).toBeUndefined();
    else expect(b.pool?.started).toBe(true);
  });

  it('starts none with NEURITE_THREADS=1, two with NEURITE_THREADS=2', () => {
    expect(poolAfterImport({ NEURITE_THREADS: '1' })).toEqual({ name: 'wasm', threads: 1, started: null });
    expect(poolAfterImport({ NEURITE_THREADS: '2' })).toEqual({ name: 'wasm', threads: 2, started: true });
  });

  it('is the pooled backend also when neurite/wasm-node was imported first', () => {
    // The core's own (single-threaded) 'wasm' registration used to run last then, replacing it.
    expect(poolAfterImport({ NEURITE_THREADS: '2' }, true)).toEqual({ name: 'wasm', threads: 2, started: true });
  });

  it('starts none, and does not throw, when NEURITE_BACKEND names another backend', () => {
    expect(poolAfterImport({ NEURITE_BACKEND: 'js', NEURITE_THREADS: '2' })).toEqual({
      name: 'js',
      threads: 1,
      started: null,
    });
  });
});
