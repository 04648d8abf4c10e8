import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { NeuriteError } from '../../core/index.js';
import { csvFileError } from './read-csv-file.js';
import { openCsvStream, type CsvStream, type CsvStreamOptions } from '../csv/stream.js';

/**
 * Opens a CSV file as a {@link CsvStream}: every pass reads the file again in 1 MiB pieces, so a
 * file of any size trains in bounded memory. A missing or unreadable file is `IO_ERROR` naming
 * the path.
 *
 * @example
 * ```ts
 * const csv = await openCsvFile('big.csv');
 * for await (const { records } of csv.batches()) console.log(records.length);
 * ```
 */
export async function openCsvFile(path: string, options: CsvStreamOptions = {}): Promise<CsvStream> {
  if (typeof path !== 'string' || path === '') {
    throw new NeuriteError(
      'INVALID_OPTION',
      `expected a CSV file path (a non-empty string), got ${JSON.stringify(path)}`,
    );
  }
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
  } catch (e) {
    throw csvFileError(path, e);
  }
  return openCsvStream(() => pieces(path), options);
}

async function* pieces(path: string): AsyncGenerator<string> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const piece of stream) yield piece as string;
  } catch (e) {
    throw csvFileError(path, e);
  } finally {
    stream.destroy();
  }
}
