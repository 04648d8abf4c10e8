// The copy kernel (fit's per-step backup of the weights) on every backend: y[0, n) becomes x[0, n)
// bit for bit, whatever the length, whether a pool splits it, and nothing past n is written.
import { describe, expect, it } from 'vitest';
import { copyKernel } from '../../src/backend/js/copy.js';
import { NATIVE_ELEMENTWISE } from '../../src/backend/wasm/native-kernels.js';
import { BACKENDS, fillRandom } from './backends.js';

describe.each(BACKENDS)('copy on $label', ({ backend }) => {
  // Around the vector width, and past RUNNER_MIN_ELEMENTS (16,384), where a pool splits it.
  it.each([1, 3, 17, 16_383, 16_384, 50_001, 109_386])('copies %i values exactly', (n) => {
    const x = backend.alloc(n + 8);
    fillRandom(x as Float32Array, n);
    x[0] = NaN;
    x[n - 1] = -0;
    const y = backend.alloc(n + 8);
    y.fill(7);
    backend.run(copyKernel, n, [x, y], {});
    const xb = new Uint32Array(x.buffer, x.byteOffset, n + 8);
    const yb = new Uint32Array(y.buffer, y.byteOffset, n + 8);
    let diff = -1;
    for (let i = 0; i < n && diff < 0; i++) if (xb[i] !== yb[i]) diff = i;
    expect(diff).toBe(-1);
    expect([...y.subarray(n)]).toEqual(new Array(8).fill(7));
    backend.free?.(x);
    backend.free?.(y);
  });
});

describe('copy kernel', () => {
  it('is run natively, and split by a pool, by the wasm build', () => {
    expect(NATIVE_ELEMENTWISE['copy']?.split).toBe(true);
  });
});
