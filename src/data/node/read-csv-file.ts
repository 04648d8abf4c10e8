import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { errnoWords } from './errno-words.js';
import { NeuriteError } from '../../core/index.js';
import { parseCsv, type CsvOptions, type ParsedCsv } from '../csv/parse-csv.js';

/**
 * Reads a CSV file and parses it with {@link parseCsv}: the delimiter, decimal commas and so on
 * are sniffed unless `options` give them, and the result's `format` says what was found. The
 * dataset is named after the file. A missing or unreadable file throws `NeuriteError('IO_ERROR')`
 * naming the path; a path or options that are not what they should be throw `INVALID_OPTION`.
 *
 * @example
 * ```ts
 * const { dataset, encoding, format } = readCsvFile('wine.csv', { target: 'class' });
 * const noHeader = readCsvFile('wine-data.csv', { target: 1, header: false });
 * ```
 */
export function readCsvFile(path: string, options: CsvOptions): ParsedCsv {
  const text = readTextFile(path);
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `readCsvFile(path, options): options must be an object with at least { target }, got ${options === null ? 'null' : typeof options}`,
    );
  }
  return parseCsv(text, { name: basename(path).replace(/\.(csv|tsv|txt)$/i, ''), ...options });
}

/** Reads a UTF-8 text file, turning file-system errors into one clear `IO_ERROR`. */
export function readTextFile(path: string): string {
  if (typeof path !== 'string' || path === '') {
    throw new NeuriteError(
      'INVALID_OPTION',
      `expected a CSV file path (a non-empty string), got ${path === '' ? 'an empty string' : path === null ? 'null' : typeof path}`,
    );
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw csvFileError(path, e);
  }
}

/** A file-system error reading a CSV file, as one clear `IO_ERROR` naming the path. */
export function csvFileError(path: string, e: unknown): NeuriteError {
  if (e instanceof NeuriteError) return e;
  return new NeuriteError('IO_ERROR', `cannot read CSV file ${JSON.stringify(path)}: ${errnoWords(e)}`, { path });
}
