import { NeuriteError } from '../../core/index.js';
import { tokenizeCsv, type CsvRow } from './tokenize.js';

/** The field delimiters the sniffer considers, in order of preference when the evidence ties. */
export const CSV_DELIMITERS: readonly string[] = [';', '\t', '|', ','];

/** How many records the sniffer reads. */
const SNIFF_ROWS = 50;

/**
 * Guesses the field delimiter (`,` `;` tab `|`) from the first lines of a CSV text: the one that
 * splits every record (outside quotes) into the same number of fields, more than one.
 *
 * Among consistent candidates, the one that leaves no quotes inside fields wins (quoted cells
 * unquote only when split with the right delimiter); then `prefer` (how a similar file was read
 * before); then `;`, tab or `|` over `,`, because commas turn up inside data (decimal commas,
 * `14,23`, split a `;` file into equally many pieces on every line) while the others rarely do;
 * then the one giving more fields. When no candidate is consistent (a ragged file), the one for which the most
 * records have the header's field count wins, so the reader then reports the ragged rows. A text
 * with no candidate at all (one column) is `,`.
 *
 * @example
 * ```ts
 * sniffDelimiter('a;b;c\n1,5;2,5;3\n'); // ';'
 * sniffDelimiter('name\tsize\n"x\ty"\t2\n'); // '\t'
 * ```
 */
export function sniffDelimiter(text: string, prefer?: string): string {
  const candidates =
    prefer === undefined || CSV_DELIMITERS.includes(prefer) ? CSV_DELIMITERS : [prefer, ...CSV_DELIMITERS];
  let best: Evidence | undefined;
  for (const d of candidates) {
    const rows = tokenizeOrUndefined(text, d);
    if (rows === undefined) continue;
    const fields = rows[0]?.fields.length ?? 0;
    if (fields < 2) continue;
    const agreeing = rows.filter((r) => r.fields.length === fields).length;
    const e: Evidence = {
      delimiter: d,
      consistent: agreeing === rows.length,
      agreeing,
      fields,
      // Quotes left inside fields: split with the wrong delimiter, quoted cells do not unquote.
      strayQuotes: rows.reduce((s, r) => s + r.fields.reduce((t, f) => t + (f.split('"').length - 1), 0), 0),
    };
    if (best === undefined || better(e, best, prefer)) best = e;
  }
  // Nothing splits the text: one column either way, so keep the preferred delimiter.
  return best?.delimiter ?? prefer ?? ',';
}

/** The first records split by `d`, or undefined when a quote opened with it never closes (so `d` is wrong). */
function tokenizeOrUndefined(text: string, d: string): CsvRow[] | undefined {
  try {
    return tokenizeCsv(text, d, { maxRows: SNIFF_ROWS });
  } catch (e) {
    if (e instanceof NeuriteError) return undefined;
    throw e;
  }
}

/** What splitting the first lines with one delimiter gave. */
interface Evidence {
  readonly delimiter: string;
  /** Every record has the first record's field count. */
  readonly consistent: boolean;
  /** How many records have the first record's field count. */
  readonly agreeing: number;
  readonly fields: number;
  readonly strayQuotes: number;
}

function better(a: Evidence, b: Evidence, prefer: string | undefined): boolean {
  if (a.consistent !== b.consistent) return a.consistent;
  if (!a.consistent) return a.agreeing > b.agreeing;
  if (a.strayQuotes !== b.strayQuotes) return a.strayQuotes < b.strayQuotes;
  if ((a.delimiter === prefer) !== (b.delimiter === prefer)) return a.delimiter === prefer;
  if ((a.delimiter === ',') !== (b.delimiter === ',')) return b.delimiter === ',';
  return a.fields > b.fields;
}

/** How a delimiter is named in messages: `','`, `';'`, `tab`, `'|'`. */
export function delimiterName(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : `'${delimiter}'`;
}
