// Registers the wasm backend on import. Core-safe: no Node imports, so browsers can load it.
import { NeuriteError } from '../../core/errors.js';
import { registerBackend } from '../registry.js';
import { createWasmBackend } from './backend.js';
import { compileKernelsAsync } from './kernels.js';
import { hasRelaxedSimd, hasSharedMemory, hasSimd } from './probe.js';
import { attachWebThreadPool, webThreadsAvailable } from './threads-web.js';

export { createWasmBackend } from './backend.js';
export type { GemmRunner, WasmBackend, WasmBackendOptions } from './backend.js';
export { hasRelaxedSimd, hasSharedMemory, hasSimd } from './probe.js';

registerBackend('wasm', () => {
  if (!hasSimd()) return undefined;
  try {
    const backend = createWasmBackend();
    // Cross-origin-isolated pages get the Web Worker pool by default. It attaches once its workers
    // run; until then products run on the page's thread, with bit-identical results either way.
    if (backend.shared && webThreadsAvailable()) void attachWebThreadPool(backend).catch(() => undefined);
    return backend;
  } catch {
    // Most likely a browser refusing synchronous compilation on the main thread: compile in the
    // background so a later getBackend() (or one after `await wasmReady()`) finds the module.
    void wasmReady().catch(() => undefined);
    return undefined;
  }
});

/**
 * Resolves once the kernels for this runtime are compiled (rejects with a `NeuriteError` of code
 * `UNSUPPORTED` where WebAssembly SIMD does not validate), so that `backend: 'wasm'` works even
 * where synchronous compilation is refused (browser main threads). Unnecessary in Node.
 *
 * @example
 * ```ts
 * import { wasmReady } from 'neurite';
 * await wasmReady(); // then new NeuralNetwork({ ..., backend: 'wasm' })
 * ```
 */
export async function wasmReady(): Promise<void> {
  if (!hasSimd()) {
    throw new NeuriteError(
      'UNSUPPORTED',
      'wasmReady: this runtime does not validate WebAssembly SIMD (expected a browser or Node with 128-bit SIMD, ' +
        "as in Chrome 91+, Firefox 89+, Safari 16.4+, Node 16.4+); use backend: 'js' (or 'auto', which picks it here)",
    );
  }
  await compileKernelsAsync(hasRelaxedSimd() ? 'relaxed' : 'simd', hasSharedMemory());
}
