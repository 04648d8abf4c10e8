import { isMissing, parseNumber } from '../csv/cells.js';
import { parseDate } from './dates.js';

/**
 * What a raw column is, read from its training cells. `identifier`, `constant` and `empty`
 * columns are dropped (they cannot generalise to new rows); the others become model inputs.
 */
export type ColumnRole = 'numeric' | 'categorical' | 'boolean' | 'date' | 'identifier' | 'constant' | 'empty';

/** A role and the evidence for it, in words the user is shown. */
export interface RoleChoice {
  readonly role: ColumnRole;
  readonly why: string;
}

/** What the caller already knows about a column. */
export interface RoleHints {
  /** Listed in `categorical`: one-hot encode it even if its cells are numbers (codes). */
  readonly categorical?: boolean;
  /** Named in `features`: the user wants it, so it is never dropped as an identifier. */
  readonly chosen?: boolean;
}

// Names that say "this numbers the rows": id, ID, row_id, PassengerId, index, Unnamed: 0 (pandas' saved index).
const ID_NAME = /^(id|idx|index|row|rowid|row_id|unnamed: ?\d+)$/i;
// …and suffixes, case-sensitive so that words ending in "id" (acid, squid) do not count.
const ID_SUFFIX = /[_ -](id|ID)$|[a-z]Id$|[a-z]ID$/;
// A sorted column of distinct whole numbers named like this is a time axis, not a row number.
const TIME_NAME = /year|date|time|day|month|week/i;
/** Text columns at least this unique (distinct values / present cells) identify rows. */
const NEARLY_UNIQUE = 0.9;
/** Below this many rows, "sorted and distinct" is too likely by chance to call a column a row index. */
const MIN_ROWS_FOR_ORDER = 10;
/** Dates: at least this share of present cells parse as dates. */
const MOSTLY = 0.9;

/**
 * Infers a column's role from its trimmed training cells, in file order:
 * - no present cell → `empty`; one distinct value → `constant`;
 * - mostly numbers (at least half the present cells) → `numeric`, unless the numbers are a row
 *   index: distinct whole numbers that increase down the file, or that sit in a column named like
 *   an id (`id`, `row_id`, `PassengerId`, `Unnamed: 0`) → `identifier`;
 * - ≥ 90% dates or timestamps (ISO forms) → `date`;
 * - exactly two distinct texts → `boolean`;
 * - text unique or nearly unique per row (≥ 90% distinct, more than 10 values) → `identifier`;
 * - anything else → `categorical`.
 *
 * @example
 * ```ts
 * inferRole('id', ['1', '2', '3']).role; // 'identifier'
 * inferRole('island', ['Dream', 'Biscoe', 'Dream']).role; // 'boolean' (two values)
 * ```
 */
export function inferRole(name: string, texts: readonly string[], hints: RoleHints = {}): RoleChoice {
  const present = texts.filter((t) => !isMissing(t));
  if (present.length === 0) return { role: 'empty', why: 'every training cell is missing' };
  const distinct = new Set(present);
  if (distinct.size === 1) return { role: 'constant', why: `every training value is ${JSON.stringify(present[0])}` };
  if (hints.categorical === true) return { role: 'categorical', why: 'listed as categorical' };
  const numbers = present.map(parseNumber);
  const numeric = numbers.filter((v) => v !== undefined);
  if (numeric.length * 2 >= present.length) {
    const index = hints.chosen === true ? undefined : rowIndex(name, numbers, present.length === texts.length);
    return index === undefined ? { role: 'numeric', why: 'numbers' } : { role: 'identifier', why: index };
  }
  const dates = present.filter((t) => parseDate(t) !== undefined).length;
  if (dates >= MOSTLY * present.length) return { role: 'date', why: 'dates' };
  if (distinct.size === 2) return { role: 'boolean', why: 'two values' };
  if (hints.chosen !== true && distinct.size > 10 && distinct.size >= NEARLY_UNIQUE * present.length) {
    return {
      role: 'identifier',
      why: `text nearly unique per row (${String(distinct.size)} distinct values in ${String(present.length)} rows)`,
    };
  }
  return { role: 'categorical', why: 'text' };
}

/** Why the numbers look like row numbers, or undefined. */
function rowIndex(name: string, numbers: readonly (number | undefined)[], complete: boolean): string | undefined {
  if (!complete || !numbers.every((v) => v !== undefined && Number.isInteger(v))) return undefined;
  const values = numbers as number[];
  if (new Set(values).size !== values.length) return undefined;
  if (ID_NAME.test(name) || ID_SUFFIX.test(name))
    return 'row identifier: distinct whole numbers in a column named like an id';
  const increasing = values.every((v, i) => i === 0 || v > (values[i - 1] as number));
  if (increasing && values.length >= MIN_ROWS_FOR_ORDER && !TIME_NAME.test(name)) {
    return 'row index: distinct whole numbers increasing down the file';
  }
  return undefined;
}
