import { createJsBackend, getBackend, type Backend } from '../../src/index.js';

/**
 * The backend the suite runs on: `NEURITE_BACKEND` when set (e.g. `wasm`), else the registry's
 * `'auto'` choice. Tests that compare against float32 references use this one.
 */
export function testBackend(): Backend {
  return getBackend('auto');
}

/** The double-precision reference backend used by every finite-difference check. */
export const f64: Backend = createJsBackend({ precision: 'float64' });

/** The plain float32 reference backend (for tests that need exact, backend-independent numbers). */
export const js32: Backend = getBackend('js');
