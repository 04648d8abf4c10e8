import { NeuriteError, describe } from './errors.js';

/**
 * A generator's position (what {@link Rng.getState} returns): restoring it with
 * {@link Rng.setState} continues the stream exactly where it was. Plain JSON-safe data.
 */
export interface RngState {
  /** The four sfc32 state words, each an integer in [0, 2^32). */
  words: [number, number, number, number];
  /**
   * The second Box–Muller value `normal` cached for its next call, a finite number; absent when
   * none is cached.
   */
  spare?: number;
}

/**
 * Why `x` is not a valid {@link RngState}: a message naming the field, what it must be and what it
 * is (e.g. `words[1] must be an integer in [0, 4294967296), got -1`), or `undefined` when it is valid.
 */
export function rngStateProblem(x: unknown): string | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x))
    return `must be an object { words, spare? }, got ${describe(x)}`;
  const { words, spare } = x as Record<string, unknown>;
  if (!Array.isArray(words) || words.length !== 4)
    return `words must be an array of 4 integers in [0, 4294967296), got ${describe(words)}`;
  for (let i = 0; i < 4; i++) {
    const w: unknown = words[i];
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w >= 4294967296)
      return `words[${String(i)}] must be an integer in [0, 4294967296), got ${describe(w)}`;
  }
  if (spare !== undefined && (typeof spare !== 'number' || !Number.isFinite(spare)))
    return `spare must be a finite number or absent, got ${describe(spare)}`;
  return undefined;
}

/**
 * Seeded pseudo-random generator (sfc32, seeded through splitmix32). Every random choice in neurite
 * (initialisation, shuffling, dropout, splits, evolution) draws from one of these, so one `seed`
 * reproduces a whole run bit for bit.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = NaN;

  /** @param seed any finite number; the same seed gives the same stream on every platform. */
  constructor(seed: number) {
    let s = Math.floor(seed) >>> 0;
    const next = (): number => {
      // splitmix32 spreads a small integer seed over all four state words.
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** Next 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller, caching the second value), scaled to N(mean, std²). */
  normal(mean = 0, std = 1): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return mean + std * v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: unknown }>(arr: T): T {
    // `int(i + 1)` with `uint32` written out on local state: the same draws, without three calls
    // and four property writes per element. `fit` shuffles once per epoch, so this loop runs
    // mostly unoptimised: 2.6 ms of W2's first batch (8,000 rows) went here.
    let { a, b, c, d } = this;
    for (let i = arr.length - 1; i > 0; i--) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      const j = Math.floor(((t >>> 0) / 4294967296) * (i + 1));
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return arr;
  }

  /**
   * The generator's current position, a copy: {@link setState} on this or another generator
   * continues the stream from here exactly (model files save it so resumed training shuffles and
   * drops out as an uninterrupted run would).
   *
   * @example
   * ```ts
   * const s = rng.getState();
   * const a = rng.next();
   * rng.setState(s);
   * rng.next() === a; // true
   * ```
   */
  getState(): RngState {
    const state: RngState = { words: [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0] };
    if (!Number.isNaN(this.spare)) state.spare = this.spare;
    return state;
  }

  /**
   * Moves the generator to a position from {@link getState}. An invalid state (see
   * `rngStateProblem`) throws `INVALID_OPTION` and leaves the generator unchanged.
   */
  setState(state: RngState): void {
    const problem = rngStateProblem(state);
    if (problem !== undefined) throw new NeuriteError('INVALID_OPTION', `Rng state: ${problem}`);
    [this.a, this.b, this.c, this.d] = state.words;
    this.spare = state.spare ?? NaN;
  }

  /** A new generator seeded from this one, for an independent sub-stream. */
  fork(): Rng {
    return new Rng(this.uint32());
  }
}
