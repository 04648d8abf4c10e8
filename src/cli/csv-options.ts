import { InvalidArgumentError, type Command } from 'commander';
import { describeCsvFormat, type CsvFormat, type CsvReadOptions } from '../data/index.js';

/** The CSV-reading options every command that takes `--data FILE.csv` has, as commander parses them. */
export interface CsvFlags {
  delimiter?: string;
  decimal?: 'auto' | '.' | ',';
  /** False with `--no-header`; undefined when not given (a model's training file decides, else true). */
  header?: boolean;
}

// Names people type for the delimiters, so `--delimiter tab` works where a literal tab is awkward.
const DELIMITER_WORDS: Readonly<Record<string, string>> = {
  auto: 'auto',
  comma: ',',
  semicolon: ';',
  tab: '\t',
  '\\t': '\t',
  pipe: '|',
};

/** Commander argument parser for `--delimiter`: `auto`, one character, or comma/semicolon/tab/pipe. */
export function delimiterArg(value: string): string {
  const word = DELIMITER_WORDS[value.toLowerCase()];
  if (word !== undefined) return word;
  if (value.length !== 1 || value === '"' || value === '\n' || value === '\r') {
    throw new InvalidArgumentError(
      "expected auto, one character such as ',' ';' '|', or one of: comma, semicolon, tab, pipe.",
    );
  }
  return value;
}

/** Commander argument parser for `--decimal`: `auto`, `.` or `,` (also the words point, dot, comma). */
export function decimalArg(value: string): 'auto' | '.' | ',' {
  const v = value.toLowerCase();
  if (v === 'auto') return 'auto';
  if (v === '.' || v === 'point' || v === 'dot') return '.';
  if (v === ',' || v === 'comma') return ',';
  throw new InvalidArgumentError("expected auto, '.' (point) or ',' (comma).");
}

/**
 * Adds `--delimiter`, `--decimal`, `--header` and `--no-header` to a command that reads
 * `--data FILE.csv`. `--header` is defined first so that commander gives the pair no default:
 * when neither is given, `header` stays undefined and a model's record of its training file decides.
 */
export function addCsvOptions(cmd: Command): Command {
  return cmd
    .option(
      '--delimiter <char>',
      "--data: field delimiter, e.g. ';' or tab (default auto: sniffed from the first lines among , ; tab |)",
      delimiterArg,
    )
    .option(
      '--decimal <sep>',
      "--data: decimal separator, '.' or ',' (default auto: a decimal comma such as 14,23 is recognised in files not separated by ',')",
      decimalArg,
    )
    .option(
      '--header',
      '--data: the first row names the columns (the default; overrides a model trained with --no-header)',
    )
    .option('--no-header', '--data: the file has no header row; columns are numbered from 1 (e.g. --target 14)');
}

/** The library's read options from the flags; `like` is how a model's training file was read. */
export function csvReadOptions(flags: CsvFlags, like?: CsvFormat): CsvReadOptions {
  return {
    ...(flags.delimiter === undefined ? {} : { delimiter: flags.delimiter }),
    ...(flags.decimal === undefined ? {} : { decimal: flags.decimal }),
    ...(flags.header === undefined ? {} : { header: flags.header }),
    ...(like === undefined ? {} : { like }),
  };
}

/** What reading a CSV file found, for the one line commands print. */
export interface CsvReadSummary {
  readonly file: string;
  readonly rows: number;
  readonly columns: number;
  readonly format: CsvFormat;
  readonly notes: readonly string[];
}

/** E.g. `read wine.csv: 178 rows, 14 columns, ';'-separated, decimal comma`, then one `note:` line per note. */
export function describeCsvRead(s: CsvReadSummary): string {
  const head = `read ${s.file}: ${s.rows.toLocaleString('en-US')} rows, ${String(s.columns)} column${s.columns === 1 ? '' : 's'}, ${describeCsvFormat(s.format)}`;
  return [head, ...s.notes.map((n) => `note: ${n}`)].join('\n');
}
