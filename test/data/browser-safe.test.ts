import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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
        // Relative imports must stay inside src/data (outside node/) or src/core.
        const target = relative(join(root, '..'), resolve(dirname(file), s));
        const inData = target.startsWith('data/') && !target.startsWith('data/node/');
        expect(
          s.startsWith('.') && (target.startsWith('core/') || inData),
          `${s} imported by ${relative(root, file)}`,
        ).toBe(true);
      }
    });
  }
});
