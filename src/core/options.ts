import { NeuriteError, describe } from './errors.js';

/**
 * Refuses an options object with a key the caller does not know. A typo in plain JavaScript
 * (`fit({ epoch: 3 })`) would otherwise be ignored and the default used, which is the silent
 * mistake this check exists for. The message names the key and, when one is close, the valid key
 * the user probably meant. `hints` maps common aliases from other libraries to the neurite name
 * (`{ lr: 'learningRate' }`), for keys too far from it for the edit distance to find.
 *
 * Throws `INVALID_OPTION` when `given` is not a plain object (null, an array, a number…) or has
 * an own key outside `allowed`, also when that key's value is `undefined`.
 *
 * @example
 * ```ts
 * checkOptions({ epoch: 3 }, ['epochs', 'batchSize'], 'fit options');
 * // NeuriteError INVALID_OPTION: unknown option `epoch` in fit options; did you mean `epochs`? …
 * ```
 */
export function checkOptions(
  given: unknown,
  allowed: readonly string[],
  where: string,
  hints: Readonly<Record<string, string>> = {},
): void {
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new NeuriteError('INVALID_OPTION', `${where} must be an object, got ${describe(given)}`);
  }
  for (const key of Object.keys(given)) {
    if (allowed.includes(key)) continue;
    const suggestion = Object.hasOwn(hints, key) ? hints[key] : closest(key, allowed);
    const hint = suggestion !== undefined ? `; did you mean \`${suggestion}\`?` : '';
    throw new NeuriteError(
      'INVALID_OPTION',
      `unknown option \`${key}\` in ${where}${hint} Valid options: ${allowed.join(', ')}`,
      suggestion !== undefined ? { key, suggestion } : { key },
    );
  }
}

/**
 * The entry of `candidates` nearest to `word` (case-insensitive edit distance), when it is near
 * enough to be a typo of it: at most a third of the longer word's letters differ (at least 1), or
 * one word of 3 or more letters starts with the other (`batch` → `batchSize`). Undefined when none is.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const l = c.toLowerCase();
    const prefix = Math.min(w.length, l.length) >= 3 && (l.startsWith(w) || w.startsWith(l));
    const d = prefix ? Math.min(1, editDistance(w, l)) : editDistance(w, l);
    const limit = Math.max(1, Math.floor(Math.max(w.length, l.length) / 3));
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

// Levenshtein distance with one rolling row; option names are short, so O(|a|·|b|) is nothing.
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_v, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] as number;
}
