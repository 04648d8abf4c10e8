import { NeuriteError } from '../../core/index.js';

/** One record of a CSV text: its fields, as written (quotes removed), and where it starts. */
export interface CsvRow {
  /** The fields, unquoted (`""` inside quotes becomes `"`); unquoted fields are trimmed of spaces and tabs. */
  readonly fields: readonly string[];
  /** The 1-based file line the record starts on (a quoted field may carry it over several lines). */
  readonly line: number;
}

/** Options for {@link tokenizeCsv}. */
export interface TokenizeOptions {
  /** Stop after this many records (the delimiter sniffer reads only the first lines). */
  readonly maxRows?: number;
}

const QUOTE = 34; // "
const LF = 10;
const CR = 13;

/**
 * Splits CSV text into records, RFC 4180 style, leniently, as people's files are written:
 * - `\n`, `\r\n` and a lone `\r` end a record; a blank or whitespace-only line is skipped;
 * - a field is quoted only when its first non-blank character is `"`; inside, the delimiter,
 *   newlines and doubled quotes (`""`) are data. A quote inside an unquoted field (`12" pizza`)
 *   is kept as written, and text after a closing quote (`"a" b`) is appended to the field;
 * - a leading byte-order mark is ignored.
 * A quoted field still open at the end of the text throws `INVALID_DATA` naming the line where
 * it opened. Hand-written rather than csv-parse, so that `neurite/data` has no dependency, and so
 * the sniffer and the reader share one notion of quoting and of line numbers.
 *
 * @example
 * ```ts
 * tokenizeCsv('a;b\n"x;y";2\n', ';'); // [{ fields: ['a', 'b'], line: 1 }, { fields: ['x;y', '2'], line: 2 }]
 * ```
 */
export function tokenizeCsv(text: string, delimiter: string, options: TokenizeOptions = {}): CsvRow[] {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new NeuriteError(
      'INVALID_OPTION',
      `CSV delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`,
    );
  }
  const delim = delimiter.charCodeAt(0);
  const maxRows = options.maxRows ?? Infinity;
  const rows: CsvRow[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n && rows.length < maxRows) {
    const start = line;
    const fields: string[] = [];
    let blank = true;
    // One iteration per field; the record ends at a newline or the end of the text.
    for (;;) {
      while (i < n && isBlank(text.charCodeAt(i)) && text.charCodeAt(i) !== delim) i++;
      let field = '';
      if (i < n && text.charCodeAt(i) === QUOTE) {
        blank = false;
        const openLine = line;
        i++;
        let closed = false;
        let from = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            field += text.slice(from, i);
            if (text.charCodeAt(i + 1) === QUOTE) {
              field += '"';
              i += 2;
              from = i;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) line++;
          i++;
        }
        if (!closed) {
          throw new NeuriteError(
            'INVALID_DATA',
            `unreadable CSV: the quoted field that opens on line ${String(openLine)} is never closed; a cell that starts with '"' must end with '"', and a quote inside it is written '""'`,
            { line: openLine },
          );
        }
        from = i;
        while (i < n && !isEnd(text.charCodeAt(i), delim)) i++;
        field += text.slice(from, i).trim();
      } else {
        const from = i;
        while (i < n && !isEnd(text.charCodeAt(i), delim)) i++;
        field = trimBlanks(text.slice(from, i));
        if (field !== '') blank = false;
      }
      fields.push(field);
      if (i < n && text.charCodeAt(i) === delim) {
        blank = false;
        i++;
        continue;
      }
      break;
    }
    // At a newline (or the end): step over it.
    if (i < n) {
      if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF) i++;
      i++;
      line++;
    }
    if (!blank) rows.push({ fields, line: start });
  }
  return rows;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

function isEnd(c: number, delim: number): boolean {
  return c === delim || c === LF || c === CR;
}

function trimBlanks(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isBlank(s.charCodeAt(a))) a++;
  while (b > a && isBlank(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}
