import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// tinygrad-style budget: a file that grows past this is doing more than one thing.
const MAX_LINES = 400;
const root = new URL('../../src/', import.meta.url).pathname;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe('source size budget', () => {
  it(`keeps every hand-written src file at or under ${String(MAX_LINES)} lines`, () => {
    const tooLong = walk(root)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.generated.ts'))
      .map((f) => ({ file: f.slice(root.length), lines: readFileSync(f, 'utf8').trimEnd().split('\n').length }))
      .filter((f) => f.lines > MAX_LINES);
    expect(tooLong).toEqual([]);
  });

  it('keeps the core entry free of Node imports, so it runs in browsers', () => {
    const browserSafe = walk(root).filter(
      (f) =>
        f.endsWith('.ts') && /\/(core|backend|nn|optim|model|table)\//.test(f) && !/node/i.test(f.slice(root.length)),
    );
    const offenders = browserSafe.filter((f) =>
      /from ['"](node:|fs['"]|path['"]|worker_threads['"])/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders.map((f) => f.slice(root.length))).toEqual([]);
  });
});
