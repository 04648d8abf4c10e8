import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// eslint-plugin-import's no-cycle is not installed; this walks the relative imports of src/ and
// fails on any circle, naming it. Like import/no-cycle it skips `import type`, which is erased:
// fit.ts naming the NeuralNetwork type that calls it is not a load-order cycle.
const root = new URL('../../src/', import.meta.url).pathname;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') && !p.includes('/assembly/') ? [p] : [];
  });
}

/** Each file's relative imports and re-exports, resolved to .ts paths. */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const spec =
    /(?:^|\n)\s*(?:import|export)\s+(?!type\s)[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
  for (const f of files) {
    const deps: string[] = [];
    for (const m of readFileSync(f, 'utf8').matchAll(spec)) {
      const rel = (m[1] ?? m[2])!;
      deps.push(resolve(dirname(f), rel.replace(/\.js$/, '.ts')));
    }
    graph.set(
      f,
      deps.filter((d) => graph.has(d) || files.includes(d)),
    );
  }
  return graph;
}

/** The first cycle found by depth-first search, as a list of files, or undefined. */
export function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): string[] | undefined => {
    if (state.get(f) === 'done') return undefined;
    if (state.get(f) === 'open') return [...stack.slice(stack.indexOf(f)), f];
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(f, 'done');
    return undefined;
  };
  for (const f of graph.keys()) {
    const c = visit(f);
    if (c) return c;
  }
  return undefined;
}

describe('src has no import cycle', () => {
  it('the checker finds a planted cycle', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycle(g)).toEqual(['a', 'b', 'c', 'a']);
    expect(
      findCycle(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toBeUndefined();
  });

  it('reads real imports: src/index.ts imports the model', () => {
    const files = walk(root);
    const g = importGraph(files);
    expect(g.get(join(root, 'index.ts'))).toContain(join(root, 'model/network.ts'));
  });

  it('no file of src/ reaches itself through its imports', () => {
    const cycle = findCycle(importGraph(walk(root)));
    expect(cycle?.map((f) => f.slice(root.length)).join(' → ')).toBeUndefined();
  });
});
