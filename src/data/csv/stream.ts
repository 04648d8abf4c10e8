import { NeuriteError, assertInt } from '../../core/index.js';
import type { CsvRecord } from './cells.js';
import { normalizeDecimals } from './decimal.js';
import { sniffDelimiter } from './delimiter.js';
import { fitRow, raggedRow } from './row-width.js';
import { readCsvTable, type CsvFormat, type CsvReadOptions } from './table.js';
import { tokenizeCsvChunk } from './tokenize.js';

/** Options of {@link openCsvStream}: how to read the text, and how much at a time. */
export interface CsvStreamOptions extends CsvReadOptions {
  /** Records per batch that {@link CsvStream.batches} yields. Default 4096. */
  readonly batchRows?: number;
  /** Characters read from the start to detect the format and the columns. Default 256 Ki. */
  readonly sniffChars?: number;
}

/** A batch of consecutive records of a streamed CSV. */
export interface CsvBatch {
  readonly records: CsvRecord[];
  /** File line each record starts on. */
  readonly lines: number[];
  /** 0-based index of the first record among all the file's data rows. */
  readonly first: number;
}

/**
 * A CSV text read piece by piece: the columns and format come from its first part, and
 * {@link CsvStream.batches} reads the whole text again each time it is called (once per epoch),
 * holding only one piece and one batch in memory.
 */
export interface CsvStream {
  readonly columns: readonly string[];
  readonly format: CsvFormat;
  /** What the reader noticed in the first part (e.g. a header that looks like data). */
  readonly notes: readonly string[];
  /** Reads the text from its start, yielding its data rows in batches. */
  batches(): AsyncGenerator<CsvBatch>;
}

/**
 * Opens a CSV that is too large to hold as one string: `open` gives the text as an async
 * iterable of string pieces (a file stream in Node, a `Response.body` piped through a
 * `TextDecoderStream` in a browser) and is called again for every pass. The delimiter, the
 * decimal separator and the header are detected from the first `sniffChars` characters exactly as
 * `readCsvTable` detects them for a whole text; every later row is checked against the header.
 *
 * @example
 * ```ts
 * const csv = await openCsvStream(() => pieces(), { batchRows: 1000 });
 * for await (const { records } of csv.batches()) consume(records);
 * ```
 */
export async function openCsvStream(
  open: () => AsyncIterable<string>,
  options: CsvStreamOptions = {},
): Promise<CsvStream> {
  if (typeof open !== 'function') {
    throw new NeuriteError('INVALID_OPTION', `openCsvStream needs a function that opens the text, got ${typeof open}`);
  }
  const { batchRows = 4096, sniffChars = 1 << 18, ...read } = options;
  assertInt(batchRows, 'batchRows', 1);
  assertInt(sniffChars, 'sniffChars', 1024);
  const head = await readHead(open, sniffChars);
  const table = readCsvTable(head, read);
  const { columns, format } = table;
  const sniffed = sniffDelimiter(head);
  return {
    columns,
    format,
    notes: table.notes,
    batches: () => batchesOf(open, columns, format, sniffed, batchRows),
  };
}

/** The first complete records of the text, about `chars` characters of them (all of a short text). */
async function readHead(open: () => AsyncIterable<string>, chars: number): Promise<string> {
  let text = '';
  let ended = true;
  for await (const piece of open()) {
    text += textPiece(piece);
    if (text.length >= chars) {
      ended = false;
      break;
    }
  }
  if (ended) return text;
  const cut = tokenizeCsvChunk(text, sniffDelimiter(text), { firstLine: 1 }).consumed;
  // A first record longer than the sample: read on until it ends.
  return cut > 0 ? text.slice(0, cut) : text;
}

function textPiece(piece: unknown): string {
  if (typeof piece !== 'string') {
    throw new NeuriteError(
      'INVALID_DATA',
      `a CSV stream must yield text pieces (strings), got ${piece instanceof Uint8Array ? 'bytes: decode them first (e.g. with TextDecoderStream)' : typeof piece}`,
    );
  }
  return piece;
}

// One record can take no more than this: past it, an unclosed quote would otherwise swallow the file.
const MAX_RECORD_CHARS = 16 << 20;

async function* batchesOf(
  open: () => AsyncIterable<string>,
  columns: readonly string[],
  format: CsvFormat,
  sniffed: string,
  batchRows: number,
): AsyncGenerator<CsvBatch> {
  const width = columns.length;
  let carry = '';
  let line = 1;
  let headerSkipped = !format.header;
  let first = 0;
  let rows: (readonly string[])[] = [];
  let lines: number[] = [];
  const take = (text: string, final: boolean): void => {
    const chunk = tokenizeCsvChunk(text, format.delimiter, { firstLine: line, final });
    carry = text.slice(chunk.consumed);
    line = chunk.line;
    for (const row of chunk.rows) {
      if (row.fields.every((f) => f === '')) continue;
      if (!headerSkipped) {
        headerSkipped = true;
        continue;
      }
      const cells = fitRow(row, width);
      if (cells === undefined) throw raggedRow(row, first + rows.length + 1, 1, width, format, sniffed);
      rows.push(cells);
      lines.push(row.line);
    }
  };
  // Numbers are normalised a batch at a time: a column's other cells decide what `1,234` means, as in readCsvTable.
  const batch = (count: number): CsvBatch => {
    const cols = columns.map((_, c) =>
      normalizeDecimals(
        rows.slice(0, count).map((r) => r[c] ?? ''),
        format.decimal,
      ),
    );
    const records = Array.from({ length: count }, (_, r) => {
      const record: Record<string, string> = {};
      columns.forEach((name, c) => (record[name] = cols[c]?.[r] ?? ''));
      return record;
    });
    const out = { records, lines: lines.slice(0, count), first };
    rows = rows.slice(count);
    lines = lines.slice(count);
    first += count;
    return out;
  };
  for await (const piece of open()) {
    take(carry + textPiece(piece), false);
    if (carry.length > MAX_RECORD_CHARS) {
      throw new NeuriteError(
        'INVALID_DATA',
        `unreadable CSV: the record that starts on line ${String(line)} runs past ${String(MAX_RECORD_CHARS >> 20)} Mi characters; a quoted field is likely never closed (a cell that starts with '"' must end with '"')`,
        { line },
      );
    }
    while (rows.length >= batchRows) yield batch(batchRows);
  }
  take(carry, true);
  while (rows.length > 0) yield batch(Math.min(batchRows, rows.length));
}
