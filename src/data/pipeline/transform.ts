import { NeuriteError, matrix, type Matrix } from '../../core/index.js';
import { cellText, type CsvRecord } from '../csv/cells.js';
import type { Pipeline } from './pipeline.js';
import { stepKind } from './steps/index.js';
import { anyMissing, encodeTarget } from './target.js';

/** What transforming rows did, for the user: nothing here is an error. */
export interface TransformReport {
  /** Rows given. */
  readonly rows: number;
  /** Missing cells filled in, per column. */
  readonly imputed: Readonly<Record<string, number>>;
  /** Cells that could not be read (text in a numeric or date column), filled in, per column. */
  readonly invalid: Readonly<Record<string, number>>;
  /** Categories not seen in training (inputs all zero), per column: how many cells, and a few of the values. */
  readonly unknown: Readonly<Record<string, { readonly count: number; readonly values: readonly string[] }>>;
  /** With targets: rows left out because a target cell was missing. */
  readonly targetMissing: number;
  /** With targets: rows left out because the target is a class (or value) the model does not know. */
  readonly targetUnknown: number;
}

/** Rows transformed by a pipeline. */
export interface TransformedRows {
  /** Network inputs, one row per kept record. */
  readonly x: Matrix;
  /** Network targets (one-hot classes or standardised values), when asked for. */
  readonly y: Matrix | undefined;
  /** 0-based indices of the records kept (with targets, those with a usable target; else all). */
  readonly kept: readonly number[];
  readonly report: TransformReport;
}

/** Options of {@link transformRecords}. */
export interface TransformOptions {
  /** Encode the targets (rows without a usable one are left out). Default: when the records have every target column. */
  readonly withTargets?: boolean;
}

/**
 * Applies a fitted pipeline to raw records: the same inputs, in the same order, as in training.
 * Missing cells are filled in, unknown categories give all-zero inputs and unreadable cells are
 * treated as missing; all are counted in `report`, none is an error. A feature column absent
 * from every record throws `INVALID_DATA` listing the columns that are there (give the column
 * with empty cells to have it filled in).
 *
 * @example
 * ```ts
 * const { x, report } = transformRecords(pipeline, [{ bill_length_mm: '39.1', island: 'Atlantis' }]);
 * report.unknown; // { island: { count: 1, values: ['Atlantis'] } }
 * ```
 */
export function transformRecords(
  pipeline: Pipeline,
  records: readonly CsvRecord[],
  options: TransformOptions = {},
): TransformedRows {
  if (records.length === 0) throw new NeuriteError('EMPTY_DATA', 'no rows to transform: expected at least one');
  const has = (c: string): boolean => records.some((r) => c in r);
  const absent = pipeline.steps.map((s) => s.column).filter((c) => !has(c));
  if (absent.length > 0) {
    const present = Object.keys(records[0] as object);
    throw new NeuriteError(
      'INVALID_DATA',
      `missing feature column${absent.length === 1 ? '' : 's'} ${absent.map((c) => JSON.stringify(c)).join(', ')}; the rows have: ${present.join(', ') || 'no columns'} (a column of empty cells is filled in)`,
    );
  }
  const t = pipeline.target;
  const withTargets = options.withTargets ?? t.columns.every(has);
  const width = pipeline.featureNames.length;
  const yWidth = t.kind === 'label' ? t.classes.length : t.columns.length;
  const x = new Float32Array(records.length * width);
  const y = new Float32Array(withTargets ? records.length * yWidth : 0);
  const kept: number[] = [];
  const tally = { imputed: {} as Record<string, number>, invalid: {} as Record<string, number> };
  const unknown: Record<string, { count: number; values: string[] }> = {};
  const firstInvalid: Record<string, string> = {};
  let targetMissing = 0;
  let targetUnknown = 0;
  const widths = pipeline.steps.map((s) => stepKind(s).outputs(s).length);
  records.forEach((rec, i) => {
    const n = kept.length;
    if (withTargets) {
      if (anyMissing(t.columns, rec)) {
        targetMissing++;
        return;
      }
      if (encodeTarget(t, rec, y, n * yWidth) === 'unknown') {
        targetUnknown++;
        return;
      }
    }
    let at = n * width;
    pipeline.steps.forEach((step, j) => {
      const text = cellText(rec[step.column]);
      const outcome = stepKind(step).transform(step, text, x, at);
      at += widths[j] as number;
      if (outcome === 'imputed' || outcome === 'invalid') {
        tally[outcome][step.column] = (tally[outcome][step.column] ?? 0) + 1;
        if (outcome === 'invalid') firstInvalid[step.column] ??= text;
      } else if (outcome === 'unknown') {
        const u = (unknown[step.column] ??= { count: 0, values: [] });
        u.count++;
        if (u.values.length < 5 && !u.values.includes(text)) u.values.push(text);
      }
    });
    kept.push(i);
  });
  if (kept.length === 0) {
    throw new NeuriteError(
      'EMPTY_DATA',
      `no row has a usable target (${t.columns.join(', ')}): ${String(targetMissing)} missing, ${String(targetUnknown)} not known to the model`,
    );
  }
  checkReadable(pipeline, kept.length, tally, firstInvalid);
  return {
    x: matrix(kept.length, width, x.subarray(0, kept.length * width)),
    y: withTargets ? matrix(kept.length, yWidth, y.subarray(0, kept.length * yWidth)) : undefined,
    kept,
    report: { rows: records.length, ...tally, unknown, targetMissing, targetUnknown },
  };
}

/**
 * A few unreadable cells are filled in, but a column where most cells are not numbers (or dates)
 * was read differently from the training file (decimal comma, delimiter): filling all of it in
 * would give confident nonsense, so that is an error.
 */
function checkReadable(
  pipeline: Pipeline,
  rows: number,
  tally: { imputed: Record<string, number>; invalid: Record<string, number> },
  firstInvalid: Record<string, string>,
): void {
  for (const step of pipeline.steps) {
    const bad = tally.invalid[step.column] ?? 0;
    const present = rows - (tally.imputed[step.column] ?? 0);
    if (rows < 2 || bad * 2 <= present) continue;
    const what = step.kind === 'date' ? 'a date' : 'a number';
    throw new NeuriteError(
      'INVALID_DATA',
      `column ${JSON.stringify(step.column)}: expected ${what}, found ${JSON.stringify(firstInvalid[step.column])} (${String(bad)} of ${String(present)} cells are not ${what.slice(2)}s); the file may use another decimal separator or delimiter than the training file (--decimal, --delimiter)`,
      { column: step.column },
    );
  }
}
