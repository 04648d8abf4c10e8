import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let cached: string | undefined;

/**
 * The version of the neurite library this command runs on, from its package.json: the installed
 * `neurite` package next to neurite-cli, or in the repository the workspace link to packages/neurite.
 */
export function neuriteVersion(): string {
  if (cached !== undefined) return cached;
  try {
    const path = createRequire(import.meta.url).resolve('neurite/package.json');
    const pkg = JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown };
    cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    cached = 'unknown';
  }
  return cached;
}
