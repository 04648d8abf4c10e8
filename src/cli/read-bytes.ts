import { readFileSync } from 'node:fs';
import { NeuriteError } from '../index.js';
import { errnoWords } from '../data/node/index.js';

/** A file's bytes; IO_ERROR names the path. */
export function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new NeuriteError('IO_ERROR', `cannot read ${JSON.stringify(path)}: ${errnoWords(e)}`);
  }
}
