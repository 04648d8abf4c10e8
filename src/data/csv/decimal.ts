/** The decimal separator of a CSV file's numbers. */
export type DecimalSeparator = '.' | ',';

// A number written with a decimal comma (at least one comma, no dot): 14,23  -0,5  ,5  1,5e3.
const COMMA_DECIMAL = /^[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?$/;
// A number written with a decimal point and at least one digit after it: 14.23  .5  1.5e3.
const POINT_DECIMAL = /^[+-]?\d*\.\d+([eE][+-]?\d+)?$/;
// Digits grouped in threes by `.` with an optional decimal comma: 1.234  1.234.567,5.
const DOT_GROUPED = /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/;
// Digits grouped in threes by `,` with an optional decimal point: 1,234  1,234,567.5.
const COMMA_GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/**
 * Decides whether the numbers of a table use a decimal comma, from its cells (one array per
 * column). Only called for files not separated by `,` (a `,` file cannot have unquoted decimal
 * commas, and a quoted `"1,234"` there is far more often a thousands separator).
 *
 * Decimal comma when some cell reads as a comma-decimal number (`14,23`) and every cell with a
 * point reads as digits grouped in threes (`1.234`, a thousands separator in such a file);
 * otherwise `'.'`, so a file that mixes `2.5` and `2,5` is not silently reinterpreted.
 *
 * @example
 * ```ts
 * sniffDecimal([['14,23', '13,2'], ['1.065', '1.050']]); // ','
 * sniffDecimal([['14.23', '13,2']]); // '.'
 * ```
 */
export function sniffDecimal(columns: readonly (readonly string[])[]): DecimalSeparator {
  let comma = false;
  for (const cells of columns) {
    for (const c of cells) {
      if (POINT_DECIMAL.test(c) && !DOT_GROUPED.test(c)) return '.';
      if (!comma && (COMMA_DECIMAL.test(c) || (DOT_GROUPED.test(c) && c.includes(',')))) comma = true;
    }
  }
  return comma ? ',' : '.';
}

/**
 * Rewrites one column's numbers as plain decimal text (`14,23` → `14.23` with a decimal comma),
 * so everything downstream sees ordinary numbers. Other cells are kept as they are.
 *
 * Thousands separators are removed only where they cannot be anything else: in a cell that also
 * has the decimal separator (`1.234,5`, `1,234.5`) or several groups (`1.234.567`), or in a column
 * whose other cells show the decimal separator (so a point or comma there cannot be a decimal).
 * A lone `1.234` in a decimal-point column stays as written (it is the number 1.234).
 *
 * @example
 * ```ts
 * normalizeDecimals(['1,5', '1.234,5', 'NA'], ','); // ['1.5', '1234.5', 'NA']
 * normalizeDecimals(['1,234', '2.5'], '.'); // ['1234', '2.5']
 * ```
 */
export function normalizeDecimals(cells: readonly string[], decimal: DecimalSeparator): string[] {
  const group = decimal === ',' ? '.' : ',';
  const grouped = decimal === ',' ? DOT_GROUPED : COMMA_GROUPED;
  const plain = decimal === ',' ? COMMA_DECIMAL : POINT_DECIMAL;
  const columnHasDecimals = cells.some((c) => plain.test(c) || (grouped.test(c) && c.includes(decimal)));
  return cells.map((c) => {
    if (grouped.test(c)) {
      const unambiguous = columnHasDecimals || c.includes(decimal) || c.indexOf(group) !== c.lastIndexOf(group);
      if (!unambiguous) return c;
      const digits = c.split(group).join('');
      return decimal === ',' ? digits.replace(',', '.') : digits;
    }
    return decimal === ',' && COMMA_DECIMAL.test(c) ? c.replace(',', '.') : c;
  });
}
