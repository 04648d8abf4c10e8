/**
 * The `neurite` entry as Node loads it (package.json's `node` export condition): the same API as
 * the browser-safe core (src/index.ts), with the wasm backend on a worker-thread pool of one
 * thread per core by default, as the separate `neurite/wasm-node` import used to give. The pool's
 * workers are unref'd, so they never keep a process alive. `NEURITE_THREADS=1` (or any count)
 * overrides the default; a network built with `backend: createNodeWasmBackend({ threads: 1 })`
 * (from `neurite/wasm-node`) runs on one thread. The pool's workers start once the importing
 * script first yields to the event loop (while it reads its data, say), not during its
 * synchronous work right after the import (see `startDefaultPool`).
 */
// Order matters: the core registers its single-threaded 'wasm' backend first, and the Node entry
// then replaces that registration with the pooled one.
export * from './index.js';
import { startDefaultPool } from './backend/wasm/node.js';

// An immediate: it runs once the importing script yields (an await of I/O, or its end), and not
// at all in a script that exits synchronously.
setImmediate(startDefaultPool);
