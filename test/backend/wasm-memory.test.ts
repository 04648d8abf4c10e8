import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/index.js';
import { createWasmBackend } from '../../src/backend/wasm/backend.js';
import { fillRandom } from '../conformance/backends.js';

const wasmWanted = (process.env['NEURITE_BACKEND'] ?? 'wasm') !== 'js';

/** True when the Float32Array lives in the backend's linear memory (the zero-copy path). */
function inMemory(b: ReturnType<typeof createWasmBackend>, a: Float32Array): boolean {
  return a.buffer instanceof SharedArrayBuffer ? b.shared : a.buffer === b.memory.buffer;
}

describe.runIf(wasmWanted)('wasm backend memory', () => {
  it('is what the core entry registers as "wasm"', () => {
    expect(getBackend('wasm').name).toBe('wasm');
  });

  it('keeps earlier views valid when a shared memory grows', () => {
    const b = createWasmBackend({ shared: true });
    const before = b.memory.buffer.byteLength;
    const a = b.alloc(64 * 64) as Float32Array;
    fillRandom(a, 1);
    const copy = Float32Array.from(a);
    const big = b.alloc(16 << 20) as Float32Array; // 64 MiB: forces growth
    expect(b.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(Array.from(a)).toEqual(Array.from(copy));
    // Old and new views both take the zero-copy path and compute correctly together.
    const c = big.subarray(0, 64 * 64);
    b.gemm(false, false, 64, 64, 64, 1, a, a, 0, c);
    const want = new Float32Array(64 * 64);
    getBackend('js').gemm(false, false, 64, 64, 64, 1, a, a, 0, want);
    for (let i = 0; i < want.length; i++) expect(Math.abs(c[i]! - want[i]!)).toBeLessThan(1e-4);
    b.free(big);
  });

  it('never grows an unshared memory, falling back to plain arrays that still work', () => {
    const b = createWasmBackend({ shared: false, reserveBytes: 4 << 20 });
    const size = b.memory.buffer.byteLength;
    const inside = b.alloc(1024) as Float32Array;
    expect(inMemory(b, inside)).toBe(true);
    const outside = b.alloc(2 << 20) as Float32Array; // 8 MiB > the 4 MiB reserve
    expect(b.memory.buffer.byteLength).toBe(size);
    expect(inside.length).toBe(1024); // not detached
    expect(inMemory(b, outside)).toBe(false);
    fillRandom(outside, 2);
    const y = b.alloc(1000) as Float32Array;
    b.actForward({ id: 3, param: 0, f: (x) => (x < 0 ? 0 : x), df: (x) => (x > 0 ? 1 : 0) }, 1000, outside, y);
    for (let i = 0; i < 1000; i++) expect(y[i]).toBe(Math.max(0, outside[i]!));
  });

  it('reuses freed blocks and hands them out zeroed', () => {
    const b = createWasmBackend({});
    const a = b.alloc(1000) as Float32Array;
    a.fill(7);
    const off = a.byteOffset;
    b.free(a);
    const again = b.alloc(1000) as Float32Array;
    expect(again.byteOffset).toBe(off);
    expect(again.every((v) => v === 0)).toBe(true);
  });
});
