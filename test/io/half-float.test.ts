import { describe, expect, it } from 'vitest';
import { halfToFloat } from '../../src/io/half-float.js';

describe('halfToFloat', () => {
  it('decodes normal, subnormal and special float16 patterns', () => {
    expect([0x3c00, 0xc000, 0x0000, 0x8000, 0x7bff, 0x0001, 0x7c00, 0xfc00].map(halfToFloat)).toEqual([
      1,
      -2,
      0,
      -0,
      65504,
      2 ** -24,
      Infinity,
      -Infinity,
    ]);
    expect(halfToFloat(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });
});
