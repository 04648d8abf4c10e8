import type { Dataset } from '../dataset.js';
import { resolveColumn, type ColumnSpec } from './columns.js';
import { encodeRows, type DroppedRow } from './encode-rows.js';
import { inferEncoding, type CsvEncoding, type EncodingOptions } from './encoding.js';
import { readCsvTable, type CsvFormat, type CsvReadOptions } from './table.js';

/** Options for {@link parseCsv}: how to read the text, and which columns are what. */
export interface CsvOptions extends Omit<EncodingOptions, 'target' | 'features' | 'categorical'>, CsvReadOptions {
  /** Target column(s): names or 1-based column numbers (numbers are the only way with `header: false`). */
  readonly target: ColumnSpec | readonly ColumnSpec[];
  /** Feature columns to use, in order, by name or number (default: every column except the targets). */
  readonly features?: readonly ColumnSpec[];
  /** Feature columns to one-hot encode even if they look numeric (e.g. numeric codes). */
  readonly categorical?: readonly ColumnSpec[];
  /** Skip rows with a missing or invalid cell (reported in `dropped`) instead of throwing. Default false. */
  readonly dropInvalid?: boolean;
  /** Dataset name. Default `'csv'`. */
  readonly name?: string;
}

/** What {@link parseCsv} returns. */
export interface ParsedCsv {
  /** The encoded rows with their names. */
  readonly dataset: Dataset;
  /** The transform, as JSON-safe data, to apply to new rows with `encodeRows`/`encodeCsv`. */
  readonly encoding: CsvEncoding;
  /** Rows skipped by `dropInvalid`. */
  readonly dropped: readonly DroppedRow[];
  /** How the text was read (delimiter, decimal separator, header): pass it as `like` to read the next file alike. */
  readonly format: CsvFormat;
  /** Data rows read (before `dropInvalid`) and columns in the file. */
  readonly size: { readonly rows: number; readonly columns: number };
  /** What the reader noticed that the user should hear about (see `CsvTable.notes`). */
  readonly notes: readonly string[];
}

/**
 * Parses CSV text into a {@link Dataset}. The text is read by {@link readCsvTable}: delimiter and
 * decimal commas sniffed unless given, `header: false` for a file without a header row.
 *
 * - `target` names the target column(s), by name or 1-based number; an unknown name throws
 *   `INVALID_OPTION` with the closest names (see {@link resolveColumn}).
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
  const table = readCsvTable(text, options);
  const cols = table.columns;
  const targets = (Array.isArray(options.target) ? options.target : [options.target]) as readonly ColumnSpec[];
  const pick = (specs: readonly ColumnSpec[] | undefined, what: string): string[] | undefined =>
    specs?.map((s) => resolveColumn(s, cols, what));
  const features = pick(options.features, 'feature column');
  const categorical = pick(options.categorical, 'categorical column');
  const encoding = inferEncoding(table.records, cols, {
    target: pick(targets, 'target column') ?? [],
    ...(options.task === undefined ? {} : { task: options.task }),
    ...(features === undefined ? {} : { features }),
    ...(categorical === undefined ? {} : { categorical }),
  });
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
  return {
    dataset,
    encoding,
    dropped: encoded.dropped,
    format: table.format,
    size: { rows: table.records.length, columns: cols.length },
    notes: table.notes,
  };
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
  options: CsvReadOptions & { readonly dropInvalid?: boolean; readonly withTargets?: boolean } = {},
): ReturnType<typeof encodeRows> {
  const table = readCsvTable(text, options);
  return encodeRows(encoding, table.records, {
    ...(options.dropInvalid === undefined ? {} : { dropInvalid: options.dropInvalid }),
    ...(options.withTargets === undefined ? {} : { withTargets: options.withTargets }),
    lines: table.lines,
  });
}
