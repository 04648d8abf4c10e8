import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { NeuriteError } from '../index.js';
import { errnoWords } from '../data/node/index.js';

/**
 * Writes a file atomically: the content goes to a temporary file in the same folder (so the
 * rename cannot cross file systems), is flushed to disk, then renamed over `path`. A reader, or a
 * run interrupted half-way, sees either the old file or the complete new one, never a torn one.
 * On failure the temporary file is removed and `IO_ERROR` names the path.
 *
 * @example
 * ```ts
 * writeFileAtomic('model.json', JSON.stringify(net.toJSON()));
 * ```
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new NeuriteError(
      'IO_ERROR',
      `cannot write ${JSON.stringify(path)}: ${errnoWords(e, 'the folder does not exist')}`,
      { path },
    );
  }
}
