import type { CsvRecord } from '../../src/data/index.js';

/** Rows as a CSV gives them: strings, an id, a date, gaps, and a class decided by x and colour. */
export function messyRows(n: number, seed = 1): CsvRecord[] {
  let s = seed;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  return Array.from({ length: n }, (_, i) => {
    const x = rand() * 10;
    const colour = ['red', 'green', 'blue'][Math.floor(rand() * 3)] as string;
    return {
      id: String(i + 1),
      seen: `2021-${String(1 + (i % 12)).padStart(2, '0')}-15`,
      x: rand() < 0.1 ? '' : x.toFixed(2),
      colour: rand() < 0.05 ? 'NA' : colour,
      kind: x + (colour === 'red' ? 3 : 0) > 6 ? 'big' : 'small',
    };
  });
}
