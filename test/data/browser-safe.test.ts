import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../src/data');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node' || e.name === 'assets' ? [] : sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('neurite/data stays browser-safe', () => {
  // The playground imports src/data directly; only src/data/node/ may touch the file system.
  for (const file of sources(root)) {
    it(relative(root, file), () => {
      const specifiers = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');
      for (const s of specifiers) {
        const ok =
          s.startsWith('./') || s.startsWith('../core/') || s.startsWith('../') || s === 'csv-parse/browser/esm/sync';
        expect(ok, `${s} imported by ${relative(root, file)}`).toBe(true);
        expect(s.includes('/node/'), `${s} is Node-only`).toBe(false);
      }
    });
  }
});
