import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_DELIMITERS, readCsvTable } from '../../src/data/index.js';

// Cells from an alphabet full of what breaks CSV readers: every delimiter, quotes, both newlines,
// blanks. No digits, so no decimal-separator rewriting is involved: this is about the cells.
const CHARS = ['a', 'b', 'Z', 'é', ' ', '\t', ',', ';', '|', '"', '\n', '\r', "'", '.', '-', '?'];
const cellArb = fc.array(fc.constantFrom(...CHARS), { maxLength: 8 }).map((cs) => cs.join(''));

type Quoting = 'needed' | 'all' | 'random';

/** Writes a table the way different programs do: CRLF or LF, a BOM or not, quoting as `quoting` says. */
function writeCsv(
  rows: readonly (readonly string[])[],
  delimiter: string,
  quoting: Quoting,
  coin: readonly boolean[],
  crlf: boolean,
  bom: boolean,
  careful: boolean,
): string {
  let k = 0;
  const needs = (c: string): boolean =>
    c.includes(delimiter) ||
    c.includes('\n') ||
    c.includes('\r') ||
    c.startsWith('"') ||
    c !== c.replace(/^[ \t]+|[ \t]+$/g, '') ||
    // A careful writer also quotes every candidate delimiter, so that sniffing cannot be misled.
    (careful && CSV_DELIMITERS.some((d) => c.includes(d)));
  const field = (c: string): string => {
    const quote = quoting === 'all' || needs(c) || (quoting === 'random' && (coin[k++ % coin.length] ?? false));
    return quote ? `"${c.replace(/"/g, '""')}"` : c;
  };
  const eol = crlf ? '\r\n' : '\n';
  return `${bom ? '\ufeff' : ''}${rows.map((r) => r.map(field).join(delimiter)).join(eol)}${eol}`;
}

const tableArb = fc
  .integer({ min: 1, max: 5 })
  .chain((width) => fc.array(fc.array(cellArb, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 6 }))
  // A row of empty cells is skipped by the reader (spreadsheets write them at the end), so keep one cell non-empty.
  .map((rows) => rows.map((r) => (r.every((c) => c === '') ? ['x', ...r.slice(1)] : r)));

const writeArb = fc.record({
  delimiter: fc.constantFrom(...CSV_DELIMITERS),
  quoting: fc.constantFrom<Quoting>('needed', 'all', 'random'),
  coin: fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
  crlf: fc.boolean(),
  bom: fc.boolean(),
});

describe('CSV round trip (fast-check)', () => {
  it('any table written with any delimiter and quoting reads back as the same cells', () => {
    fc.assert(
      fc.property(tableArb, writeArb, (rows, w) => {
        const text = writeCsv(rows, w.delimiter, w.quoting, w.coin, w.crlf, w.bom, false);
        const t = readCsvTable(text, { delimiter: w.delimiter, decimal: '.', header: false });
        expect(t.records.map((r) => t.columns.map((c) => r[c]))).toEqual(rows);
        expect(t.format).toEqual({ delimiter: w.delimiter, decimal: '.', header: false });
      }),
      { numRuns: 400, seed: 20261204 },
    );
  });

  it('the delimiter is sniffed back when cells holding delimiters are quoted', () => {
    fc.assert(
      fc.property(tableArb, writeArb, (rows, w) => {
        const text = writeCsv(rows, w.delimiter, w.quoting, w.coin, w.crlf, w.bom, true);
        const t = readCsvTable(text, { decimal: '.', header: false });
        expect(t.records.map((r) => t.columns.map((c) => r[c]))).toEqual(rows);
        if ((rows[0]?.length ?? 0) > 1) expect(t.format.delimiter).toBe(w.delimiter);
      }),
      { numRuns: 400, seed: 20261205 },
    );
  });

  it('with a header row, names and cells come back', () => {
    fc.assert(
      fc.property(tableArb, writeArb, (rows, w) => {
        const names = (rows[0] ?? []).map((_, i) => `col ${String(i)}`);
        const text = writeCsv([names, ...rows], w.delimiter, w.quoting, w.coin, w.crlf, w.bom, true);
        const t = readCsvTable(text, { decimal: '.' });
        expect(t.columns).toEqual(names);
        expect(t.records.map((r) => names.map((c) => r[c]))).toEqual(rows);
      }),
      { numRuns: 200, seed: 20261206 },
    );
  });
});
