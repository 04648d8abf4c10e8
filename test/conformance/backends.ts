// The backends every conformance test runs on. NEURITE_BACKEND=js|wasm narrows the list to one
// family (as the registry does for 'auto'); unset, all of them run.
import { jsBackend } from '../../src/backend/js/index.js';
import type { Backend } from '../../src/backend/types.js';
import { createWasmBackend } from '../../src/backend/wasm/backend.js';
import { createNodeWasmBackend, enableRelaxedSimd } from '../../src/backend/wasm/node.js';

/** A named backend under test. */
export interface BackendCase {
  readonly label: string;
  readonly backend: Backend;
}

const relaxed = enableRelaxedSimd();

function all(): BackendCase[] {
  const cases: BackendCase[] = [
    { label: 'js', backend: jsBackend },
    { label: 'wasm-simd', backend: createWasmBackend({ simd: 'simd' }) },
    {
      label: 'wasm-simd-unshared',
      backend: createWasmBackend({ simd: 'simd', shared: false, reserveBytes: 32 << 20 }),
    },
    // minFlops 0: every product the backend sends to wasm is split, so small shapes test the split too.
    { label: 'wasm-simd-2threads', backend: createNodeWasmBackend({ simd: 'simd', threads: 2, minFlops: 0 }) },
  ];
  if (relaxed) {
    cases.push({ label: 'wasm-relaxed', backend: createWasmBackend({ simd: 'relaxed' }) });
    cases.push({
      label: 'wasm-relaxed-2threads',
      backend: createNodeWasmBackend({ simd: 'relaxed', threads: 2, minFlops: 0 }),
    });
  }
  return cases;
}

function selected(): BackendCase[] {
  const want = process.env['NEURITE_BACKEND'];
  const cases = all();
  if (want === undefined || want === '' || want === 'auto') return cases;
  return cases.filter((c) => c.label === want || c.label.startsWith(`${want}-`));
}

/** The backends under test (created once per test file). */
export const BACKENDS: readonly BackendCase[] = selected();

/** Fills an array with a deterministic pseudo-random sequence in [-1, 1). */
export function fillRandom(a: Float32Array | Float64Array, seed: number, lo = -1, hi = 1): void {
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < a.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    a[i] = lo + ((s >>> 0) / 4294967296) * (hi - lo);
  }
}

/**
 * Fills `a` (rows × cols, row-major) like a batch of image rows: runs of exact zeros within rows,
 * columns zero in every row (among them 16–31, a whole 8-column panel), whole zero rows (among
 * them 10–19, whole 4- and 5-row panels), and some -0.
 */
export function fillSparse(a: Float32Array | Float64Array, rows: number, cols: number, seed: number): void {
  fillRandom(a, seed);
  const deadCols = new Uint8Array(cols);
  for (let j = 0; j < cols; j++) deadCols[j] = (j * 7 + seed) % 5 === 0 || (j >= 16 && j < 32) ? 1 : 0;
  for (let i = 0; i < rows; i++) {
    // A digit-like row: nonzero only in one window, whose place and width vary by row.
    const from = (i * 37 + seed * 11) % cols;
    const width =
      (i * 13) % 3 === 0 || (i >= 10 && i < 20) ? 0 : Math.max(1, Math.floor(cols * (0.15 + ((i * 29) % 40) / 100)));
    for (let j = 0; j < cols; j++) {
      const inWindow = (j - from + cols) % cols < width;
      const v = a[i * cols + j]!;
      if (!inWindow || deadCols[j] === 1 || Math.abs(v) < 0.1) a[i * cols + j] = 0;
      else if (Math.abs(v) < 0.12) a[i * cols + j] = -0;
    }
  }
}
