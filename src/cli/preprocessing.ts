import {
  readPipeline,
  targetClasses,
  targetNames,
  targetTask,
  type CsvEncoding,
  type CsvFormat,
  type Pipeline,
  type StandardizeStats,
  type Task,
} from '../data/index.js';
import { NeuriteError } from '../index.js';

/**
 * Where the training data came from. For a CSV file, `format` is how it was read (delimiter,
 * decimal separator, header), so `predict`/`evaluate` read a file of the same shape with no flags.
 */
export type DataSource =
  | { readonly kind: 'dataset'; readonly name: string }
  | { readonly kind: 'csv'; readonly file: string; readonly format?: CsvFormat }
  | { readonly kind: 'table' }
  | { readonly kind: 'evolve'; readonly fitness: string }
  /** A network saved by the library (`net.toJSON()`) or `neurite evolve --out`: inputs are used as given. */
  | { readonly kind: 'network' };

/** How a built-in dataset (other than MNIST, which has a fixed split) was generated and split. */
export interface SplitRecord {
  /** Fraction of the rows held out for testing (0: no test rows). */
  readonly testFraction: number;
  /** Seed of the seeded generators and of the split. */
  readonly seed: number;
  /** Whether the split kept the class proportions. */
  readonly stratify: boolean;
}

/**
 * Everything `predict` and `evaluate` need to turn raw inputs into what the network was trained
 * on, and its outputs back into labels or values. Stored as `metadata.preprocessing` in the
 * model file (plain JSON).
 */
export interface Preprocessing {
  readonly format: 'neurite-preprocessing';
  readonly version: 1;
  readonly source: DataSource;
  readonly task: Task;
  /** One name per network input. */
  readonly featureNames: readonly string[];
  /** One name per network output. */
  readonly targetNames: readonly string[];
  /** Classification: the label of each output (for one sigmoid output: `[label of 0, label of 1]`). */
  readonly classes?: readonly string[];
  /** Input standardisation fitted on the training split, or null when inputs are used as they are. */
  readonly standardize: StandardizeStats | null;
  /** Regression: target standardisation fitted on the training split (predictions are mapped back). */
  readonly targetStandardize: StandardizeStats | null;
  /** CSV-trained models of earlier versions: how raw CSV columns become inputs and targets. */
  readonly csv?: CsvEncoding;
  /**
   * Models trained on a table (`train --data`, or the library's `fitTable`): the fitted pipeline
   * that turns raw records into inputs. Saved beside this record as `metadata.pipeline`, not in it.
   */
  readonly pipeline?: Pipeline;
  /** Image datasets: the image shape, for the report's picture grid. */
  readonly image?: { readonly rows: number; readonly cols: number };
  /** Built-in datasets other than MNIST: the split, so `evaluate --dataset` scores the held-out rows. */
  readonly split?: SplitRecord;
}

const bad = (msg: string): NeuriteError =>
  new NeuriteError('INVALID_MODEL', `invalid model: metadata.preprocessing ${msg}`);

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function stringList(x: unknown, what: string, length?: number): string[] {
  if (!Array.isArray(x) || !x.every((s) => typeof s === 'string')) throw bad(`${what} must be a list of strings`);
  if (length !== undefined && x.length !== length) {
    throw bad(`${what} has ${String(x.length)} entries, expected ${String(length)}`);
  }
  return x as string[];
}

function stats(x: unknown, what: string, width: number): StandardizeStats | null {
  if (x === null || x === undefined) return null;
  if (!isRecord(x)) throw bad(`${what} must be an object with mean and std`);
  const mean = x['mean'];
  const std = x['std'];
  const ok = (v: unknown): v is number[] =>
    Array.isArray(v) && v.length === width && v.every((n) => typeof n === 'number' && Number.isFinite(n));
  if (!ok(mean) || !ok(std)) throw bad(`${what}.mean and .std must be ${String(width)} finite numbers`);
  if (std.some((s) => s <= 0)) throw bad(`${what}.std must be positive`);
  return { mean, std };
}

/**
 * Reads and checks the preprocessing record of a model file against the network's input and
 * output sizes. Throws `INVALID_MODEL` naming what is wrong.
 */
export function readPreprocessing(
  metadata: Record<string, unknown>,
  inputs: number,
  outputs: number,
  task: Task = 'regression',
): Preprocessing {
  const pipeline =
    metadata['pipeline'] === undefined ? undefined : readPipeline(metadata['pipeline'], 'metadata.pipeline');
  if (pipeline !== undefined && pipeline.featureNames.length !== inputs) {
    throw bad(`pipeline makes ${String(pipeline.featureNames.length)} inputs but the network has ${String(inputs)}`);
  }
  const p = metadata['preprocessing'];
  if (p === undefined && pipeline !== undefined) {
    const pre = pipelinePreprocessing(pipeline, { kind: 'table' });
    stringList(pre.targetNames, 'pipeline target', outputs);
    return pre;
  }
  if (p === undefined) return networkPreprocessing(inputs, outputs, task);
  if (!isRecord(p)) throw bad('must be an object');
  if (p['format'] !== 'neurite-preprocessing' || p['version'] !== 1) {
    throw bad(
      `has format ${JSON.stringify(p['format'])} version ${JSON.stringify(p['version'])}; expected neurite-preprocessing version 1`,
    );
  }
  const kind = p['task'];
  if (kind !== 'classification' && kind !== 'regression') throw bad('task must be classification or regression');
  const source = p['source'];
  if (
    !isRecord(source) ||
    !(
      (source['kind'] === 'dataset' && typeof source['name'] === 'string') ||
      (source['kind'] === 'csv' && typeof source['file'] === 'string') ||
      source['kind'] === 'table' ||
      (source['kind'] === 'evolve' && typeof source['fitness'] === 'string')
    )
  ) {
    throw bad(
      'source must be { kind: "dataset", name }, { kind: "csv", file }, { kind: "table" } or { kind: "evolve", fitness }',
    );
  }
  const format = source['format'];
  if (
    format !== undefined &&
    !(
      isRecord(format) &&
      typeof format['delimiter'] === 'string' &&
      format['delimiter'].length === 1 &&
      (format['decimal'] === '.' || format['decimal'] === ',') &&
      typeof format['header'] === 'boolean'
    )
  ) {
    throw bad("source.format must be { delimiter: one character, decimal: '.' or ',', header: boolean }");
  }
  const featureNames = stringList(p['featureNames'], 'featureNames', inputs);
  const targetNames = stringList(p['targetNames'], 'targetNames', outputs);
  let classes: string[] | undefined;
  if (kind === 'classification') {
    classes = stringList(p['classes'], 'classes', outputs === 1 ? 2 : outputs);
  }
  const csv = p['csv'];
  if (csv !== undefined) {
    if (!isRecord(csv) || csv['format'] !== 'neurite-csv-encoding' || !Array.isArray(csv['features'])) {
      throw bad('csv must be a neurite-csv-encoding record');
    }
    stringList(csv['featureNames'], 'csv.featureNames', inputs);
  }
  const image = p['image'];
  if (
    image !== undefined &&
    !(isRecord(image) && typeof image['rows'] === 'number' && typeof image['cols'] === 'number')
  ) {
    throw bad('image must be { rows, cols }');
  }
  const split = p['split'];
  if (
    split !== undefined &&
    !(
      isRecord(split) &&
      typeof split['testFraction'] === 'number' &&
      split['testFraction'] >= 0 &&
      split['testFraction'] < 1 &&
      Number.isInteger(split['seed']) &&
      typeof split['stratify'] === 'boolean'
    )
  ) {
    throw bad('split must be { testFraction in [0, 1), integer seed, stratify: boolean }');
  }
  return {
    format: 'neurite-preprocessing',
    version: 1,
    source: source as unknown as DataSource,
    task: kind,
    featureNames,
    targetNames,
    ...(classes === undefined ? {} : { classes }),
    standardize: stats(p['standardize'], 'standardize', inputs),
    targetStandardize: kind === 'regression' ? stats(p['targetStandardize'], 'targetStandardize', outputs) : null,
    ...(csv === undefined ? {} : { csv: csv as unknown as CsvEncoding }),
    ...(image === undefined ? {} : { image: image as { rows: number; cols: number } }),
    ...(split === undefined ? {} : { split: split as unknown as SplitRecord }),
    ...(pipeline === undefined ? {} : { pipeline }),
  };
}

/**
 * The preprocessing record of a model trained on a table: names, classes and the target's
 * standardisation read from its pipeline (which does all input scaling itself).
 */
export function pipelinePreprocessing(pipeline: Pipeline, source: DataSource): Preprocessing {
  const t = pipeline.target;
  const classes = targetClasses(t);
  return {
    format: 'neurite-preprocessing',
    version: 1,
    source,
    task: targetTask(t),
    featureNames: [...pipeline.featureNames],
    targetNames: targetNames(t),
    ...(classes === undefined ? {} : { classes: [...classes] }),
    standardize: null,
    targetStandardize:
      t.kind === 'values' ? { mean: t.scales.map((s) => s.center), std: t.scales.map((s) => s.scale) } : null,
    pipeline,
  };
}

/**
 * The record of an evolved network (`neurite evolve --out`): raw inputs x1…xn in, raw outputs
 * y1…ym out, so `inspect` and `predict --input` read the model file like a trained one.
 */
export function evolvedPreprocessing(inputs: number, outputs: number, fitness: string): Preprocessing {
  const names = (prefix: string, n: number): string[] =>
    Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1)}`);
  return {
    format: 'neurite-preprocessing',
    version: 1,
    source: { kind: 'evolve', fitness },
    task: 'regression',
    featureNames: names('x', inputs),
    targetNames: names('y', outputs),
    standardize: null,
    targetStandardize: null,
  };
}

/**
 * The record of a network saved without one (the library's `net.toJSON()`, `neurite evolve --out`):
 * inputs `x1…xn` used as they are; classes `0…k-1` (`0`, `1` for one sigmoid output) or targets
 * `y1…yk`, so `predict --input` and `evaluate --data` (columns `x1…xn` and `label` or `y1…yk`) work.
 */
export function networkPreprocessing(inputs: number, outputs: number, task: Task): Preprocessing {
  const names = (prefix: string, n: number): string[] =>
    Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1)}`);
  const classes =
    task === 'classification' ? names('', Math.max(2, outputs)).map((c) => String(Number(c) - 1)) : undefined;
  return {
    format: 'neurite-preprocessing',
    version: 1,
    source: { kind: 'network' },
    task,
    featureNames: names('x', inputs),
    targetNames:
      classes === undefined ? names('y', outputs) : outputs === 1 ? ['label'] : classes.map((c) => `label=${c}`),
    ...(classes === undefined ? {} : { classes }),
    standardize: null,
    targetStandardize: null,
  };
}
