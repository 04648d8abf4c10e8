import { NeuriteError, matrix, type Matrix } from '../../core/index.js';
import { canonicalLabel, cellText, isMissing, parseNumber, where, type CsvRecord } from './cells.js';
import type { CsvEncoding } from './encoding.js';

/** Options for {@link encodeRows}. */
export interface EncodeOptions {
  /** Skip rows with a missing or invalid cell (listed in `dropped`) instead of throwing. Default false. */
  readonly dropInvalid?: boolean;
  /**
   * Encode the targets too. Default: only when the first row has every target column, so a file
   * of new inputs without labels works for prediction.
   */
  readonly withTargets?: boolean;
  /** The file line of each record, for error messages (parseCsv passes them). */
  readonly lines?: readonly number[];
}

/** A row left out by `dropInvalid`, and why. */
export interface DroppedRow {
  /** 1-based data row (the header is not counted). */
  readonly row: number;
  /** File line, when known. */
  readonly line?: number;
  /** The first bad column of the row. */
  readonly column: string;
  /** What was wrong, e.g. `missing value`. */
  readonly reason: string;
}

/** The encoded rows. */
export interface EncodedRows {
  /** Inputs, one column per `encoding.featureNames` entry. */
  readonly x: Matrix;
  /** Targets, or undefined when they were not encoded. */
  readonly y: Matrix | undefined;
  /** 0-based indices (into `records`) of the rows kept. */
  readonly kept: readonly number[];
  /** Rows skipped by `dropInvalid`. */
  readonly dropped: readonly DroppedRow[];
}

class BadCell extends Error {
  constructor(
    readonly column: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Applies a stored {@link CsvEncoding} to rows: the same columns, the same category levels and
 * class order as when the model was trained. A missing value, a non-numeric cell in a numeric
 * column, or an unknown category or class throws `INVALID_DATA` naming the row and the column,
 * unless `dropInvalid`. A feature column absent from the rows throws `INVALID_OPTION` listing
 * the columns that are there.
 *
 * @example
 * ```ts
 * const { encoding } = parseCsv(trainText, { target: 'species' });
 * const { x } = encodeRows(encoding, [{ length: '5.1', width: '3.5', color: 'red' }]);
 * ```
 */
export function encodeRows(
  encoding: CsvEncoding,
  records: readonly CsvRecord[],
  options: EncodeOptions = {},
): EncodedRows {
  const first = records[0];
  if (first === undefined) throw new NeuriteError('EMPTY_DATA', 'no data rows to encode: expected at least one');
  const present = Object.keys(first);
  for (const f of encoding.features) {
    if (!(f.name in first)) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `missing feature column ${JSON.stringify(f.name)}; available columns: ${present.join(', ')}`,
      );
    }
  }
  const withTargets = options.withTargets ?? encoding.targets.every((t) => t in first);
  if (withTargets) {
    const absent = encoding.targets.filter((t) => !(t in first));
    if (absent.length > 0) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `missing target column ${JSON.stringify(absent[0])}; available columns: ${present.join(', ')}`,
      );
    }
  }
  const width = encoding.featureNames.length;
  const yWidth = encoding.task === 'classification' ? (encoding.classes?.length ?? 0) : encoding.targets.length;
  const xs: number[] = [];
  const ys: number[] = [];
  const kept: number[] = [];
  const dropped: DroppedRow[] = [];
  records.forEach((rec, i) => {
    try {
      const xRow = encodeFeatures(encoding, rec);
      const yRow = withTargets ? encodeTargets(encoding, rec, yWidth) : [];
      xs.push(...xRow);
      ys.push(...yRow);
      kept.push(i);
    } catch (e) {
      if (!(e instanceof BadCell)) throw e;
      const line = options.lines?.[i];
      if (options.dropInvalid !== true) {
        throw new NeuriteError(
          'INVALID_DATA',
          `${where(i + 1, line)}, column ${JSON.stringify(e.column)}: ${e.reason}`,
          {
            row: i + 1,
            line,
            column: e.column,
          },
        );
      }
      dropped.push({ row: i + 1, ...(line === undefined ? {} : { line }), column: e.column, reason: e.reason });
    }
  });
  if (kept.length === 0) {
    const d = dropped[0];
    const firstWhy = d ? `; first: ${where(d.row, d.line)}, column ${JSON.stringify(d.column)}: ${d.reason}` : '';
    throw new NeuriteError('EMPTY_DATA', `every row was invalid (${String(dropped.length)} dropped)${firstWhy}`);
  }
  return {
    x: matrix(kept.length, width, Float32Array.from(xs)),
    y: withTargets ? matrix(kept.length, yWidth, Float32Array.from(ys)) : undefined,
    kept,
    dropped,
  };
}

function encodeFeatures(encoding: CsvEncoding, rec: CsvRecord): number[] {
  const out: number[] = [];
  for (const f of encoding.features) {
    const text = present(rec, f.name);
    if (f.kind === 'numeric') {
      out.push(numberCell(text, f.name));
      continue;
    }
    const level = f.levels.indexOf(text);
    if (level < 0) throw new BadCell(f.name, `unknown category ${JSON.stringify(text)}; known: ${f.levels.join(', ')}`);
    for (let l = 0; l < f.levels.length; l++) out.push(l === level ? 1 : 0);
  }
  return out;
}

function encodeTargets(encoding: CsvEncoding, rec: CsvRecord, yWidth: number): number[] {
  if (encoding.targetEncoding !== 'label') {
    // 'values' (regression) and 'one-hot' columns are both copied as numbers.
    return encoding.targets.map((t) => numberCell(present(rec, t), t));
  }
  const t = encoding.targets[0] as string;
  const classes = encoding.classes ?? [];
  const text = present(rec, t);
  const c = classes.indexOf(text) >= 0 ? classes.indexOf(text) : classes.indexOf(canonicalLabel(text));
  if (c < 0) throw new BadCell(t, `unknown class ${JSON.stringify(text)}; known: ${classes.join(', ')}`);
  return Array.from({ length: yWidth }, (_, i) => (i === c ? 1 : 0));
}

function present(rec: CsvRecord, column: string): string {
  const text = cellText(rec[column]);
  if (isMissing(text)) throw new BadCell(column, `missing value${text === '' ? '' : ` (${JSON.stringify(text)})`}`);
  return text;
}

function numberCell(text: string, column: string): number {
  const v = parseNumber(text);
  if (v === undefined) throw new BadCell(column, `expected a number, found ${JSON.stringify(text)}`);
  return v;
}

/**
 * Builds a record from raw values given in the order of `encoding.features` (e.g. the CLI's
 * `--input 5.1,red`), ready for {@link encodeRows}. Throws `SHAPE_MISMATCH` on a wrong count.
 *
 * @example
 * ```ts
 * encodeRows(encoding, [recordFromValues(encoding, ['5.1', 'red'])]).x;
 * ```
 */
export function recordFromValues(encoding: CsvEncoding, values: readonly (string | number)[]): CsvRecord {
  if (values.length !== encoding.features.length) {
    throw new NeuriteError(
      'SHAPE_MISMATCH',
      `expected ${String(encoding.features.length)} values (${encoding.features.map((f) => f.name).join(', ')}), got ${String(values.length)}`,
    );
  }
  return Object.fromEntries(encoding.features.map((f, i) => [f.name, values[i]]));
}
