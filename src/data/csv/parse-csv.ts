import { parse } from 'csv-parse/browser/esm/sync';
import { NeuriteError } from '../../core/index.js';
import type { Dataset } from '../dataset.js';
import type { CsvRecord } from './cells.js';
import { encodeRows, type DroppedRow } from './encode-rows.js';
import { inferEncoding, type CsvEncoding, type EncodingOptions } from './encoding.js';

/** Options for {@link parseCsv}. */
export interface CsvOptions extends EncodingOptions {
  /** Skip rows with a missing or invalid cell (reported in `dropped`) instead of throwing. Default false. */
  readonly dropInvalid?: boolean;
  /** Dataset name. Default `'csv'`. */
  readonly name?: string;
  /** Field delimiter. Default `','`. */
  readonly delimiter?: string;
}

/** What {@link parseCsv} returns. */
export interface ParsedCsv {
  /** The encoded rows with their names. */
  readonly dataset: Dataset;
  /** The transform, as JSON-safe data, to apply to new rows with `encodeRows`/`encodeCsv`. */
  readonly encoding: CsvEncoding;
  /** Rows skipped by `dropInvalid`. */
  readonly dropped: readonly DroppedRow[];
}

/** Raw rows of a CSV text with a header row. */
export interface CsvTable {
  /** Header names, in file order. */
  readonly columns: readonly string[];
  /** One record per data row (blank lines skipped). */
  readonly records: readonly CsvRecord[];
  /** File line of each record (1-based; the header is line 1). */
  readonly lines: readonly number[];
}

/**
 * Parses CSV text with a header row into a {@link Dataset}, using csv-parse (its browser build,
 * because the plain `csv-parse/sync` entry relies on Node's global `Buffer`).
 *
 * - `target` names the target column(s); an unknown name throws `INVALID_OPTION` listing the
 *   available columns.
 * - Feature columns whose cells are mostly non-numeric are categorical and one-hot encoded, with
 *   inputs named `color=red`, `color=blue`, … (levels sorted).
 * - A missing value (empty, NA, N/A, NaN, null, ?) or a non-numeric cell in a numeric column
 *   throws `INVALID_DATA` naming the 1-based data row, the file line and the column, unless
 *   `dropInvalid` is set.
 * - `task: 'auto'` (default): a non-numeric target, or at most 20 distinct integer values, is
 *   classification with one-hot targets over sorted classes; anything else is regression.
 *
 * Returns the dataset plus the `encoding` to store with a model, so `encodeRows` applies the
 * very same transform to new rows.
 *
 * @example
 * ```ts
 * const { dataset, encoding } = parseCsv('size,color,label\n1.5,red,yes\n2.0,blue,no\n', { target: 'label' });
 * dataset.featureNames; // ['size', 'color=blue', 'color=red']
 * dataset.classes; // ['no', 'yes']
 * ```
 */
export function parseCsv(text: string, options: CsvOptions): ParsedCsv {
  const table = readCsvTable(text, options.delimiter);
  const encoding = inferEncoding(table.records, table.columns, options);
  const encoded = encodeRows(encoding, table.records, {
    dropInvalid: options.dropInvalid ?? false,
    withTargets: true,
    lines: table.lines,
  });
  const single = encoding.targets[0] as string;
  const targetNames =
    encoding.targetEncoding === 'label' ? (encoding.classes ?? []).map((c) => `${single}=${c}`) : [...encoding.targets];
  const dataset: Dataset = {
    name: options.name ?? 'csv',
    x: encoded.x,
    y: encoded.y ?? encoded.x,
    featureNames: [...encoding.featureNames],
    targetNames,
    ...(encoding.classes === undefined ? {} : { classes: [...encoding.classes] }),
    task: encoding.task,
  };
  return { dataset, encoding, dropped: encoded.dropped };
}

/**
 * Parses new CSV text with a stored encoding (for `predict`/`evaluate` on a new file): the
 * targets are encoded when the file has the target columns.
 *
 * @example
 * ```ts
 * const { x, y } = encodeCsv(model.encoding, newFileText);
 * ```
 */
export function encodeCsv(
  encoding: CsvEncoding,
  text: string,
  options: { readonly dropInvalid?: boolean; readonly withTargets?: boolean; readonly delimiter?: string } = {},
): ReturnType<typeof encodeRows> {
  const table = readCsvTable(text, options.delimiter);
  return encodeRows(encoding, table.records, { ...options, lines: table.lines });
}

/**
 * Reads CSV text into named records (header row required, cells trimmed, blank lines skipped).
 * Malformed CSV (unclosed quote, wrong number of cells) throws `INVALID_DATA` with csv-parse's
 * description, which names the line; a repeated or blank header name throws `INVALID_DATA`; no
 * data rows throws `EMPTY_DATA`.
 */
export function readCsvTable(text: string, delimiter = ','): CsvTable {
  let columns: string[] = [];
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      delimiter,
      info: true,
      columns: (header: string[]) => {
        columns = checkHeader(header);
        return columns;
      },
    }) as unknown as { record: Record<string, string>; info: { lines: number } }[];
  } catch (e) {
    if (e instanceof NeuriteError) throw e;
    throw new NeuriteError('INVALID_DATA', `unreadable CSV: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (columns.length === 0) throw new NeuriteError('EMPTY_DATA', 'CSV is empty: expected a header row and data rows');
  if (rows.length === 0) {
    throw new NeuriteError('EMPTY_DATA', `CSV has a header (${columns.join(', ')}) but no data rows`);
  }
  return { columns, records: rows.map((r) => r.record), lines: rows.map((r) => r.info.lines) };
}

function checkHeader(header: string[]): string[] {
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') throw new NeuriteError('INVALID_DATA', `CSV header: column ${String(i + 1)} has no name`);
    if (seen.has(name))
      throw new NeuriteError('INVALID_DATA', `CSV header: column name ${JSON.stringify(name)} appears twice`);
    seen.add(name);
  });
  return header;
}
