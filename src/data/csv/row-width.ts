import { NeuriteError } from '../../core/index.js';
import { CSV_DELIMITERS, delimiterName } from './delimiter.js';
import type { CsvFormat } from './table.js';
import type { CsvRow } from './tokenize.js';

/** The row's `width` cells (extra trailing empty cells dropped), or undefined for another count. */
export function fitRow(row: CsvRow, width: number): readonly string[] | undefined {
  const f = row.fields;
  if (f.length === width) return f;
  if (f.length > width && f.slice(width).every((x) => x === '')) return f.slice(0, width);
  return undefined;
}

/** The error for the first row whose field count differs from the header's, with the likely fix. */
export function raggedRow(
  row: CsvRow,
  rowNumber: number,
  count: number,
  width: number,
  format: CsvFormat,
  sniffed: string,
): NeuriteError {
  const f = row.fields;
  const d = delimiterName(format.delimiter);
  const others = CSV_DELIMITERS.filter((x) => x !== format.delimiter)
    .map(delimiterName)
    .join(', ');
  const likely =
    sniffed !== format.delimiter
      ? `the file is ${delimiterName(sniffed)}-separated: pass --delimiter ${sniffed === '\t' ? 'tab' : `'${sniffed}'`} (or leave --delimiter out to detect it)`
      : f.length > width
        ? `a cell holds an unquoted ${d} (put that cell in double quotes), or the file is not ${d}-separated (pass --delimiter: ${others})`
        : `a cell and its ${d} are missing (an empty cell still needs its delimiter), or the file is not ${d}-separated (pass --delimiter: ${others})`;
  const shown = f.map((x) => JSON.stringify(x)).join(format.delimiter === '\t' ? ' <tab> ' : format.delimiter);
  const more = count > 1 ? ` (${String(count - 1)} more row${count > 2 ? 's' : ''} like it)` : '';
  return new NeuriteError(
    'INVALID_DATA',
    `CSV row ${String(rowNumber)} (line ${String(row.line)}) has ${String(f.length)} fields, expected ${String(width)} as in the ${format.header ? 'header' : 'first row'}${more}; read as ${delimiterName(format.delimiter)}-separated: ${shown.length > 120 ? `${shown.slice(0, 117)}...` : shown}. Likely: ${likely}`,
    { row: rowNumber, line: row.line, expected: width, found: f.length },
  );
}
