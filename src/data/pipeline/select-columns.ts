import type { CsvRecord } from '../csv/cells.js';
import { resolveColumn, type ColumnSpec } from '../csv/columns.js';

/**
 * The column names `specs` pick out of `columns` (names, or 1-based numbers; see
 * {@link resolveColumn}), in the order given. `what` names them in errors, e.g. `'feature column'`.
 */
export function resolveColumns(specs: readonly ColumnSpec[], columns: readonly string[], what: string): string[] {
  return specs.map((spec) => resolveColumn(spec, columns, what));
}

/** Every key of the records, in order of first appearance. */
export function columnsOf(records: readonly CsvRecord[]): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}
