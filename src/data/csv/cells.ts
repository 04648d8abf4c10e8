/** A CSV row as `readCsvTable` gives it (column name → cell); numbers are accepted for programmatic use. */
export type CsvRecord = Readonly<Record<string, string | number | null | undefined>>;

// Cells that mean "no value". Kept small and explicit: a 0 or "none" category is data, not missing.
// A lone "." is SAS's and Stata's missing value; ".5" is still a number.
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', '?', '.']);

// A plain decimal number; unlike Number() this rejects "0x1F", "Infinity" and "1_000".
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The cell as trimmed text ('' for null/undefined). */
export function cellText(v: string | number | null | undefined): string {
  return v == null ? '' : typeof v === 'number' ? String(v) : v.trim();
}

/** True for an empty cell or a conventional missing marker: NA, N/A, NaN, null, ?, . (any case). */
export function isMissing(text: string): boolean {
  return MISSING.has(text.toLowerCase());
}

/** The cell's number, or undefined when it is not a plain finite decimal number. */
export function parseNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

/** How a class label is compared: numbers in canonical form (so "1", "1.0" and "01" agree), text as written. */
export function canonicalLabel(text: string): string {
  const v = parseNumber(text);
  return v === undefined ? text : String(v);
}

/** "row 3 (line 4)": the 1-based data row, plus the file line when known. */
export function where(row: number, line: number | undefined): string {
  return line === undefined ? `row ${String(row)}` : `row ${String(row)} (line ${String(line)})`;
}
