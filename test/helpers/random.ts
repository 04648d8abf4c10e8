import { Rng } from '../../src/index.js';

/** Rows of uniform values in [lo, hi), from a seeded generator. */
export function randomRows(rng: Rng, rows: number, cols: number, lo = -1, hi = 1): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.uniform(lo, hi)));
}

/** Rows that are probability vectors (positive, summing to 1). */
export function probabilityRows(rng: Rng, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, () => {
    const r = Array.from({ length: cols }, () => 0.05 + rng.next());
    const s = r.reduce((a, b) => a + b, 0);
    return r.map((v) => v / s);
  });
}

/** One-hot rows with a random hot index. */
export function oneHotRows(rng: Rng, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, () => {
    const r = new Array<number>(cols).fill(0);
    r[rng.int(cols)] = 1;
    return r;
  });
}

/** Largest |a − b| / max(|a|, |b|, atol/rtol) over two arrays, as a single number for messages. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, atol = 1e-12): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    const d = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), atol);
    if (d > worst || Number.isNaN(d)) worst = d;
  }
  return worst;
}

/** Asserts |a − b| <= atol + rtol·max(|a|, |b|) element by element; returns the first violation or undefined. */
export function firstMismatch(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  rtol: number,
  atol: number,
): { index: number; a: number; b: number } | undefined {
  if (a.length !== b.length) return { index: -1, a: a.length, b: b.length };
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (!(Math.abs(x - y) <= atol + rtol * Math.max(Math.abs(x), Math.abs(y)))) return { index: i, a: x, b: y };
  }
  return undefined;
}
