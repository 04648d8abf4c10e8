import { NeuriteError, matrix, type Matrix } from '../../core/index.js';
import type { Task } from '../dataset.js';
import { canonicalLabel, cellText, isMissing, parseNumber, type CsvRecord } from '../csv/cells.js';
import { inferTargetEncoding } from '../csv/encoding.js';
import { argmax } from '../one-hot.js';
import { badModel, readChoice, readList, readRecord, readStrings } from './json-checks.js';
import { applyScale, fitScale, readScale, type Scale } from './scale.js';

/**
 * The fitted target: class labels in one column (`label`, one-hot encoded over `classes`), classes
 * already one-hot in several 0/1 columns (`one-hot`), or regression values, standardised with
 * training statistics so the network trains on a well-scaled target (`values`; predictions are
 * mapped back to the original units).
 */
export type TargetStep =
  | { readonly kind: 'label'; readonly columns: readonly [string]; readonly classes: readonly string[] }
  | { readonly kind: 'one-hot'; readonly columns: readonly string[] }
  | { readonly kind: 'values'; readonly columns: readonly string[]; readonly scales: readonly Scale[] };

/** Predictions in the user's terms. */
export type TablePredictions =
  | {
      readonly task: 'classification';
      /** The predicted class of each row. */
      readonly labels: string[];
      /** Per row, one probability per class (in `classes` order). */
      readonly probabilities: number[][];
      readonly classes: readonly string[];
    }
  | {
      readonly task: 'regression';
      /** The first target's predicted value per row, in the original units. */
      readonly values: number[];
      /** Per row, every target's value (one entry per `targets`). */
      readonly outputs: number[][];
      readonly targets: readonly string[];
    };

/** True when any of the record's cells in `columns` (the target columns) is missing. */
export function anyMissing(columns: readonly string[], rec: CsvRecord): boolean {
  return columns.some((c) => isMissing(cellText(rec[c])));
}

/**
 * Fits the target on labelled training rows. `classes`, when given, fixes the class list (e.g.
 * the labels of every row of a file before it is split, so a class that lands only in the test
 * part can still be scored).
 */
export function fitTarget(
  records: readonly CsvRecord[],
  columns: readonly string[],
  task: 'auto' | Task,
  classes?: readonly string[],
): TargetStep {
  const part = inferTargetEncoding(records, columns, task);
  if (part.targetEncoding === 'one-hot') return { kind: 'one-hot', columns };
  if (part.targetEncoding === 'label') {
    return { kind: 'label', columns: [columns[0] as string], classes: classes ?? part.classes ?? [] };
  }
  const scales = columns.map((c) => {
    const values = records.map((r) => parseNumber(cellText(r[c])));
    const bad = values.findIndex((v) => v === undefined);
    if (bad >= 0) {
      throw new NeuriteError(
        'INVALID_DATA',
        `regression target ${JSON.stringify(c)}: row ${String(bad + 1)} has ${JSON.stringify(cellText(records[bad]?.[c]))}, not a number; use --task classification if the target is a class`,
      );
    }
    return fitScale(Float64Array.from(values as number[]), 'standard');
  });
  return { kind: 'values', columns, scales };
}

/** Classification or regression. */
export function targetTask(t: TargetStep): Task {
  return t.kind === 'values' ? 'regression' : 'classification';
}

/** The class labels, one per network output (classification). */
export function targetClasses(t: TargetStep): readonly string[] | undefined {
  return t.kind === 'label' ? t.classes : t.kind === 'one-hot' ? t.columns : undefined;
}

/** One name per network output. */
export function targetNames(t: TargetStep): string[] {
  return t.kind === 'label' ? t.classes.map((c) => `${t.columns[0]}=${c}`) : [...t.columns];
}

/**
 * Writes the network's training target for a labelled record at `out[at…]`: one-hot classes or
 * standardised values. `unknown`: a class (or value) the model cannot represent; nothing usable was written.
 */
export function encodeTarget(t: TargetStep, rec: CsvRecord, out: Float32Array, at: number): 'ok' | 'unknown' {
  if (t.kind === 'values') {
    for (let i = 0; i < t.columns.length; i++) {
      const v = parseNumber(cellText(rec[t.columns[i] as string]));
      if (v === undefined) return 'unknown';
      out[at + i] = applyScale(t.scales[i] as Scale, v);
    }
    return 'ok';
  }
  if (t.kind === 'one-hot') {
    const v = t.columns.map((c) => parseNumber(cellText(rec[c])));
    if (!v.every((x) => x === 0 || x === 1) || v.filter((x) => x === 1).length !== 1) return 'unknown';
    v.forEach((x, i) => (out[at + i] = x as number));
    return 'ok';
  }
  const text = cellText(rec[t.columns[0]]);
  let c = t.classes.indexOf(text);
  if (c < 0) c = t.classes.indexOf(canonicalLabel(text));
  if (c < 0) return 'unknown';
  out.fill(0, at, at + t.classes.length);
  out[at + c] = 1;
  return 'ok';
}

/** Turns network outputs into labels and probabilities, or values in the original units. */
export function decodePredictions(t: TargetStep, out: Matrix): TablePredictions {
  const rows = Array.from({ length: out.rows }, (_, r) =>
    Array.from(out.data.subarray(r * out.cols, (r + 1) * out.cols)),
  );
  if (t.kind === 'values') {
    const outputs = rows.map((row) =>
      row.map((z, i) => z * (t.scales[i] as Scale).scale + (t.scales[i] as Scale).center),
    );
    return { task: 'regression', values: outputs.map((r) => r[0] as number), outputs, targets: t.columns };
  }
  const classes = targetClasses(t) ?? [];
  const idx = argmax(matrix(out.rows, out.cols, out.data));
  return { task: 'classification', labels: Array.from(idx, (i) => classes[i] ?? ''), probabilities: rows, classes };
}

/** Reads a saved target strictly. */
export function readTarget(x: unknown, path: string): TargetStep {
  const r = readRecord(x, path);
  const kind = readChoice(r['kind'], ['label', 'one-hot', 'values'] as const, `${path}.kind`);
  const columns = readStrings(r['columns'], `${path}.columns`);
  if (columns.length === 0) throw badModel(`${path}.columns`, 'must name at least one column');
  if (kind === 'one-hot') return { kind, columns };
  if (kind === 'label') {
    if (columns.length !== 1) throw badModel(`${path}.columns`, 'must name exactly one column for class labels');
    const classes = readStrings(r['classes'], `${path}.classes`);
    if (classes.length === 0) throw badModel(`${path}.classes`, 'must not be empty');
    return { kind, columns: [columns[0] as string], classes };
  }
  const scales = readList(r['scales'], `${path}.scales`).map((s, i) => readScale(s, `${path}.scales[${String(i)}]`));
  if (scales.length !== columns.length)
    throw badModel(`${path}.scales`, `must have one entry per column (${String(columns.length)})`);
  return { kind, columns, scales };
}
