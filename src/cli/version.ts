import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** neurite's version, read from package.json (two folders up from both `src/cli` and `dist/cli`). */
export function neuriteVersion(): string {
  if (cached !== undefined) return cached;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    cached = 'unknown';
  }
  return cached;
}
