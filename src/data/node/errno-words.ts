/**
 * A Node file-system error in a few plain words for an `IO_ERROR` message: `'no such file'`,
 * `'it is a directory'`, `'permission denied'`, else the error's own message. A writer passes
 * `missing` because, for it, `ENOENT` means the folder is missing, not the file.
 *
 * @example
 * ```ts
 * try {
 *   readFileSync(path);
 * } catch (e) {
 *   throw new NeuriteError('IO_ERROR', `cannot read ${JSON.stringify(path)}: ${errnoWords(e)}`);
 * }
 * ```
 */
export function errnoWords(e: unknown, missing = 'no such file'): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return missing;
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
