import { describe, expect, it } from 'vitest';
import { SHUFFLE_MIN } from '../../src/backend/wasm/backend.js';
import { Rng } from '../../src/core/rng.js';
import { BACKENDS } from './backends.js';

// Around the wasm backend's cut-off (256 rows), odd and even lengths, W2's 8,000 rows, and more
// rows than the last call had room for (its block grows).
const LENGTHS = [0, 1, 2, 255, 256, 257, 1000, 8000, 8001, 20_003];
const SEEDS = [1, 7, 2 ** 31 + 5];

describe.each(BACKENDS)('shuffle on $label', ({ backend }) => {
  it('gives the permutation and the generator position of Rng.shuffle, bit for bit', () => {
    for (const n of LENGTHS) {
      for (const seed of SEEDS) {
        const want = new Rng(seed);
        const got = new Rng(seed);
        // Each generator has drawn a Box–Muller pair, so a cached second value must survive too.
        want.normal();
        got.normal();
        const a = new Int32Array(n).map((_v, i) => (i * 7919) % (n + 1));
        const b = Int32Array.from(a);
        want.shuffle(a);
        const took = backend.shuffle?.(b, got) === true;
        // A backend with its own shuffle runs it from the cut-off on (else this compares Rng with itself).
        if (backend.shuffle !== undefined) expect(took, `n=${n}`).toBe(n >= SHUFFLE_MIN);
        if (!took) got.shuffle(b);
        expect(b, `n=${n} seed=${seed}`).toEqual(a);
        expect(got.getState(), `n=${n} seed=${seed}`).toEqual(want.getState());
        expect(got.normal()).toBe(want.normal());
        expect(got.uint32()).toBe(want.uint32());
      }
    }
  });

  it('declines short orders without touching them or the generator', () => {
    if (backend.shuffle === undefined) return;
    const r = new Rng(3);
    const before = r.getState();
    const a = new Int32Array(10).map((_v, i) => i);
    expect(backend.shuffle(a, r)).toBe(false);
    expect(Array.from(a)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.getState()).toEqual(before);
  });
});
