import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { NeuriteError } from '../../core/index.js';
import { parseCsv, type CsvOptions, type ParsedCsv } from '../csv/parse-csv.js';

/**
 * Reads a CSV file and parses it with {@link parseCsv}. The dataset is named after the file.
 * A missing or unreadable file throws `NeuriteError('IO_ERROR')` naming the path.
 *
 * @example
 * ```ts
 * const { dataset, encoding } = readCsvFile('houses.csv', { target: 'price' });
 * ```
 */
export function readCsvFile(path: string, options: CsvOptions): ParsedCsv {
  return parseCsv(readTextFile(path), { name: basename(path).replace(/\.csv$/i, ''), ...options });
}

/** Reads a UTF-8 text file, turning file-system errors into one clear `IO_ERROR`. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String(e);
    throw new NeuriteError('IO_ERROR', `cannot read CSV file ${JSON.stringify(path)}: ${why}`, { path });
  }
}
