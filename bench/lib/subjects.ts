// The implementations a workload can run: neurite on each backend, and TensorFlow.js on its cpu
// and wasm backends. Each is created inside the child process that measures it.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { jsBackend } from '../../src/backend/js/index.js';
import type * as TfModule from '@tensorflow/tfjs';
import type { Backend } from '../../src/backend/types.js';
import { createWasmBackend, type WasmBackend } from '../../src/backend/wasm/backend.js';
import { getBackend } from '../../src/index.js';
// A namespace import: bench/ab.ts runs this file against older checkouts' src/, where a missing
// export may only fail the subject that uses it, not every subject at link time.
import * as nodeWasm from '../../src/backend/wasm/node.js';

/**
 * neurite subjects: reference JS, wasm plain SIMD (1 thread), wasm best SIMD with 1 and 2 threads,
 * and the library's default in Node (`neurite-default`).
 */
export const NEURITE = [
  'neurite-js',
  'neurite-wasm-simd-1t',
  'neurite-wasm-1t',
  'neurite-wasm-2t',
  'neurite-default',
] as const;
/** TensorFlow.js subjects. */
export const TFJS = ['tfjs-cpu', 'tfjs-wasm'] as const;

/** The backend for a neurite subject name (with a short description for the JSON line). */
export function neuriteBackend(subject: string): { backend: Backend; detail: string } {
  switch (subject) {
    case 'neurite-js':
      return { backend: jsBackend, detail: 'js' };
    case 'neurite-wasm-simd-1t': {
      const b = createWasmBackend({ simd: 'simd' });
      return { backend: b, detail: 'wasm simd128, 1 thread' };
    }
    case 'neurite-wasm-1t':
    case 'neurite-wasm-2t': {
      const threads = subject.endsWith('2t') ? 2 : 1;
      const relaxed = nodeWasm.enableRelaxedSimd();
      const b = nodeWasm.createNodeWasmBackend({ threads });
      return { backend: b, detail: `wasm ${relaxed ? 'relaxed-simd' : 'simd128'}, ${String(b.threads)} thread(s)` };
    }
    case 'neurite-default': {
      // What `import { NeuralNetwork } from 'neurite'` gives in Node (the node export condition):
      // the registry's 'auto' backend, i.e. wasm on a pool of one thread per core, whose workers
      // start once the importing script yields (src/index-node.ts). Not imported at the top of
      // this file, so no other subject's process (peers included) starts a pool; a workload
      // creates this subject's backend where a user's import would be: before loading its data.
      setImmediate(nodeWasm.startDefaultPool);
      const b = getBackend('auto');
      const threads = (b as Partial<WasmBackend>).threads ?? 1;
      return { backend: b, detail: `default (${b.name}, ${String(threads)} thread(s))` };
    }
    default:
      throw new Error(`unknown neurite subject ${subject}`);
  }
}

/** The TensorFlow.js module. */
export type Tf = typeof TfModule;

/** Loads TensorFlow.js on `cpu` or `wasm` (SIMD build, .wasm files read from node_modules). */
export async function loadTf(subject: string): Promise<{ tf: Tf; detail: string }> {
  // tfjs greets Node users on stdout ("install tfjs-node"); keep stdout JSON only.
  const log = console.log;
  console.log = () => undefined;
  try {
    const tf: Tf = await import('@tensorflow/tfjs');
    if (subject === 'tfjs-wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
      wasm.setWasmPaths(join(dirname(pkg), 'dist') + '/');
      await tf.setBackend('wasm');
    } else {
      await tf.setBackend('cpu');
    }
    await tf.ready();
    const simd = subject === 'tfjs-wasm' && tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    const mt = subject === 'tfjs-wasm' && tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    return { tf, detail: `tfjs ${tf.version_core} ${tf.getBackend()}${simd ? ' simd' : ''}${mt ? ' threads' : ''}` };
  } finally {
    console.log = log;
  }
}
