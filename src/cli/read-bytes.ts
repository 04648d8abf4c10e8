import { readFileSync } from 'node:fs';
import { NeuriteError } from '../index.js';

/** A file's bytes; IO_ERROR names the path. */
export function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new NeuriteError(
      'IO_ERROR',
      `cannot read ${JSON.stringify(path)}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(e)}`,
    );
  }
}
