import { basename } from 'node:path';
import {
  anyMissing,
  describePipeline,
  describeTransform,
  encodeTarget,
  fitPipeline,
  fitTarget,
  readCsvTable,
  resolveColumns,
  splitIndices,
  targetClasses,
  targetTask,
  transformRecords,
  type CsvReadOptions,
  type CsvRecord,
  type ImputeMethod,
  type Pipeline,
  type PipelineOptions,
  type ScaleMethod,
  type TargetStep,
  type Task,
  type TransformedRows,
} from '../data/index.js';
import { readTextFile } from '../data/node/index.js';
import { matrix, type Matrix } from '../index.js';
import type { CsvReadSummary } from './csv-options.js';
import { UsageError } from './errors.js';
import { pipelinePreprocessing, type Preprocessing } from './preprocessing.js';

/** What `train --data` asks of the table. */
export interface TableRequest {
  readonly file: string;
  /** How to read the file (`--delimiter`, `--decimal`, `--no-header`); sniffed by default. */
  readonly csv?: CsvReadOptions | undefined;
  readonly target: readonly string[];
  readonly task: 'auto' | Task;
  /** Fraction of the labelled rows held out for testing (default: `defaultTestFraction`). */
  readonly testFraction?: number | undefined;
  /** The test fraction for a table of this many labelled rows. */
  readonly defaultTestFraction: (rows: number) => number;
  readonly seed: number;
  readonly features?: readonly string[] | undefined;
  readonly exclude?: readonly string[] | undefined;
  readonly impute?: ImputeMethod | undefined;
  readonly scale?: ScaleMethod | undefined;
  /** Leave out rows with a missing or unreadable cell in a column the model reads, instead of filling them in. */
  readonly dropInvalid?: boolean | undefined;
}

/** A table split, with the pipeline fitted on its training part. */
export interface TableData {
  readonly name: string;
  readonly preprocessing: Preprocessing;
  readonly train: { x: Matrix; y: Matrix };
  readonly test?: { x: Matrix; y: Matrix };
  /** What the pipeline did, one line each, for the user. */
  readonly notes: readonly string[];
  /** Rows left out because their target was missing. */
  readonly rowsWithoutTarget: number;
  /** Labelled rows left out by `dropInvalid`. */
  readonly dropped: number;
  /** 1-based data rows of the file held out for testing. */
  readonly testRows: readonly number[];
  /** What reading the file found. */
  readonly csvRead: CsvReadSummary;
}

/** A CSV file read, with its labelled rows (those whose target is present) and their encoded targets. */
export interface LabelledTable {
  readonly file: string;
  /** Every column of the file, in order. */
  readonly columns: readonly string[];
  /** The target column names. */
  readonly targets: readonly string[];
  /** The rows whose target is present, in file order. */
  readonly rows: readonly CsvRecord[];
  /** 0-based file row of each labelled row. */
  readonly labelled: readonly number[];
  /** The target fitted on every labelled row (classes are known even when a fold lacks one). */
  readonly target: TargetStep;
  /** The encoded targets of the labelled rows (one-hot classes, or values): stratification reads them. */
  readonly y: Matrix;
  readonly csvRead: CsvReadSummary;
  /** Labelled rows left out by `dropInvalid` (not in `rows`). */
  readonly dropped: number;
}

/** Reads the file of a {@link TableRequest} and its labelled rows; no preprocessing is fitted yet. */
export function readLabelledTable(req: TableRequest): LabelledTable {
  const table = readCsvTable(readTextFile(req.file), req.csv);
  const targets = resolveColumns(req.target, table.columns, 'target column');
  const labelled: number[] = [];
  table.records.forEach((r, i) => {
    if (!anyMissing(targets, r)) labelled.push(i);
  });
  if (labelled.length === 0) throw new UsageError(`every row's --target (${targets.join(', ')}) is empty`);
  let rows = labelled.map((i) => table.records[i] as CsvRecord);
  // Classes come from every labelled row, so a class that lands only in the test part can be scored.
  const target = fitTarget(rows, targets, req.task);
  let dropped = 0;
  if (req.dropInvalid === true) {
    // Which columns are read, and as what, from a pipeline fitted on every labelled row; only the
    // cells' validity is used from it, never a fitted value.
    const bad = incompleteRows(fitPipeline(rows, pipelineOptions(table.columns, targets, target, req)), rows);
    if (bad.size === rows.length)
      throw new UsageError(
        `--drop-invalid leaves no row: every row has a missing or unreadable cell; leave it out to fill them in (--impute)`,
      );
    dropped = bad.size;
    const keep = (_: unknown, i: number): boolean => !bad.has(i);
    labelled.splice(0, labelled.length, ...labelled.filter(keep));
    rows = rows.filter(keep);
  }
  const width = target.kind === 'label' ? target.classes.length : target.columns.length;
  const y = matrix(rows.length, width);
  rows.forEach((r, i) => encodeTarget(target, r, y.data, i * width));
  return {
    file: req.file,
    columns: table.columns,
    targets,
    rows,
    labelled,
    target,
    y,
    csvRead: {
      file: req.file,
      rows: table.records.length,
      columns: table.columns.length,
      format: table.format,
      notes: table.notes,
    },
    dropped,
  };
}

/** The pipeline options of a request: its columns, target, selection, imputation and scaling. */
function pipelineOptions(
  columns: readonly string[],
  targets: readonly string[],
  target: TargetStep,
  req: TableRequest,
): PipelineOptions {
  const classes = targetClasses(target);
  return {
    target: targets,
    task: targetTask(target),
    columns,
    ...(classes === undefined ? {} : { classes }),
    ...(req.features === undefined ? {} : { features: req.features }),
    ...(req.exclude === undefined ? {} : { exclude: req.exclude }),
    ...(req.impute === undefined ? {} : { impute: req.impute }),
    ...(req.scale === undefined ? {} : { scale: req.scale }),
  };
}

/**
 * Indices of the records with a missing or unreadable cell in a column the pipeline reads: the
 * rows `--drop-invalid` leaves out instead of filling their cells in.
 */
export function incompleteRows(pipeline: Pipeline, records: readonly CsvRecord[]): Set<number> {
  const bad = new Set<number>();
  records.forEach((r, i) => {
    const { imputed, invalid } = transformRecords(pipeline, [r], { withTargets: false }).report;
    if (Object.keys(imputed).length > 0 || Object.keys(invalid).length > 0) bad.add(i);
  });
  return bad;
}

/** The request's train/test split of the labelled rows (stratified for classes, from `seed`); all train without one. */
export function splitTable(t: LabelledTable, req: TableRequest): { trainIdx: Int32Array; testIdx: Int32Array } {
  const n = t.rows.length;
  const testFraction = req.testFraction ?? req.defaultTestFraction(n);
  if (!(testFraction > 0 && n >= 2)) return { trainIdx: Int32Array.from(t.rows.keys()), testIdx: new Int32Array(0) };
  return splitIndices(matrix(n, 0), t.y, {
    testFraction,
    seed: req.seed,
    stratify: targetTask(t.target) === 'classification',
  });
}

/**
 * Fits the preprocessing pipeline on the labelled rows `trainIdx` only and transforms them and the
 * rows `testIdx` with it: `train --data` does this once, `cv` and `tune` once per fold.
 */
export function fitTableParts(
  t: LabelledTable,
  trainIdx: Int32Array,
  testIdx: Int32Array,
  req: TableRequest,
): TableData {
  // Fitted on the training rows in file order (where a row index still looks like one).
  const pipeline = fitPipeline(
    Array.from(trainIdx)
      .sort((a, b) => a - b)
      .map((i) => t.rows[i] as CsvRecord),
    pipelineOptions(t.columns, t.targets, t.target, req),
  );
  const part = (idx: Int32Array): { x: Matrix; y: Matrix } => {
    const r = transformRecords(
      pipeline,
      Array.from(idx, (i) => t.rows[i] as CsvRecord),
      { withTargets: true },
    );
    return { x: r.x, y: r.y as Matrix };
  };
  const rowsWithoutTarget = t.csvRead.rows - t.rows.length - t.dropped;
  return {
    name: basename(t.file).replace(/\.csv$/i, ''),
    preprocessing: pipelinePreprocessing(pipeline, { kind: 'csv', file: t.file, format: t.csvRead.format }),
    train: part(trainIdx),
    ...(testIdx.length > 0 ? { test: part(testIdx) } : {}),
    notes: [
      ...describePipeline(pipeline),
      ...(rowsWithoutTarget > 0
        ? [`${String(rowsWithoutTarget)} rows of the file have no target and were left out`]
        : []),
    ],
    rowsWithoutTarget,
    dropped: t.dropped,
    csvRead: t.csvRead,
    testRows: Array.from(testIdx, (i) => (t.labelled[i] as number) + 1).sort((a, b) => a - b),
  };
}

/**
 * Reads a CSV file, splits its labelled rows (stratified for classes, from `seed`), fits the
 * preprocessing pipeline on the training rows only, and transforms both parts with it.
 */
export function prepareTable(req: TableRequest): TableData {
  const t = readLabelledTable(req);
  const { trainIdx, testIdx } = splitTable(t, req);
  return fitTableParts(t, trainIdx, testIdx, req);
}

/** Raw rows transformed by a saved pipeline, for `predict` and `evaluate`. */
export interface TableInputs extends TransformedRows {
  /** What preprocessing did to the rows, in words. */
  readonly notes: readonly string[];
  /** Rows left out by `dropInvalid`. */
  readonly dropped: number;
}

/**
 * Transforms the rows of a CSV file; with `targets`, the targets too when the file has the
 * target columns (rows without a usable target are then left out). With `dropInvalid`, rows with a
 * missing or unreadable cell in a column the pipeline reads are left out instead of filled in.
 * `kept` indexes the file's data rows.
 */
export function tableFileInputs(
  pipeline: Pipeline,
  file: string,
  targets: boolean,
  read: CsvReadOptions = {},
  dropInvalid = false,
): TableInputs {
  const table = readCsvTable(readTextFile(file), read);
  const bad = dropInvalid ? incompleteRows(pipeline, table.records) : new Set<number>();
  const rows = [...table.records.keys()].filter((i) => !bad.has(i));
  if (rows.length === 0)
    throw new UsageError(
      `--drop-invalid leaves no row of ${file}: every row has a missing or unreadable cell; leave it out to fill them in`,
    );
  const t = transformRecords(
    pipeline,
    rows.map((i) => table.records[i] as CsvRecord),
    targets ? {} : { withTargets: false },
  );
  return { ...t, kept: t.kept.map((i) => rows[i] as number), dropped: bad.size, notes: describeTransform(t.report) };
}

/** Transforms one `--input` row: raw values in the order of the pipeline's columns. */
export function tableInputRow(pipeline: Pipeline, input: string): TableInputs {
  const cells = input.split(',').map((s) => s.trim());
  const names = pipeline.steps.map((s) => s.column);
  if (cells.length !== names.length) {
    throw new UsageError(
      `--input has ${String(cells.length)} values but the model expects ${String(names.length)}: ${names.join(', ')}`,
    );
  }
  const t = transformRecords(pipeline, [Object.fromEntries(names.map((n, i) => [n, cells[i] as string]))], {
    withTargets: false,
  });
  return { ...t, dropped: 0, notes: describeTransform(t.report) };
}
