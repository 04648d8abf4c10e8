import { NeuriteError } from '../../core/index.js';
import type { CsvRecord } from './cells.js';
import { headerLooksLikeData } from './columns.js';
import { normalizeDecimals, sniffDecimal, type DecimalSeparator } from './decimal.js';
import { delimiterName, sniffDelimiter } from './delimiter.js';
import { fitRow, raggedRow } from './row-width.js';
import { tokenizeCsv, type CsvRow } from './tokenize.js';

/**
 * How a CSV text was read: what was detected or given. JSON-safe, so a model can store how its
 * training file was read and read the next file the same way.
 */
export interface CsvFormat {
  /** Field delimiter: `,` `;` `\t` `|` (or any single character given explicitly). */
  readonly delimiter: string;
  /** Decimal separator of the numbers; with `,` numeric cells were rewritten with a point. */
  readonly decimal: DecimalSeparator;
  /** Whether the first row named the columns (false: columns are named `1`, `2`, …). */
  readonly header: boolean;
}

/** How to read a CSV text; everything is detected by default. */
export interface CsvReadOptions {
  /** Field delimiter, or `'auto'` (default) to sniff `,` `;` tab `|` from the first lines. */
  readonly delimiter?: string;
  /**
   * Decimal separator, or `'auto'` (default): a decimal comma is recognised in files not separated
   * by `,` when the numbers are written `14,23`. Numeric cells are then rewritten as `14.23`.
   */
  readonly decimal?: 'auto' | DecimalSeparator;
  /** Whether the first row names the columns (default true). Without, columns are named `1`, `2`, …. */
  readonly header?: boolean;
  /**
   * How a similar file was read before (e.g. a model's training file): where the options say
   * `auto` or nothing, a text that reads consistently with this delimiter is read with it, and
   * its `header` choice is kept. Explicit options still win.
   */
  readonly like?: CsvFormat;
}

/** Raw rows of a CSV text. */
export interface CsvTable {
  /** Column names, in file order (`1`, `2`, … without a header). */
  readonly columns: readonly string[];
  /** One record per data row (blank lines and rows of empty cells skipped); cells trimmed, decimals normalised. */
  readonly records: readonly CsvRecord[];
  /** File line each record starts on (1-based; the header is line 1). */
  readonly lines: readonly number[];
  /** How the text was read (detected or given). */
  readonly format: CsvFormat;
  /** Things the reader noticed that the user should hear about (e.g. a header that looks like data). */
  readonly notes: readonly string[];
}

/**
 * Reads CSV text into named records, as people's files are: the delimiter (`,` `;` tab `|`) and
 * decimal commas are sniffed unless given (see {@link sniffDelimiter}, {@link sniffDecimal}); a
 * byte-order mark, CRLF line ends, quoted fields holding delimiters, newlines or `""`, blank lines
 * and trailing empty columns are handled. The detected format is returned with the records.
 *
 * Errors (`NeuriteError`): a row with another field count than the header is `INVALID_DATA` naming
 * the row, the line, both counts and the likely fix; a blank or repeated header name is
 * `INVALID_DATA` (with a `header: false` hint when the first row looks like data); no rows is
 * `EMPTY_DATA`; a bad option is `INVALID_OPTION`.
 *
 * @example
 * ```ts
 * const t = readCsvTable('a;b\n1,5;2\n');
 * t.format; // { delimiter: ';', decimal: ',', header: true }
 * t.records; // [{ a: '1.5', b: '2' }]
 * ```
 */
export function readCsvTable(text: string, options: CsvReadOptions = {}): CsvTable {
  if (typeof text !== 'string') {
    throw new NeuriteError('INVALID_OPTION', `CSV text must be a string, got ${text === null ? 'null' : typeof text}`);
  }
  const format0 = resolveFormat(text, options);
  const rows = tokenizeCsv(text, format0.delimiter).filter((r) => r.fields.some((f) => f !== ''));
  const first = rows[0];
  if (first === undefined) {
    throw new NeuriteError('EMPTY_DATA', 'CSV is empty: expected a header row and data rows');
  }
  const header = format0.header ? trimTrailingEmpty(first.fields, rows.slice(1)) : undefined;
  const body = format0.header ? rows.slice(1) : rows;
  const width = header?.length ?? first.fields.length;
  const columns = header ?? Array.from({ length: width }, (_, i) => String(i + 1));
  if (header !== undefined) checkHeader(header);
  if (body.length === 0) {
    throw new NeuriteError('EMPTY_DATA', `CSV has a header (${columns.join(', ')}) but no data rows`);
  }
  const cells = body.map((r) => fitRow(r, width));
  const bad = cells.findIndex((c) => c === undefined);
  if (bad >= 0) {
    const count = cells.filter((c) => c === undefined).length;
    throw raggedRow(body[bad] as CsvRow, bad + 1, count, width, format0, sniffDelimiter(text));
  }
  const byColumn = columns.map((_, c) => cells.map((row) => row?.[c] ?? ''));
  const decimal = chooseDecimal(options.decimal, format0.delimiter, byColumn);
  const normalized = byColumn.map((col) => normalizeDecimals(col, decimal));
  const records = body.map((_, r) => Object.fromEntries(columns.map((name, c) => [name, normalized[c]?.[r] ?? ''])));
  const notes: string[] = [];
  if (header !== undefined && headerLooksLikeData(header)) {
    notes.push(
      `the first row (${header
        .slice(0, 4)
        .map((h) => JSON.stringify(h))
        .join(
          ', ',
        )}${header.length > 4 ? ', …' : ''}) looks like data, not column names: if the file has no header row, pass --no-header (library: header: false) and refer to columns by number`,
    );
  }
  return { columns, records, lines: body.map((r) => r.line), format: { ...format0, decimal }, notes };
}

/**
 * One line describing how a table was read, e.g. `';'-separated, decimal comma, no header`.
 *
 * @example
 * ```ts
 * describeCsvFormat({ delimiter: '\t', decimal: '.', header: true }); // 'tab-separated'
 * ```
 */
export function describeCsvFormat(format: CsvFormat): string {
  return [
    `${delimiterName(format.delimiter)}-separated`,
    ...(format.decimal === ',' ? ['decimal comma'] : []),
    ...(format.header ? [] : ['no header']),
  ].join(', ');
}

/** The delimiter and header choice (the decimal separator is decided once the cells are known). */
function resolveFormat(text: string, options: CsvReadOptions): CsvFormat {
  const { delimiter = 'auto', decimal = 'auto', header, like } = options;
  if (typeof delimiter !== 'string' || (delimiter !== 'auto' && delimiter.length !== 1)) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `delimiter must be 'auto' or one character (e.g. ',', ';', '\\t', '|'), got ${JSON.stringify(delimiter)}`,
    );
  }
  if (decimal !== 'auto' && decimal !== '.' && decimal !== ',') {
    throw new NeuriteError('INVALID_OPTION', `decimal must be 'auto', '.' or ',', got ${JSON.stringify(decimal)}`);
  }
  if (header !== undefined && typeof header !== 'boolean') {
    throw new NeuriteError('INVALID_OPTION', `header must be true or false, got ${JSON.stringify(header)}`);
  }
  const d = delimiter === 'auto' ? sniffDelimiter(text, like?.delimiter) : delimiter;
  if (decimal === ',' && d === ',') {
    throw new NeuriteError(
      'INVALID_OPTION',
      "decimal ',' needs another delimiter than ',': a ','-separated file cannot hold unquoted decimal commas; pass the delimiter too (e.g. --delimiter ';')",
    );
  }
  return { delimiter: d, decimal: decimal === 'auto' ? '.' : decimal, header: header ?? like?.header ?? true };
}

function chooseDecimal(
  option: CsvReadOptions['decimal'],
  delimiter: string,
  columns: readonly (readonly string[])[],
): DecimalSeparator {
  if (option === '.' || option === ',') return option;
  // Never guess a decimal comma in a ','-separated file: there a "1,234" is quoted and far more often thousands.
  return delimiter === ',' ? '.' : sniffDecimal(columns);
}

/** Header names without trailing unnamed columns that hold nothing (a delimiter at each line's end). */
function trimTrailingEmpty(header: readonly string[], body: readonly CsvRow[]): string[] {
  let w = header.length;
  while (w > 1 && header[w - 1] === '' && body.every((r) => (r.fields[w - 1] ?? '') === '')) w--;
  return header.slice(0, w);
}

function checkHeader(header: readonly string[]): void {
  const hint = headerLooksLikeData(header)
    ? '; the first row looks like data: if the file has no header row, pass --no-header (library: header: false)'
    : '';
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') {
      throw new NeuriteError('INVALID_DATA', `CSV header: column ${String(i + 1)} has no name${hint}`, {
        column: i + 1,
      });
    }
    if (seen.has(name)) {
      throw new NeuriteError('INVALID_DATA', `CSV header: column name ${JSON.stringify(name)} appears twice${hint}`, {
        column: i + 1,
      });
    }
    seen.add(name);
  });
}
