// The report's network drawing names the inputs it shows, however many inputs there are.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt, runCli, tempDir } from '../cli/helpers.js';

beforeAll(requireBuilt);

describe('report network drawing with many inputs', () => {
  it('labels the sampled inputs of a 30-column table by their column names, not #index', async () => {
    const dir = tempDir();
    const names = Array.from({ length: 30 }, (_, i) => `col_${String.fromCharCode(97 + (i % 26))}${String(i)}`);
    const lines = [[...names, 'label'].join(',')];
    for (let r = 0; r < 60; r++) {
      const x = names.map((_, i) => Math.sin(r * 0.7 + i * 1.3).toFixed(3));
      lines.push([...x, Number(x[0]) + Number(x[5]) > 0 ? 'yes' : 'no'].join(','));
    }
    writeFileSync(join(dir, 'wide.csv'), `${lines.join('\n')}\n`);
    const r = await runCli(
      ['train', '--data', 'wide.csv', '--target', 'label', '--epochs', '2', '--report', 'r.html', '--out', 'm.json'],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    const svg = /<svg[^>]*class="network"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    const labels = [...svg.matchAll(/<text[^>]*class="n">([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
    const inputLabels = labels.filter((l) => l.startsWith('col_') || l.startsWith('#'));
    // 12 of the 30 inputs are drawn, each labelled with its own column's name.
    expect(inputLabels).toHaveLength(12);
    for (const l of inputLabels) expect(names).toContain(l);
    expect(html).toContain('inputs shows 12 of 30');
  });
});
