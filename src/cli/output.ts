/** Where a command writes: stdout for results, stderr for progress and messages. Swappable in tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  readonly isTty: boolean;
}

/** The process's streams. */
export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTty: process.stderr.isTTY,
};

/** Formats a number for tables: 4 significant digits, or integers as they are. */
export function fmt(v: number | undefined, digits = 4): string {
  if (v === undefined || Number.isNaN(v)) return '—';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? v.toPrecision(digits) : v.toExponential(digits - 1);
}

/** Formats a fraction as a percentage with 2 decimals. */
export function pct(v: number | undefined): string {
  return v === undefined ? '—' : `${(v * 100).toFixed(2)}%`;
}

/**
 * Formats a column of numbers alike so their decimal points line up: the same number of decimals
 * for every value (enough for `digits` significant digits of the smallest non-zero magnitude, at
 * most 6), or all in exponent form when the column spans magnitudes that fixed decimals cannot
 * show. NaN prints as `—`.
 */
export function fmtColumn(values: readonly number[], digits = 4): string[] {
  const mags = values.filter((v) => Number.isFinite(v) && v !== 0).map((v) => Math.abs(v));
  const small = mags.length === 0 ? 1 : Math.min(...mags);
  const large = mags.length === 0 ? 1 : Math.max(...mags);
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(small)));
  const exponent = decimals > 6 || large >= 1e6;
  return values.map((v) =>
    Number.isNaN(v) ? '—' : exponent ? v.toExponential(digits - 1) : v.toFixed(Math.min(decimals, 6)),
  );
}

/**
 * A plain text table with columns padded to width. By default a cell that looks like a number is
 * right-aligned and any other cell left-aligned; `align` fixes each column's alignment instead,
 * header included, so a numeric column's header sits over its numbers.
 */
export function textTable(rows: readonly (readonly string[])[], align?: readonly ('left' | 'right')[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const right = (c: string, i: number): boolean =>
    align === undefined ? /^[-+]?[\d.,]+%?$/.test(c) : align[i] === 'right';
  return rows
    .map((r) =>
      r
        .map((c, i) => (right(c, i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
