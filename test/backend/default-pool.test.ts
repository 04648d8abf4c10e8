import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/index-node.js';
import { defaultThreads, type ThreadPool } from '../../src/backend/wasm/node.js';
import type { WasmBackend } from '../../src/backend/wasm/backend.js';

const wasmWanted = (process.env['NEURITE_BACKEND'] ?? 'wasm') !== 'js';
const entry = fileURLToPath(new URL('../../src/index-node.ts', import.meta.url));
const wasmNode = fileURLToPath(new URL('../../src/backend/wasm/node.ts', import.meta.url));

/** Runs an ES module snippet in a fresh process (through tsx, on the sources); returns its last line, parsed. */
function inFreshProcess(code: string, env: Record<string, string>): unknown {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? 'null');
}

/**
 * The default backend's pool as a fresh process sees it once the script that imported the Node
 * entry (after `neurite/wasm-node` when `wasmNodeFirst`) has yielded to the event loop; `early` is
 * whether it had started already in the synchronous part right after the import.
 */
function poolAfterImport(
  env: Record<string, string>,
  wasmNodeFirst = false,
): { name: string; threads: number; started: boolean | null; early: boolean | null } {
  const code =
    (wasmNodeFirst ? `await import(${JSON.stringify(wasmNode)});` : '') +
    `const m = await import(${JSON.stringify(entry)}); const b = m.getBackend('auto');` +
    `const early = b.pool ? b.pool.started : null; await new Promise((r) => setImmediate(r));` +
    `console.log(JSON.stringify({ name: b.name, threads: b.threads ?? 1, started: b.pool ? b.pool.started : null, early }));`;
  return inFreshProcess(code, env) as ReturnType<typeof poolAfterImport>;
}

describe.runIf(wasmWanted)('the neurite Node entry starts the default pool once the importing script yields', () => {
  it('has started the workers before any network is built', () => {
    const b = getBackend('auto') as WasmBackend & { pool?: ThreadPool };
    expect(b.name).toBe('wasm');
    if (defaultThreads() === 1) expect(b.pool).toBeUndefined();
    else expect(b.pool?.started).toBe(true);
  });

  it('starts none with NEURITE_THREADS=1, two with NEURITE_THREADS=2', () => {
    expect(poolAfterImport({ NEURITE_THREADS: '1' })).toEqual({ name: 'wasm', threads: 1, started: null, early: null });
    // Not during the synchronous work right after the import (a booting worker slowed it 2×).
    expect(poolAfterImport({ NEURITE_THREADS: '2' })).toEqual({
      name: 'wasm',
      threads: 2,
      started: true,
      early: false,
    });
  });

  it('is the pooled backend also when neurite/wasm-node was imported first', () => {
    // The core's own (single-threaded) 'wasm' registration used to run last then, replacing it.
    expect(poolAfterImport({ NEURITE_THREADS: '2' }, true)).toEqual({
      name: 'wasm',
      threads: 2,
      started: true,
      early: false,
    });
  });

  it('starts none, and does not throw, when NEURITE_BACKEND names another backend', () => {
    expect(poolAfterImport({ NEURITE_BACKEND: 'js', NEURITE_THREADS: '2' })).toEqual({
      name: 'js',
      threads: 1,
      started: null,
      early: null,
    });
  });

  it('starts it at once when a network large enough to use it is built first', () => {
    const code =
      `const m = await import(${JSON.stringify(entry)});` +
      `new m.NeuralNetwork({ layers: [784, 128, 64, 10] });` +
      `console.log(JSON.stringify(m.getBackend('auto').pool.started));`;
    expect(inFreshProcess(code, { NEURITE_THREADS: '2' })).toBe(true);
  });
});
