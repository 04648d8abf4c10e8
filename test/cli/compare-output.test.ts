// neurite compare's table and page: numeric columns aligned alike, and the page in the report's style.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fmtColumn, textTable } from '../../src/cli/output.js';
import { requireBuilt, runCli, tempDir } from './helpers.js';

beforeAll(requireBuilt);

describe('fmtColumn / textTable', () => {
  it('gives a column one number of decimals, and exponents when magnitudes are too far apart', () => {
    expect(fmtColumn([0.6931, 0.01234, 1.5])).toEqual(['0.69310', '0.01234', '1.50000']);
    expect(fmtColumn([2, 0.5])).toEqual(['2.0000', '0.5000']);
    expect(fmtColumn([0.5, 1.234e-6])).toEqual(['5.000e-1', '1.234e-6']);
    expect(fmtColumn([NaN, 0.25])).toEqual(['—', '0.2500']);
  });

  it('aligns a column as told, header included', () => {
    const t = textTable(
      [
        ['name', 'loss'],
        ['a', '0.5'],
        ['bbbbbb', '12.25'],
      ],
      ['left', 'right'],
    ).split('\n');
    expect(t).toEqual(['name     loss', 'a         0.5', 'bbbbbb  12.25']);
  });
});

/** Where each cell of a column ends, found from the header's right edge. */
function columnEnd(header: string, name: string): number {
  const at = header.indexOf(name);
  expect(at).toBeGreaterThan(-1);
  return at + name.length;
}

describe('neurite compare output', () => {
  it('right-aligns every numeric column under its header, decimal points in line, and styles the page like the report', async () => {
    const dir = tempDir();
    const args = ['--dataset', 'moons', '--epochs', '4', '--seed', '2'];
    const r = await runCli(
      ['compare', ...args, '--activations', 'sigmoid,relu,linear', '--runs', '2', '--report', 'c.html'],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.length > 0 && !l.startsWith('wrote'));
    const [header, ...rows] = lines as [string, ...string[]];
    expect(rows).toHaveLength(3);
    for (const name of ['final loss', 'test accuracy', 'seconds']) {
      const end = columnEnd(header, name);
      const points = rows.map((row) => {
        // The cell ends exactly where the header does (right-aligned) …
        expect(row[end - 1], `${name} in "${row}"`).toMatch(/[\d%]/);
        expect(row[end] ?? ' ').toBe(' ');
        // … and its decimal point sits in the same column on every row.
        return row.lastIndexOf('.', end);
      });
      expect(new Set(points).size, `${name}: ${rows.join(' | ')}`).toBe(1);
    }
    // The two ± sd columns are there with several runs.
    expect(header.match(/± sd/g)).toHaveLength(2);

    const page = readFileSync(join(dir, 'c.html'), 'utf8');
    const t = await runCli(['train', ...args, '--report', 'r.html', '--out', 'm.json'], dir);
    expect(t.code, t.stderr).toBe(0);
    const report = readFileSync(join(dir, 'r.html'), 'utf8');
    const style = (html: string): string => /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? 'none';
    expect(style(page).length).toBeGreaterThan(500);
    expect(style(page)).toBe(style(report));
    expect(page).toContain('<table class="grid">');
    expect(page).toMatch(/<section id="chart">[\s\S]*<svg/);
    expect(page).toContain('<h1>neurite compare · moons</h1>');
  });
});
