import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToFloats, decodeBase64, encodeBase64, floatsToBase64 } from '../../src/core/base64.js';

describe('base64', () => {
  it("encodes bytes as Node's Buffer does, every padding case included, and decodes them back", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(decodeBase64(text)).toEqual(bytes);
      }),
    );
  });

  it('writes float32 values little-endian, from a Float32Array (its own bytes) or any array of numbers', () => {
    const values = [0, -0, 1, -1.5, 3.4028234663852886e38, 1e-45, -1e-45, Infinity, -Infinity, 0.1, Math.PI];
    const reference = Buffer.alloc(values.length * 4);
    values.forEach((v, i) => reference.writeFloatLE(v, i * 4));
    expect(floatsToBase64(new Float32Array(values))).toBe(reference.toString('base64'));
    expect(floatsToBase64(values)).toBe(reference.toString('base64'));
    // A view into a larger buffer (as the network's parameters are into wasm memory) encodes only itself.
    const big = new Float32Array(values.length + 3).fill(7);
    big.set(values, 2);
    expect(floatsToBase64(big.subarray(2, 2 + values.length))).toBe(reference.toString('base64'));
    expect(Array.from(base64ToFloats(floatsToBase64(new Float32Array(values))) ?? [])).toEqual(
      values.map((v) => Math.fround(v)),
    );
  });
});
