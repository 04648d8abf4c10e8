// Rng.shuffle writes the generator's step out for speed; it must stay the Fisher–Yates shuffle
// drawn with `int(i + 1)`, leaving the generator where those draws leave it.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';

/** The definition: Fisher–Yates from the end, j = int(i + 1). */
function shuffleByDefinition<T>(rng: Rng, arr: T[]): T[] {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [arr[i], arr[j]] = [arr[j]!, arr[i]!];
  }
  return arr;
}

describe('Rng.shuffle', () => {
  it.each([0, 1, 2, 7, 1000, 8000])('n = %i: the definition’s permutation and generator state', (n) => {
    for (const seed of [0, 1, 42, 2 ** 31 + 5]) {
      const a = new Rng(seed);
      const b = new Rng(seed);
      a.uint32();
      b.uint32();
      const got = a.shuffle(new Int32Array(n).map((_v, i) => i));
      const want = shuffleByDefinition(
        b,
        Array.from({ length: n }, (_v, i) => i),
      );
      expect(Array.from(got)).toEqual(want);
      expect(a.getState()).toEqual(b.getState());
      expect(a.uint32()).toBe(b.uint32());
    }
  });

  it('shuffles plain arrays of any element type the same way', () => {
    const letters = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const idx = new Rng(9).shuffle(Array.from({ length: 10 }, (_v, i) => i));
    expect(new Rng(9).shuffle(letters)).toEqual(idx.map((i) => 'abcdefghij'[i]));
  });
});
