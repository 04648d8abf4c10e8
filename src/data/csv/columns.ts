import { NeuriteError } from '../../core/index.js';
import { CSV_DELIMITERS, delimiterName } from './delimiter.js';

/** A column given by name or by 1-based position (`3` or `'3'`). */
export type ColumnSpec = string | number;

/** How many near names an unknown-column error lists. */
const SUGGESTIONS = 5;
/** Up to this many columns, an unknown-column error lists them all. */
const ALL_NAMES = 8;

/**
 * The name of the column `spec` refers to: a column name, or a 1-based column number (`3` or
 * `'3'`). A name wins over a number, so in a file whose header has a column named `3`, `'3'` is
 * that column; columns read without a header are named `1`, `2`, … so the two agree.
 *
 * An unknown name throws `INVALID_OPTION` listing the columns, or only the few closest names
 * when there are more than eight (not all 178 of a wide file); a
 * number out of range names the range, and a header that is one column containing `;` (a file
 * read with the wrong delimiter) says which delimiter to pass.
 *
 * @param what how the column is called in messages, e.g. `'target column'`.
 * @example
 * ```ts
 * resolveColumn('3', ['alcohol', 'ash', 'hue']); // 'hue'
 * resolveColumn('Hue', ['alcohol', 'ash', 'hue']); // throws: unknown column "Hue"; closest: hue, …
 * ```
 */
export function resolveColumn(spec: ColumnSpec, columns: readonly string[], what = 'column'): string {
  const text = typeof spec === 'number' ? String(spec) : typeof spec === 'string' ? spec.trim() : undefined;
  if (text === undefined || text === '') {
    throw new NeuriteError(
      'INVALID_OPTION',
      `${what} must be a column name or a 1-based column number, got ${JSON.stringify(spec)}`,
    );
  }
  if (columns.includes(text)) return text;
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    const name = columns[n - 1];
    if (name !== undefined && n >= 1) return name;
    throw new NeuriteError(
      'INVALID_OPTION',
      `${what} ${text} is out of range: the file has ${String(columns.length)} column${columns.length === 1 ? '' : 's'} (numbers 1–${String(columns.length)})${delimiterHint(columns)}`,
      { column: text },
    );
  }
  const numbered = columns.every((c, i) => c === String(i + 1));
  const dataHint = headerLooksLikeData(columns)
    ? '. The first row looks like data, not names: if the file has no header row, pass --no-header (library: header: false) and give the column number'
    : '';
  const help = numbered
    ? `; the file was read without a header, so its columns are numbered 1–${String(columns.length)}`
    : `; ${columns.length <= ALL_NAMES ? `available columns: ${columns.join(', ')}` : `closest of the ${String(columns.length)} columns: ${closestNames(text, columns).join(', ')}`} (or give a 1-based column number, 1–${String(columns.length)})${delimiterHint(columns)}${dataHint}`;
  throw new NeuriteError('INVALID_OPTION', `unknown ${what} ${JSON.stringify(text)}${help}`, { column: text });
}

/** The names most like `name`: case-insensitive matches and names containing it first, then by edit distance. */
export function closestNames(name: string, columns: readonly string[], count = SUGGESTIONS): string[] {
  const lower = name.toLowerCase();
  const rank = (c: string): number => {
    const l = c.toLowerCase();
    if (l === lower) return -2;
    if (l.includes(lower) || lower.includes(l)) return -1;
    return editDistance(lower, l);
  };
  return columns
    .map((c, i) => ({ c, i, r: rank(c) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .slice(0, count)
    .map((x) => x.c);
}

/** A note for a header that is one column holding another delimiter: the file was split with the wrong one. */
export function delimiterHint(columns: readonly string[]): string {
  const only = columns.length === 1 ? columns[0] : undefined;
  const d = only === undefined ? undefined : CSV_DELIMITERS.find((x) => only.includes(x));
  if (d === undefined) return '';
  const flag = d === '\t' ? "--delimiter '\\t' (tab)" : `--delimiter '${d}'`;
  return `. The header was read as one column ${JSON.stringify(only)}: the file looks ${delimiterName(d)}-separated; pass ${flag} (library: delimiter: ${JSON.stringify(d)})`;
}

/**
 * True when header names look like a row of data rather than names: every name is a number
 * (other than the column numbers 0…n-1 or 1…n, which some files use as names), or at least half
 * are numbers with a fractional part or a sign (`5.1`, `-0,3`), which no one picks as a name.
 */
export function headerLooksLikeData(names: readonly string[]): boolean {
  const numeric = names.filter((n) => /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/.test(n));
  const fractional = numeric.filter((n) => !/^\d+$/.test(n));
  const counting = names.every((n, i) => n === String(i) || n === String(i + 1));
  return (numeric.length === names.length && !counting) || fractional.length * 2 >= names.length;
}

/** Levenshtein distance, two rows of the table. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] as number) + 1, (cur[j - 1] as number) + 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}
