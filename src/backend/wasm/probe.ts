// Feature probes. The byte strings are the SIMD and relaxed-SIMD probes of wasm-feature-detect
// (GoogleChromeLabs, Apache-2.0): the smallest modules that use one instruction of each proposal.

const SIMD_PROBE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
];
const RELAXED_PROBE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65, 2, 253, 15,
  253, 128, 2, 11,
];

function validates(bytes: number[]): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(new Uint8Array(bytes));
  } catch {
    return false;
  }
}

/** True when the runtime has WebAssembly with fixed-width SIMD (Node ≥ 16.4, current browsers). */
export function hasSimd(): boolean {
  return validates(SIMD_PROBE);
}

/**
 * True when relaxed SIMD validates. Chromium enables it by default; Node 20 only after
 * `v8.setFlagsFromString('--experimental-wasm-relaxed-simd')`, which the Node entry does.
 */
export function hasRelaxedSimd(): boolean {
  return validates(RELAXED_PROBE);
}

/**
 * True when a shared WebAssembly.Memory can be created: always in Node, in browsers only on
 * cross-origin-isolated pages.
 */
export function hasSharedMemory(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  try {
    const m = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return m.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}
