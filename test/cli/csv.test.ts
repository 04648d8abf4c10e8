import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IRIS_CLASSES, IRIS_ROWS } from '../../src/data/iris.generated.js';
import { requireBuilt, runCli, tempDir } from './helpers.js';

beforeAll(requireBuilt);

// Debian's python3-sklearn ships the wine table as a CSV file (CI installs it).
const WINE = '/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv';
const haveWine = existsSync(WINE) || process.env['CI'] === 'true';

interface ModelJson {
  params: unknown;
  metadata: { preprocessing: Record<string, unknown> & { source: Record<string, unknown> } };
}

function model(dir: string, file: string): ModelJson {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as ModelJson;
}

/** Everything in a model file that depends on the encoded inputs: weights and fitted scaling. */
function fitted(m: ModelJson): unknown {
  const p = m.metadata.preprocessing;
  return { params: m.params, standardize: p['standardize'], classes: p['classes'] };
}

/** Writes rows of numbers (and a last text/label cell) with a delimiter and decimal separator. */
function table(rows: readonly (readonly (number | string)[])[], delimiter: string, decimal: '.' | ','): string {
  const cell = (v: number | string): string =>
    typeof v === 'number' && decimal === ',' ? String(v).replace('.', ',') : String(v);
  return `${rows.map((r) => r.map(cell).join(delimiter)).join('\n')}\n`;
}

describe('CLI: CSV files as people write them', () => {
  const dir = tempDir();
  const header = ['sepal length', 'sepal width', 'petal length', 'petal width', 'species'];
  const rows = IRIS_ROWS.map((r) => [...r.slice(0, 4), IRIS_CLASSES[r[4]] ?? '']);
  writeFileSync(join(dir, 'iris.csv'), table([header, ...rows], ',', '.'));
  writeFileSync(join(dir, 'iris-eu.csv'), table([header, ...rows], ';', ','));
  const train = ['--epochs', '4', '--seed', '3', '--no-report', '--backend', 'js'];

  it("trains on a ';'/decimal-comma copy of iris exactly as on the ','-file, and says how it read it", async () => {
    const a = await runCli(['train', '--data', 'iris.csv', '--target', 'species', '--out', 'a.json', ...train], dir);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toContain("read iris.csv: 150 rows, 5 columns, ','-separated\n");
    const b = await runCli(['train', '--data', 'iris-eu.csv', '--target', '5', '--out', 'b.json', ...train], dir);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain("read iris-eu.csv: 150 rows, 5 columns, ';'-separated, decimal comma\n");
    const ma = model(dir, 'a.json');
    const mb = model(dir, 'b.json');
    expect(mb.metadata.preprocessing['featureNames']).toEqual([
      'sepal length',
      'sepal width',
      'petal length',
      'petal width',
    ]);
    expect(fitted(mb)).toEqual(fitted(ma));
    expect(mb.metadata.preprocessing.source['format']).toEqual({ delimiter: ';', decimal: ',', header: true });
  });

  it('predict and evaluate read a file like the training file with no flags, and a comma file too', async () => {
    const pa = await runCli(['predict', '--model', 'a.json', '--data', 'iris.csv', '--backend', 'js'], dir);
    const pb = await runCli(['predict', '--model', 'b.json', '--data', 'iris-eu.csv', '--backend', 'js'], dir);
    expect(pb.code, pb.stderr).toBe(0);
    expect(pb.stdout).toBe(pa.stdout);
    expect(pa.stdout.trim().split('\n')).toHaveLength(151);
    const pc = await runCli(['predict', '--model', 'b.json', '--data', 'iris.csv', '--backend', 'js'], dir);
    expect(pc.stdout).toBe(pa.stdout);
    const e = await runCli(
      ['evaluate', '--model', 'b.json', '--data', 'iris-eu.csv', '--json', '--backend', 'js'],
      dir,
    );
    expect(e.code, e.stderr).toBe(0);
    expect((JSON.parse(e.stdout) as { rows: number }).rows).toBe(150);
    // An explicit flag still wins: read as '.'-decimal, the cells are not numbers.
    const f = await runCli(['evaluate', '--model', 'b.json', '--data', 'iris-eu.csv', '--decimal', '.'], dir);
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/column "sepal length": expected a number, found "5,1"/);
    const g = await runCli(['evaluate', '--model', 'b.json', '--data', 'iris-eu.csv', '--no-header'], dir);
    expect(g.code).toBe(1);
    expect(g.stderr).toMatch(/missing feature columns? "sepal length".*; the rows have: 1, 2, 3, 4, 5/);
  });

  it('a wrong --delimiter fails naming the row, the counts and the delimiter to pass', async () => {
    const r = await runCli(
      ['train', '--data', 'iris-eu.csv', '--target', 'species', '--delimiter', ',', ...train],
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^neurite: CSV row 1 \(line 2\) has 5 fields, expected 1 as in the header \(149 more rows like it\).*Likely: the file is ';'-separated: pass --delimiter ';'/,
    );
    const bad = await runCli(['train', '--data', 'iris.csv', '--target', 'species', '--delimiter', ';;'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--delimiter.*expected auto, one character/);
    const dec = await runCli(['train', '--data', 'iris.csv', '--target', 'species', '--decimal', 'x'], dir);
    expect(dec.code).toBe(2);
  });

  it('an unknown target among many columns lists the closest names, not all of them', async () => {
    const wide = Array.from({ length: 60 }, (_, i) => `pixel_${String(i)}`);
    writeFileSync(
      join(dir, 'wide.csv'),
      table(
        [
          [...wide, 'label'],
          [...wide.map((_, i) => i), 'a'],
        ],
        ',',
        '.',
      ),
    );
    const r = await runCli(['train', '--data', 'wide.csv', '--target', 'lable'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^neurite: unknown target column "lable"; closest of the 61 columns: label, /);
    expect(r.stderr).not.toContain('pixel_40');
  });

  it.skipIf(!haveWine)(
    "wine without a header, ';'-separated with decimal commas: --no-header --target 14 trains as the named ','-file",
    async () => {
      // The file's first line is scikit-learn's metadata (178,13,class_0,…), then 178 header-less rows.
      const wine = readFileSync(WINE, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',').map(Number));
      expect(wine).toHaveLength(178);
      const names = [...Array.from({ length: 13 }, (_, i) => `f${String(i + 1)}`), 'class'];
      writeFileSync(join(dir, 'wine.csv'), table([names, ...wine], ',', '.'));
      writeFileSync(join(dir, 'wine-eu.txt'), table(wine, '\t', ','));
      const a = await runCli(['train', '--data', 'wine.csv', '--target', 'class', '--out', 'wa.json', ...train], dir);
      expect(a.code, a.stderr).toBe(0);
      const b = await runCli(
        ['train', '--data', 'wine-eu.txt', '--no-header', '--target', '14', '--out', 'wb.json', ...train],
        dir,
      );
      expect(b.code, b.stderr).toBe(0);
      expect(b.stderr).toContain('read wine-eu.txt: 178 rows, 14 columns, tab-separated, decimal comma, no header\n');
      expect(fitted(model(dir, 'wb.json'))).toEqual(fitted(model(dir, 'wa.json')));
      // Without --no-header the first row is taken as names, and the note says so.
      const c = await runCli(['train', '--data', 'wine-eu.txt', '--target', '14', '--out', 'wc.json', ...train], dir);
      expect(c.stderr).toMatch(/note: the first row \("14,23", "1,71", .*\) looks like data.*--no-header/);
      // The model remembers: evaluate on the header-less file needs no flags.
      const e = await runCli(
        ['evaluate', '--model', 'wb.json', '--data', 'wine-eu.txt', '--json', '--backend', 'js'],
        dir,
      );
      expect(e.code, e.stderr).toBe(0);
      expect((JSON.parse(e.stdout) as { rows: number }).rows).toBe(178);
      // --header overrides the model's record: the first row then names the columns.
      const h = await runCli(['evaluate', '--model', 'wb.json', '--data', 'wine-eu.txt', '--header'], dir);
      expect(h.stderr).toMatch(/missing feature columns "1".*; the rows have: .*14,23, 1,71/);
    },
  );
});
