import {
  BUILTIN_DATASETS,
  applyStandardize,
  encodeCsv,
  encodeRows,
  standardize,
  type CsvEncoding,
  type CsvFormat,
  type CsvReadOptions,
  type Dataset,
  type ImputeMethod,
  type ScaleMethod,
  type Task,
} from '../data/index.js';
import { loadDataset, readTextFile } from '../data/node/index.js';
import { matrix, type Matrix } from '../index.js';
import type { CsvReadSummary } from './csv-options.js';
import { UsageError } from './errors.js';
import { prepareTable, tableFileInputs, tableInputRow, type TableData, type TableRequest } from './table-data.js';
import type { Preprocessing, SplitRecord } from './preprocessing.js';
import { selectDatasetRows, splitRows, type DatasetRows, type RowsChoice } from './rows.js';

export type { DatasetRows, RowsChoice } from './rows.js';

/** Dataset names `--dataset` accepts. */
export const DATASET_NAMES: readonly string[] = ['mnist', ...BUILTIN_DATASETS];

/** Fewer rows than this and the default test split is 0: the metrics are then on the training rows. */
const MIN_ROWS_FOR_TEST = 20;

/** What the training data should be. */
export interface DataRequest {
  readonly dataset?: string | undefined;
  readonly data?: string | undefined;
  /** Target column(s) of `data`: names or 1-based column numbers. */
  readonly target?: readonly string[] | undefined;
  /** How to read `data` (`--delimiter`, `--decimal`, `--no-header`); sniffed by default. */
  readonly csv?: CsvReadOptions | undefined;
  readonly task?: 'auto' | Task | undefined;
  /** Fraction held out for testing; default 0 for CSV files, 0.2 for built-in datasets (0 when tiny). MNIST uses its fixed split. */
  readonly testSplit?: number | undefined;
  readonly seed: number;
  readonly dropInvalid?: boolean | undefined;
  /** MNIST: use only this many training digits (and a quarter as many test digits). */
  readonly limit?: number | undefined;
  /** Standardise inputs (default: yes, except for MNIST pixels, already in [0, 1]). */
  readonly standardize?: boolean | undefined;
  /** `--data`: use only these columns (names or 1-based numbers). */
  readonly features?: readonly string[] | undefined;
  /** `--data`: leave these columns out. */
  readonly exclude?: readonly string[] | undefined;
  /** `--data`: how missing numeric cells are filled. */
  readonly impute?: ImputeMethod | undefined;
  /** `--data`: how numeric inputs are scaled (`--no-standardize` means `none`). */
  readonly scale?: ScaleMethod | undefined;
}

/** Inputs and targets, already transformed for the network. */
export interface XY {
  readonly x: Matrix;
  readonly y: Matrix;
}

/** Training data ready to use, plus the record that lets `predict` repeat the transform. */
export interface PreparedData {
  readonly name: string;
  readonly preprocessing: Preprocessing;
  readonly train: XY;
  /** Held-out rows, when there are any. */
  readonly test?: XY;
  /** Test inputs before standardisation (the report draws MNIST digits from them). */
  readonly rawTestX?: Matrix;
  /** Rows skipped by `--drop-invalid`. */
  readonly dropped: number;
  /** `--data`: what reading the file found (printed as one line). */
  readonly csvRead?: CsvReadSummary;
  /** `--data`: what the preprocessing pipeline did, one line each (dropped columns, filled-in cells, …). */
  readonly notes?: readonly string[];
}

/** Loads, splits and standardises the data a `train` or `compare` run asks for. */
export function prepareTrainingData(req: DataRequest): PreparedData {
  if (req.data !== undefined && req.dataset !== undefined)
    throw new UsageError('give either --data or --dataset, not both');
  if (req.data !== undefined) {
    if (req.target === undefined || req.target.length === 0) {
      throw new UsageError('--data needs --target COL (the column(s) to predict)');
    }
  } else if (req.target !== undefined) {
    throw new UsageError('--target only applies to --data FILE.csv');
  }
  const seed = req.seed;
  if (req.data !== undefined) return tableData(req, req.data);
  const name = req.dataset ?? 'mnist';
  if (!DATASET_NAMES.includes(name)) {
    throw new UsageError(`unknown dataset ${JSON.stringify(name)}; expected one of: ${DATASET_NAMES.join(', ')}`);
  }
  const loaded = loadDataset(name, { seed, ...(req.limit === undefined ? {} : { limit: req.limit }) });
  const full: Dataset = loaded.train;
  let test: Dataset | undefined = loaded.test;
  let task: Task = full.task;
  if (req.task !== undefined && req.task !== 'auto' && req.task !== task) {
    if (req.task === 'regression') task = 'regression';
    else
      throw new UsageError(`dataset ${full.name} has no class labels, so it cannot be used with --task classification`);
  }
  let train = full;
  let split: SplitRecord | undefined;
  if (test === undefined) {
    // A user's own file is all training data (validation inside training picks when to stop);
    // built-in datasets keep a test part so their report scores held-out rows.
    const fraction = req.testSplit ?? (full.x.rows < MIN_ROWS_FOR_TEST ? 0 : 0.2);
    split = { testFraction: fraction, seed, stratify: task === 'classification' };
    ({ train, test } = splitRows(full, split));
  }
  const doStd = req.standardize ?? name !== 'mnist';
  const stats = doStd ? standardize(train.x) : null;
  const tStats = task === 'regression' ? standardize(train.y) : null;
  const tx = (m: Matrix): Matrix => (stats === null ? m : applyStandardize(m, stats));
  const ty = (m: Matrix): Matrix => (tStats === null ? m : applyStandardize(m, tStats));
  const preprocessing: Preprocessing = {
    format: 'neurite-preprocessing',
    version: 1,
    source: { kind: 'dataset', name },
    task,
    featureNames: [...full.featureNames],
    targetNames: [...full.targetNames],
    ...(task === 'classification' && full.classes !== undefined ? { classes: [...full.classes] } : {}),
    standardize: stats,
    targetStandardize: tStats,
    ...(name === 'mnist' ? { image: { rows: 28, cols: 28 } } : {}),
    // Built-in datasets are regenerated from the seed, so evaluate can find the held-out rows again.
    ...(split !== undefined ? { split } : {}),
  };
  return {
    name: full.name,
    preprocessing,
    train: { x: tx(train.x), y: ty(train.y) },
    ...(test === undefined ? {} : { test: { x: tx(test.x), y: ty(test.y) }, rawTestX: test.x }),
    dropped: 0,
  };
}

/** `--data FILE.csv`: the table split, with the preprocessing pipeline fitted on its training rows. */
function tableData(req: DataRequest, file: string): PreparedData {
  return preparedTable(prepareTable(tableRequest(req, file)));
}

/** What reading and preprocessing `--data FILE.csv` asks of the table. */
export function tableRequest(req: DataRequest, file: string): TableRequest {
  return {
    file,
    csv: req.csv,
    target: req.target ?? [],
    task: req.task ?? 'auto',
    testFraction: req.testSplit,
    // A user's own file is all training data: validation inside training picks when to stop, and
    // `--test-split` keeps a test part on request.
    defaultTestFraction: () => 0,
    seed: req.seed,
    features: req.features,
    exclude: req.exclude,
    impute: req.impute,
    scale: req.scale ?? (req.standardize === false ? 'none' : undefined),
    dropInvalid: req.dropInvalid,
  };
}

/** A table's parts as the training data of a run. */
export function preparedTable(t: TableData): PreparedData {
  return {
    name: t.name,
    preprocessing: t.preprocessing,
    train: t.train,
    ...(t.test === undefined ? {} : { test: t.test }),
    dropped: t.dropped,
    notes: t.notes,
    csvRead: t.csvRead,
  };
}

/** Where `predict`/`evaluate` read inputs from. */
export interface InputRequest {
  readonly data?: string | undefined;
  readonly input?: string | undefined;
  readonly dataset?: string | undefined;
  readonly dropInvalid?: boolean | undefined;
  /** How to read `data`; what is not given follows the model's training file, else is sniffed. */
  readonly csv?: CsvReadOptions | undefined;
  /** `--dataset`: only the first `limit` of the rows `rows` selects. */
  readonly limit?: number | undefined;
  /**
   * `--dataset`: which rows (default `auto`: the rows the model did not train on when known, else
   * all). Anything but `auto` with `--data` or `--input` is a usage error.
   */
  readonly rows?: RowsChoice | undefined;
  /** Only inputs are needed (`predict`): rows whose target cell is empty are still predicted. */
  readonly inputsOnly?: boolean | undefined;
}

/** Inputs transformed for the network, targets when the source has them, and the raw inputs. */
export interface PreparedInputs {
  readonly x: Matrix;
  readonly y: Matrix | undefined;
  readonly rawX: Matrix;
  /**
   * 1-based row numbers: the CSV data rows kept, or a dataset's rows when `--rows` picked a
   * shuffled subset of them; undefined when every row was kept in order.
   */
  readonly rows?: readonly number[];
  readonly dropped: number;
  /** `--dataset` input: which of its rows these are. */
  readonly datasetRows?: DatasetRows;
  /** Models with a pipeline: what it did to the rows (cells filled in, unknown categories), one line each. */
  readonly notes?: readonly string[];
}

/**
 * Reads inputs for a trained model and applies its preprocessing: a CSV file (encoded with the
 * stored CSV encoding, or by feature name for models trained on a built-in dataset), one
 * `--input` row, or the rows of a built-in dataset that `req.rows` selects (see
 * {@link selectDatasetRows}).
 */
export function prepareInputs(pre: Preprocessing, outputs: number, req: InputRequest): PreparedInputs {
  const given = [req.data, req.input, req.dataset].filter((v) => v !== undefined).length;
  if (given !== 1) {
    // `--input` is predict's alone: evaluate needs labelled rows.
    const sources =
      req.inputsOnly === true
        ? '--data FILE.csv, --input V1,V2,… or --dataset NAME'
        : '--data FILE.csv or --dataset NAME';
    throw new UsageError(
      `give exactly one of ${sources}${given === 0 && req.inputsOnly !== true ? ' (labelled rows: the target column(s) with the inputs)' : ''}`,
    );
  }
  const rowsChoice = req.rows ?? 'auto';
  if (rowsChoice !== 'auto' && req.dataset === undefined) {
    throw new UsageError(
      `--rows ${rowsChoice} only applies to --dataset NAME; ${req.data !== undefined ? 'every row of --data FILE.csv' : 'the --input row'} is used as given`,
    );
  }
  if (pre.pipeline !== undefined && req.dataset === undefined) {
    const t =
      req.data !== undefined
        ? tableFileInputs(
            pre.pipeline,
            req.data,
            req.inputsOnly !== true,
            {
              ...req.csv,
              ...(pre.source.kind === 'csv' && pre.source.format !== undefined ? { like: pre.source.format } : {}),
            },
            req.dropInvalid === true,
          )
        : tableInputRow(pre.pipeline, req.input ?? '');
    const y = t.y !== undefined && t.y.cols === outputs ? t.y : undefined;
    const leftOut = t.report.targetMissing + t.report.targetUnknown + t.dropped;
    return {
      x: t.x,
      y,
      rawX: t.x,
      ...(leftOut > 0 ? { rows: t.kept.map((i) => i + 1) } : {}),
      dropped: leftOut,
      notes: t.notes,
    };
  }
  const encoding = pre.csv ?? builtinEncoding(pre);
  let rawX: Matrix;
  let y: Matrix | undefined;
  let rows: number[] | undefined;
  let dropped = 0;
  let datasetRows: DatasetRows | undefined;
  if (req.data !== undefined) {
    const like: CsvFormat | undefined = pre.source.kind === 'csv' ? pre.source.format : undefined;
    const enc = encodeCsv(encoding, readTextFile(req.data), {
      ...req.csv,
      ...(like === undefined ? {} : { like }),
      dropInvalid: req.dropInvalid ?? false,
    });
    rawX = enc.x;
    y = enc.y;
    rows = enc.kept.map((i) => i + 1);
    dropped = enc.dropped.length;
  } else if (req.input !== undefined) {
    const cells = req.input.split(',').map((s) => s.trim());
    const names = encoding.features.map((f) => f.name);
    if (cells.length !== names.length) {
      throw new UsageError(
        `--input has ${String(cells.length)} values but the model expects ${String(names.length)}: ${names.join(', ')}`,
      );
    }
    const record = Object.fromEntries(names.map((n, i) => [n, cells[i] as string]));
    rawX = encodeRows(encoding, [record], { withTargets: false }).x;
  } else {
    const name = req.dataset as string;
    if (!DATASET_NAMES.includes(name)) {
      throw new UsageError(`unknown dataset ${JSON.stringify(name)}; expected one of: ${DATASET_NAMES.join(', ')}`);
    }
    const sel = selectDatasetRows(name, pre, rowsChoice, req.limit);
    const ds = sel.ds;
    datasetRows = sel.kind;
    if (sel.rowNumbers !== undefined) rows = [...sel.rowNumbers];
    if (ds.x.cols !== pre.featureNames.length) {
      throw new UsageError(
        `dataset ${name} has ${String(ds.x.cols)} inputs but the model expects ${String(pre.featureNames.length)}`,
      );
    }
    rawX = ds.x;
    y = pre.task === ds.task || pre.task === 'regression' ? ds.y : undefined;
  }
  if (y !== undefined && pre.task === 'classification' && outputs === 1 && y.cols === 2) y = secondColumn(y);
  if (y !== undefined && y.cols !== outputs) y = undefined;
  if (y !== undefined && pre.targetStandardize !== null) y = applyStandardize(y, pre.targetStandardize);
  const x = pre.standardize === null ? rawX : applyStandardize(rawX, pre.standardize);
  return {
    x,
    y,
    rawX,
    ...(rows === undefined ? {} : { rows }),
    dropped,
    ...(datasetRows === undefined ? {} : { datasetRows }),
  };
}

/** A CSV encoding for a model trained on a built-in dataset: numeric columns named as its features, an optional `label` column. */
export function builtinEncoding(pre: Preprocessing): CsvEncoding {
  const features = pre.featureNames.map((name) => ({ name, kind: 'numeric' as const }));
  const base = { format: 'neurite-csv-encoding', version: 1, features, featureNames: [...pre.featureNames] } as const;
  if (pre.task === 'classification' && pre.classes !== undefined) {
    return { ...base, targets: ['label'], task: 'classification', targetEncoding: 'label', classes: [...pre.classes] };
  }
  return { ...base, targets: [...pre.targetNames], task: 'regression', targetEncoding: 'values' };
}

function secondColumn(y: Matrix): Matrix {
  const out = matrix(y.rows, 1);
  for (let r = 0; r < y.rows; r++) out.data[r] = y.data[r * 2 + 1] as number;
  return out;
}
