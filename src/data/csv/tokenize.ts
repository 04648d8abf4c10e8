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

/** What {@link tokenizeCsvChunk} read from one piece of a longer text. */
export interface CsvChunk {
  /** The complete records of the piece. */
  readonly rows: CsvRow[];
  /** How many characters of the piece they took; the rest starts an unfinished record. */
  readonly consumed: number;
  /** The file line the unfinished rest starts on. */
  readonly line: number;
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
  return scan(text, delimiter, options.maxRows ?? Infinity, false, 1).rows;
}

/**
 * {@link tokenizeCsv} for a text that arrives in pieces (a file read as a stream): reads the
 * complete records of `text` and stops before a record the piece cuts off (no newline after it
 * yet, or a quoted field still open), so the caller prepends `text.slice(consumed)` to the next
 * piece. With `final` the piece is the end of the file and everything is read.
 *
 * @example
 * ```ts
 * const a = tokenizeCsvChunk('x,y\n1,2\n3,', ',', { firstLine: 1 }); // rows x,y and 1,2; consumed 8
 * tokenizeCsvChunk('3,' + '4\n', ',', { firstLine: a.line, final: true }).rows; // [{ fields: ['3', '4'], line: 3 }]
 * ```
 */
export function tokenizeCsvChunk(
  text: string,
  delimiter: string,
  options: { readonly firstLine: number; readonly final?: boolean },
): CsvChunk {
  return scan(text, delimiter, Infinity, options.final !== true, options.firstLine);
}

function scan(text: string, delimiter: string, maxRows: number, partial: boolean, firstLine: number): CsvChunk {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new NeuriteError(
      'INVALID_OPTION',
      `CSV delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`,
    );
  }
  const delim = delimiter.charCodeAt(0);
  const rows: CsvRow[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff && firstLine === 1 ? 1 : 0;
  let line = firstLine;
  while (i < n && rows.length < maxRows) {
    const start = line;
    const recordStart = i;
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
          if (partial) return { rows, consumed: recordStart, line: start };
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
    // A piece of a stream that ends inside this record (or between a CR and its LF) leaves it for the next piece.
    if (partial && (i >= n || (text.charCodeAt(i) === CR && i + 1 >= n))) {
      return { rows, consumed: recordStart, line: start };
    }
    // At a newline (or the end): step over it.
    if (i < n) {
      if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF) i++;
      i++;
      line++;
    }
    if (!blank) rows.push({ fields, line: start });
  }
  return { rows, consumed: i, line };
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
