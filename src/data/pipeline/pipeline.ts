import { NeuriteError, assertInt } from '../../core/index.js';
import { cellText, type CsvRecord } from '../csv/cells.js';
import type { Task } from '../dataset.js';
import { inferRole, type ColumnRole } from './column-role.js';
import { imputeMethod, type ImputeMethod } from './impute.js';
import { scaleMethod, type ScaleMethod } from './scale.js';
import type { ColumnSpec } from '../csv/columns.js';
import { columnsOf, resolveColumns } from './select-columns.js';
import { STEP_KINDS, stepKind, type ColumnStep, type FitSettings } from './steps/index.js';
import { anyMissing, fitTarget, type TargetStep } from './target.js';

/** The `format` of a saved pipeline. */
export const PIPELINE_FORMAT = 'neurite-pipeline';
/** The pipeline layout version this neurite writes and reads. */
export const PIPELINE_VERSION = 1;

/** A column the pipeline does not use, and why (shown to the user). */
export interface DroppedColumn {
  readonly column: string;
  /** `identifier`: names or numbers rows; `constant`/`empty`: no information; `excluded`: by `exclude` or not in `features`. */
  readonly reason: 'identifier' | 'constant' | 'empty' | 'excluded';
  readonly why: string;
}

/**
 * A fitted preprocessing pipeline: how raw records (`{ column: cell }`, as CSV rows or objects)
 * become network inputs and targets, learned from the training rows only. Plain JSON: the model
 * file stores it (`metadata.pipeline`) and {@link readPipeline} reads it back strictly.
 */
export interface Pipeline {
  readonly format: typeof PIPELINE_FORMAT;
  readonly version: typeof PIPELINE_VERSION;
  /** One step per used column, in input order. */
  readonly steps: readonly ColumnStep[];
  readonly dropped: readonly DroppedColumn[];
  readonly target: TargetStep;
  /** One name per network input. */
  readonly featureNames: readonly string[];
  /** What fitting found and did, in words (missing cells, pooled categories, dates, rows without a target). */
  readonly notes: readonly string[];
  /** Training rows fitted on. */
  readonly rows: number;
  /** Training rows left out because a target cell was missing. */
  readonly rowsWithoutTarget: number;
}

/** Options of {@link fitPipeline}. */
export interface PipelineOptions {
  /** The column(s) to predict, by name or 1-based number. */
  readonly target: ColumnSpec | readonly ColumnSpec[];
  /** `auto` (default): classes for text or few distinct integers, else regression. */
  readonly task?: 'auto' | Task;
  /** Use only these columns, in this order (default: every column but the target). */
  readonly features?: readonly ColumnSpec[];
  /** Leave these columns out. */
  readonly exclude?: readonly ColumnSpec[];
  /** One-hot encode these columns even when their cells are numbers (codes). */
  readonly categorical?: readonly ColumnSpec[];
  /** Missing numeric cells: the training `median` (default), `mean` or `zero`. Categorical ones take the most frequent value. */
  readonly impute?: ImputeMethod;
  /**
   * Add a 0/1 "was missing" input per numeric or date column. `auto` (default): for each column
   * with missing training cells, since missingness often carries information (scikit-learn's
   * `add_indicator=True` does the same).
   */
  readonly missingIndicator?: 'auto' | boolean;
  /** Numeric inputs: `standard` (default), `minmax` or `none`. */
  readonly scale?: ScaleMethod;
  /** Categories in fewer training rows than this share an `(other)` input. Default: 1 under 200 rows, else rows/100 up to 5. */
  readonly minFrequency?: number;
  /** At most this many inputs per categorical column, `(other)` included. Default 50. */
  readonly maxCategories?: number;
  /** Fixes the class list (e.g. every label of a file before it was split). */
  readonly classes?: readonly string[];
  /** The table's columns in order (default: the records' keys), for column numbers and messages. */
  readonly columns?: readonly string[];
}

/**
 * Fits a pipeline on training records, as scikit-learn's `ColumnTransformer` with imputers,
 * `OneHotEncoder(handle_unknown='ignore')` and `StandardScaler`, but with the column roles read
 * from the data: numbers, categories, two-valued columns and dates become inputs; identifiers
 * (row numbers, nearly unique text), constant and empty columns are dropped with a note. Rows
 * whose target is missing are left out (counted in `rowsWithoutTarget`).
 *
 * @example
 * ```ts
 * const p = fitPipeline(trainRows, { target: 'species' });
 * const { x, y } = transformRecords(p, testRows);
 * describePipeline(p); // what happened to each column, in words
 * ```
 */
export function fitPipeline(records: readonly CsvRecord[], options: PipelineOptions): Pipeline {
  if (records.length === 0) throw new NeuriteError('EMPTY_DATA', 'no rows to fit the pipeline on');
  const columns = options.columns ?? columnsOf(records);
  const targets = resolveColumns(
    Array.isArray(options.target) ? (options.target as ColumnSpec[]) : [options.target as ColumnSpec],
    columns,
    'target column',
  );
  if (targets.length === 0) throw new NeuriteError('INVALID_OPTION', 'target must name at least one column');
  const settings = fitSettings(options, records.length);
  const labelled = records.filter((r) => !anyMissing(targets, r));
  const rowsWithoutTarget = records.length - labelled.length;
  if (labelled.length === 0) {
    throw new NeuriteError('EMPTY_DATA', `every row's target (${targets.join(', ')}) is missing: nothing to train on`);
  }
  const target = fitTarget(labelled, targets, options.task ?? 'auto', options.classes);
  const { used, dropped } = chooseColumns(columns, targets, options);
  const forced = new Set(resolveColumns(options.categorical ?? [], columns, 'categorical column'));
  const steps: ColumnStep[] = [];
  const notes: string[] = [];
  if (rowsWithoutTarget > 0) {
    notes.push(`${String(rowsWithoutTarget)} row${rowsWithoutTarget === 1 ? '' : 's'} without a target left out`);
  }
  for (const column of used) {
    const texts = labelled.map((r) => cellText(r[column]));
    const choice = inferRole(column, texts, {
      categorical: forced.has(column),
      chosen: options.features !== undefined,
    });
    if (isDropped(choice.role)) {
      dropped.push({ column, reason: choice.role, why: choice.why });
      continue;
    }
    const fitted = STEP_KINDS[choice.role].fit(column, texts, settings);
    steps.push(fitted.step);
    notes.push(...fitted.notes);
  }
  if (steps.length === 0) {
    throw new NeuriteError(
      'INVALID_DATA',
      `no usable feature columns: ${dropped.map((d) => `${d.column} (${d.why})`).join('; ') || 'none besides the target'}; name the ones to use with features`,
    );
  }
  return {
    format: PIPELINE_FORMAT,
    version: PIPELINE_VERSION,
    steps,
    dropped,
    target,
    featureNames: steps.flatMap((s) => stepKind(s).outputs(s)),
    notes,
    rows: labelled.length,
    rowsWithoutTarget,
  };
}

function isDropped(role: ColumnRole): role is 'identifier' | 'constant' | 'empty' {
  return role === 'identifier' || role === 'constant' || role === 'empty';
}

function fitSettings(o: PipelineOptions, rows: number): FitSettings {
  const minFrequency = o.minFrequency ?? (rows < 200 ? 1 : Math.min(5, Math.floor(rows / 100)));
  const maxCategories = o.maxCategories ?? 50;
  assertInt(minFrequency, 'minFrequency', 1);
  assertInt(maxCategories, 'maxCategories', 2);
  const mi = o.missingIndicator ?? 'auto';
  if (mi !== 'auto' && typeof mi !== 'boolean') {
    throw new NeuriteError(
      'INVALID_OPTION',
      `missingIndicator must be 'auto', true or false, got ${JSON.stringify(mi)}`,
    );
  }
  return {
    impute: imputeMethod(o.impute ?? 'median'),
    missingIndicator: mi,
    scale: scaleMethod(o.scale ?? 'standard'),
    minFrequency,
    maxCategories,
  };
}

function chooseColumns(
  columns: readonly string[],
  targets: readonly string[],
  o: PipelineOptions,
): { used: string[]; dropped: DroppedColumn[] } {
  const excluded = new Set(resolveColumns(o.exclude ?? [], columns, 'excluded column'));
  const features = o.features === undefined ? undefined : resolveColumns(o.features, columns, 'feature column');
  for (const f of [...(features ?? []), ...excluded]) {
    if (targets.includes(f))
      throw new NeuriteError(
        'INVALID_OPTION',
        `column ${JSON.stringify(f)} is the target; it cannot also be a feature or excluded`,
      );
  }
  const used = (features ?? columns.filter((c) => !targets.includes(c))).filter((c) => !excluded.has(c));
  const dropped: DroppedColumn[] = columns
    .filter((c) => !targets.includes(c) && !used.includes(c))
    .map((column) => ({ column, reason: 'excluded', why: excluded.has(column) ? 'excluded' : 'not in features' }));
  return { used, dropped };
}
