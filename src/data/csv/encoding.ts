import { NeuriteError } from '../../core/index.js';
import type { Task } from '../dataset.js';
import { sortClasses } from '../one-hot.js';
import { canonicalLabel, cellText, isMissing, parseNumber, type CsvRecord } from './cells.js';

/** How one raw feature column becomes model inputs. */
export type FeatureEncoding =
  | { readonly name: string; readonly kind: 'numeric' }
  | { readonly name: string; readonly kind: 'categorical'; readonly levels: readonly string[] };

/**
 * Everything needed to turn new CSV rows into the same inputs (and targets) a model was trained
 * on: the raw feature columns in order, the levels of each categorical column, the target columns
 * and the class labels. Plain JSON: store it in the model file, pass it to `encodeRows` later.
 */
export interface CsvEncoding {
  /** Identifies the object when it is read back from JSON. */
  readonly format: 'neurite-csv-encoding';
  /** Bumped if the layout ever changes. */
  readonly version: 1;
  /** Raw feature columns, in input order. */
  readonly features: readonly FeatureEncoding[];
  /** The expanded input names (`age`, `color=red`, `color=blue`, …), one per model input. */
  readonly featureNames: readonly string[];
  /** Target column names. */
  readonly targets: readonly string[];
  /** Classification or regression, as inferred or forced. */
  readonly task: Task;
  /**
   * `values`: numeric targets as they are (regression); `label`: one column of class labels,
   * one-hot encoded over `classes`; `one-hot`: several 0/1 columns already one-hot (classes are
   * the column names).
   */
  readonly targetEncoding: 'values' | 'label' | 'one-hot';
  /** Classification only: the label of each one-hot target column. */
  readonly classes?: readonly string[];
}

/** Options for {@link inferEncoding} (the column-choosing part of `CsvOptions`). */
export interface EncodingOptions {
  /** Target column name(s). */
  readonly target: string | readonly string[];
  /** `'auto'` (default) infers classification or regression from the target values. */
  readonly task?: 'auto' | Task;
  /** Feature columns to use, in order (default: every column except the targets). */
  readonly features?: readonly string[];
  /** Feature columns to one-hot encode even if they look numeric (e.g. numeric codes). */
  readonly categorical?: readonly string[];
}

/** At most this many distinct integer target values still count as classes under `task: 'auto'`. */
export const MAX_AUTO_CLASSES = 20;

/**
 * Decides the encoding from parsed rows: which columns are categorical (more non-numeric than
 * numeric cells, ignoring missing ones), their levels, and the task and classes of the target.
 * Bad individual cells are not reported here; `encodeRows` reports them with row and column.
 */
export function inferEncoding(
  records: readonly CsvRecord[],
  columns: readonly string[],
  options: EncodingOptions,
): CsvEncoding {
  const targets = typeof options.target === 'string' ? [options.target] : [...options.target];
  if (targets.length === 0) throw new NeuriteError('INVALID_OPTION', 'target must name at least one column');
  const available = `available columns: ${columns.join(', ')}`;
  for (const t of targets) {
    if (!columns.includes(t))
      throw new NeuriteError('INVALID_OPTION', `unknown target column ${JSON.stringify(t)}; ${available}`);
  }
  const featureColumns = options.features ? [...options.features] : columns.filter((c) => !targets.includes(c));
  for (const f of [...featureColumns, ...(options.categorical ?? [])]) {
    if (!columns.includes(f))
      throw new NeuriteError('INVALID_OPTION', `unknown feature column ${JSON.stringify(f)}; ${available}`);
    if (targets.includes(f))
      throw new NeuriteError('INVALID_OPTION', `column ${JSON.stringify(f)} cannot be both a feature and a target`);
  }
  if (featureColumns.length === 0) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `no feature columns left after taking the target(s) ${targets.join(', ')}; ${available}`,
    );
  }
  const features = featureColumns.map((name) =>
    featureEncoding(records, name, options.categorical?.includes(name) ?? false),
  );
  const featureNames = features.flatMap((f) =>
    f.kind === 'numeric' ? [f.name] : f.levels.map((l) => `${f.name}=${l}`),
  );
  const base = { format: 'neurite-csv-encoding', version: 1, features, featureNames, targets } as const;
  return { ...base, ...inferTargetEncoding(records, targets, options.task ?? 'auto') };
}

function featureEncoding(records: readonly CsvRecord[], name: string, forceCategorical: boolean): FeatureEncoding {
  let numeric = 0;
  const texts = new Set<string>();
  for (const rec of records) {
    const t = cellText(rec[name]);
    if (isMissing(t)) continue;
    texts.add(t);
    if (parseNumber(t) !== undefined) numeric++;
  }
  const present = records.length === 0 ? 0 : [...records].filter((r) => !isMissing(cellText(r[name]))).length;
  // Mostly numbers = a numeric column with a few bad cells (reported later), not a category.
  if (!forceCategorical && numeric * 2 >= present) return { name, kind: 'numeric' };
  return { name, kind: 'categorical', levels: sortClasses(texts) };
}

/** The task part of a {@link CsvEncoding}. */
export type TargetPart = Pick<CsvEncoding, 'task' | 'targetEncoding'> & { classes?: readonly string[] };

/**
 * Decides how target columns are encoded (see {@link CsvEncoding.targetEncoding}): several 0/1
 * columns with one 1 per row are one-hot classes; a single non-numeric column, or one with at most
 * {@link MAX_AUTO_CLASSES} distinct integers, is class labels under `auto`; anything else is regression.
 */
export function inferTargetEncoding(
  records: readonly CsvRecord[],
  targets: readonly string[],
  task: 'auto' | Task,
): TargetPart {
  if (task !== 'auto' && task !== 'classification' && task !== 'regression') {
    throw new NeuriteError(
      'INVALID_OPTION',
      `unknown task ${JSON.stringify(task)}; expected one of: auto, classification, regression`,
    );
  }
  if (targets.length > 1) {
    if (task === 'regression') return { task, targetEncoding: 'values' };
    const isOneHot = records.every((rec) => {
      const v = targets.map((t) => parseNumber(cellText(rec[t])));
      if (v.some((x) => x === undefined)) return true; // a bad cell, reported when encoding
      return v.every((x) => x === 0 || x === 1) && v.reduce((s: number, x) => s + (x ?? 0), 0) === 1;
    });
    if (isOneHot) return { task: 'classification', targetEncoding: 'one-hot', classes: [...targets] };
    if (task === 'classification') {
      throw new NeuriteError(
        'INVALID_OPTION',
        `classification with several target columns (${targets.join(', ')}) needs them one-hot: 0/1 values, exactly one 1 per row`,
      );
    }
    return { task: 'regression', targetEncoding: 'values' };
  }
  const t = targets[0] as string;
  const texts = records.map((r) => cellText(r[t])).filter((x) => !isMissing(x));
  const numbers = texts.map(parseNumber);
  const allNumeric = numbers.every((v) => v !== undefined);
  const classify =
    task === 'classification' ||
    (task === 'auto' &&
      (!allNumeric || (numbers.every((v) => Number.isInteger(v)) && new Set(numbers).size <= MAX_AUTO_CLASSES)));
  if (!classify) return { task: 'regression', targetEncoding: 'values' };
  return { task: 'classification', targetEncoding: 'label', classes: sortClasses(texts.map(canonicalLabel)) };
}
