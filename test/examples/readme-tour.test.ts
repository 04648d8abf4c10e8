// The README's API tour, copied out of README.md and run as one module: every name a snippet uses
// must be defined by the snippets before it, so a reader can paste them in order.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The ```ts blocks of the README between `## API tour` and the next top-level section. */
export function tourSnippets(readme: string): string[] {
  const start = readme.indexOf('## API tour');
  const end = readme.indexOf('\n## ', start + 1);
  expect(start).toBeGreaterThan(-1);
  return [...readme.slice(start, end).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

describe("README's API tour", () => {
  it('runs as written, snippet after snippet, with the package names pointing at the sources', () => {
    const snippets = tourSnippets(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(snippets.length).toBeGreaterThanOrEqual(4);
    // Snippets reading the reader's own files (neurite/data/node: wine.csv …) are left out.
    const source = snippets
      .filter((snippet) => !snippet.includes("from 'neurite/data/node'"))
      .join('\n')
      .replace(/from 'neurite\/data'/g, `from '${join(ROOT, 'src/data/index.ts')}'`)
      .replace(/from 'neurite\/io'/g, `from '${join(ROOT, 'src/io/index.ts')}'`)
      .replace(/from 'neurite'/g, `from '${join(ROOT, 'src/index.ts')}'`);
    expect(source).not.toMatch(/from 'neurite/);
    // What the tour computed, printed last so the test can check it learned.
    const report = `
console.log('TOUR ' + JSON.stringify({
  loss: history.loss,
  valLoss: history.valLoss,
  circles: clf.evaluate(applyStandardize(test.x, stats), test.y, { metrics: ['accuracy'] }),
  roundTrip: same.predict([160, 60, 30])[0] === net.predict([160, 60, 30])[0],
  neuron: net.getNeuron(0, 1),
}));`;
    const dir = mkdtempSync(join(tmpdir(), 'neurite-readme-'));
    try {
      const file = join(dir, 'tour.mts');
      writeFileSync(file, source + report);
      const out = execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, encoding: 'utf8' });
      // The Errors snippet printed the code and message of a wrong-sized input.
      expect(out).toContain('SHAPE_MISMATCH input must have 3 values, got 2');
      const line = out.split('\n').find((l) => l.startsWith('TOUR ')) ?? '';
      const r = JSON.parse(line.slice(5)) as {
        loss: number[];
        valLoss: number[];
        circles: { loss: number; accuracy: number };
        roundTrip: boolean;
        neuron: { weights: number[]; bias: number };
      };
      expect(r.loss.length).toBeGreaterThan(0);
      expect(r.valLoss).toHaveLength(r.loss.length);
      expect(r.loss.at(-1)).toBeLessThan((r.loss[0] as number) / 2);
      expect(r.circles.accuracy).toBeGreaterThan(0.9);
      expect(r.roundTrip).toBe(true);
      expect(r.neuron.weights.map(Math.fround)).toEqual([0.5, -0.2, 0.1].map(Math.fround));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
