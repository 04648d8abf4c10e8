import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NeuralNetwork, TableModel, fitTable } from '../../src/index.js';
import { applyStandardize, parseCsv, readCsvTable, standardize, type CsvRecord } from '../../src/data/index.js';
import { prepareTable } from '../../src/cli/table-data.js';
import { messyRows } from '../helpers/tables.js';
import { requireBuilt, runCli, smallCsv, tempDir } from './helpers.js';

beforeAll(requireBuilt);

function toCsv(rows: readonly CsvRecord[]): string {
  const cols = Object.keys(rows[0]!);
  return `${[cols.join(','), ...rows.map((r) => cols.map((c) => String(r[c] ?? '')).join(','))].join('\n')}\n`;
}

/** The label and probabilities predict printed, per row. */
function predictions(stdout: string): { labels: string[]; probs: number[][] } {
  const rows = stdout.trim().split('\n').slice(1);
  return { labels: rows.map((r) => r.split(',')[0]!), probs: rows.map((r) => r.split(',').slice(1).map(Number)) };
}

describe('neurite train --data on a table with an id, dates, gaps and text', () => {
  const dir = tempDir();
  const train = messyRows(300, 1).map((r, i) => ({
    ...r,
    note: `free text ${String(i)}`,
    kind: i % 23 === 0 ? '' : r['kind'],
  }));
  const test = [...messyRows(40, 7), { id: '999', seen: '2022-02-02', x: '', colour: 'ultraviolet', kind: 'big' }];
  writeFileSync(join(dir, 'train.csv'), toCsv(train));
  writeFileSync(join(dir, 'test.csv'), toCsv(test.map((r) => ({ ...r, note: 'unseen' }))));

  it('trains, telling what preprocessing did; predicts a file with unseen categories and missing cells', async () => {
    const t = await runCli(
      ['train', '--data', 'train.csv', '--target', 'kind', '--epochs', '60', '--report', 'messy.html'],
      dir,
    );
    expect(t.code, t.stderr).toBe(0);
    // Printed, and shown in the report: dropped columns, the date turned into numbers, the encodings,
    // the imputed cells with their counts, and the rows left out for a missing target.
    const report = readFileSync(join(dir, 'messy.html'), 'utf8');
    const section = report.slice(
      report.indexOf('id="preprocessing"'),
      report.indexOf('</section>', report.indexOf('id="preprocessing"')),
    );
    expect(report).toContain('id="baseline"');
    for (const note of [
      'id: dropped, row identifier',
      'note: dropped, text nearly unique per row',
      'seen: date → days since 1970, month',
      'colour: categorical, one-hot over 3 levels',
      /x: \d+ cells \([\d.]+%\) missing, filled with the median/,
      /colour: \d+ cells \([\d.]+%\) missing, filled with the most frequent value/,
      '14 rows of the file have no target and were left out',
    ]) {
      if (typeof note === 'string') {
        expect(t.stderr).toContain(note);
        expect(section).toContain(note);
      } else {
        expect(t.stderr).toMatch(note);
        expect(section).toMatch(note);
      }
    }
    const p = await runCli(['predict', '--data', 'test.csv', '--backend', 'js'], dir);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stderr).toContain('colour: 1 cell with a category not seen in training ("ultraviolet"), ignored');
    expect(p.stderr).toMatch(/filled in \d+ missing cells/);
    expect(predictions(p.stdout).labels).toHaveLength(test.length);
    const e = await runCli(['evaluate', '--data', 'test.csv', '--json'], dir);
    const score = JSON.parse(e.stdout) as { rows: number; accuracy: number; preprocessing: string[] };
    expect(score.rows).toBe(test.length);
    expect(score.accuracy).toBeGreaterThan(0.8);
    expect(score.preprocessing.join('\n')).toContain('ultraviolet');
  });

  it('the library and the CLI give identical predictions from the same raw rows', async () => {
    const model = TableModel.fromJSON(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), { backend: 'js' });
    const records = readCsvTable(readFileSync(join(dir, 'test.csv'), 'utf8')).records;
    const lib = model.predict(records);
    if (lib.task !== 'classification') throw new Error('expected classification');
    const cli = predictions((await runCli(['predict', '--data', 'test.csv', '--backend', 'js'], dir)).stdout);
    expect(cli.labels).toEqual(lib.labels);
    expect(cli.probs).toEqual(lib.probabilities.map((r) => r.map((v) => Number(String(v)))));
  });

  it('a model made by the library works in predict, evaluate and inspect', async () => {
    const model = await fitTable(train, { target: 'kind', seed: 4, epochs: 40, backend: 'js' });
    writeFileSync(join(dir, 'lib.json'), JSON.stringify(model.toJSON()));
    const p = await runCli(['predict', '--model', 'lib.json', '--data', 'test.csv', '--backend', 'js'], dir);
    expect(p.code, p.stderr).toBe(0);
    const lib = model.predict(readCsvTable(readFileSync(join(dir, 'test.csv'), 'utf8')).records);
    if (lib.task !== 'classification') throw new Error('expected classification');
    expect(predictions(p.stdout).labels).toEqual(lib.labels);
    const e = await runCli(['evaluate', '--model', 'lib.json', '--data', 'test.csv'], dir);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/accuracy: \d+\.\d\d%/);
    const i = await runCli(['inspect', '--model', 'lib.json'], dir);
    expect(i.code, i.stderr).toBe(0);
    expect(i.stdout).toContain('fitTable');
  });

  it('--drop-invalid leaves out rows with a gap in a used column instead of filling them in (train and evaluate)', async () => {
    const gap = (r: CsvRecord): boolean => r['x'] === '' || r['colour'] === 'NA';
    const labelled = train.filter((r) => r['kind'] !== '');
    const dropped = labelled.filter(gap).length;
    expect(dropped).toBeGreaterThan(10);
    const t = await runCli(
      [
        'train',
        '--data',
        'train.csv',
        '--target',
        'kind',
        '--drop-invalid',
        '--epochs',
        '2',
        '--out',
        'd.json',
        '--no-report',
      ],
      dir,
    );
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toContain(`skipped ${String(dropped)} invalid rows (--drop-invalid)`);
    // Nothing was left to fill in, so no missing-indicator input either.
    expect(t.stderr).not.toMatch(/missing/i);
    const model = JSON.parse(readFileSync(join(dir, 'd.json'), 'utf8')) as {
      metadata: { training: { trainRows: number }; pipeline: { featureNames: string[] } };
    };
    expect(model.metadata.training.trainRows).toBe(labelled.length - dropped);
    expect(model.metadata.pipeline.featureNames.join()).not.toContain('(missing)');
    const e = await runCli(['evaluate', '--model', 'd.json', '--data', 'test.csv', '--drop-invalid', '--json'], dir);
    expect(e.code, e.stderr).toBe(0);
    expect((JSON.parse(e.stdout) as { rows: number }).rows).toBe(test.filter((r) => !gap(r)).length);
  });

  it('--weight-decay sets the L2 penalty the settings chosen from the data would (1e-4), and it trains with it', async () => {
    const run = async (out: string, extra: string[]): Promise<{ stderr: string; model: Record<string, unknown> }> => {
      const args = ['train', '--data', 'train.csv', '--target', 'kind', '--epochs', '3', '--backend', 'js'];
      const r = await runCli([...args, '--no-report', '--out', out, ...extra], dir);
      expect(r.code, r.stderr).toBe(0);
      return { stderr: r.stderr, model: JSON.parse(readFileSync(join(dir, out), 'utf8')) as Record<string, unknown> };
    };
    const plain = await run('wd0.json', []);
    const decayed = await run('wd1.json', ['--weight-decay', '0.05']);
    expect(plain.stderr).toMatch(/settings chosen for .*weight decay 0\.0001/);
    expect(decayed.stderr).toMatch(/settings chosen for .*weight decay 0\.05/);
    const settings = (m: Record<string, unknown>): { weightDecay: number } =>
      (m['metadata'] as { training: { settings: { weightDecay: number } } }).training.settings;
    expect(settings(decayed.model).weightDecay).toBe(0.05);
    expect(JSON.stringify(decayed.model['weights'])).not.toBe(JSON.stringify(plain.model['weights']));
  });

  it('--features, --exclude, --impute and --scale choose the columns and the transforms', async () => {
    const r = await runCli(
      [
        'train',
        '--data',
        'train.csv',
        '--target',
        'kind',
        '--features',
        'x,colour,id',
        '--exclude',
        '3',
        '--impute',
        'mean',
        '--scale',
        'minmax',
        '--epochs',
        '2',
        '--out',
        'f.json',
        '--no-report',
      ],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const pipeline = (
      JSON.parse(readFileSync(join(dir, 'f.json'), 'utf8')) as {
        metadata: { pipeline: { steps: Record<string, unknown>[] } };
      }
    ).metadata.pipeline;
    // id is kept because it was asked for; column 3 (x) is excluded.
    expect(pipeline.steps.map((s) => s['column'])).toEqual(['colour', 'id']);
    expect(pipeline.steps[1]).toMatchObject({ kind: 'numeric', impute: 'mean', scale: { method: 'minmax' } });
  });
});

describe('the pipeline is fitted on the training rows only', () => {
  it('a held-out row’s value does not change the fitted medians and means; a training row’s does', () => {
    const dir = tempDir();
    const rows = messyRows(100, 3);
    const fit = (data: CsvRecord[]): { pipeline: unknown; testRows: readonly number[] } => {
      writeFileSync(join(dir, 't.csv'), toCsv(data));
      const t = prepareTable({
        file: join(dir, 't.csv'),
        target: ['kind'],
        task: 'auto',
        testFraction: 0.25,
        defaultTestFraction: () => 0.25,
        seed: 5,
        impute: 'mean',
      });
      return { pipeline: t.preprocessing.pipeline, testRows: t.testRows };
    };
    const base = fit(rows);
    expect(base.testRows).toHaveLength(25);
    const heldOut = base.testRows[0]! - 1;
    const trained = [...Array(100).keys()].find((i) => !base.testRows.includes(i + 1))!;
    const change = (i: number): CsvRecord[] => rows.map((r, j) => (j === i ? { ...r, x: '1e6' } : r));
    expect(fit(change(heldOut)).pipeline).toEqual(base.pipeline);
    expect(fit(change(trained)).pipeline).not.toEqual(base.pipeline);
  });
});

describe('model files written before the pipeline', () => {
  it('still load and predict from their CSV encoding record', async () => {
    const dir = tempDir();
    const text = smallCsv(60);
    writeFileSync(join(dir, 'old.csv'), text);
    // What `neurite train --data` wrote until now: metadata.preprocessing with a csv encoding and input statistics.
    const { dataset, encoding } = parseCsv(text, { target: 'kind' });
    const stats = standardize(dataset.x);
    const net = new NeuralNetwork({
      layers: [dataset.x.cols, 8, 2],
      outputActivation: 'softmax',
      loss: 'categoricalCrossEntropy',
      seed: 1,
      backend: 'js',
    });
    await net.fit(applyStandardize(dataset.x, stats), dataset.y, { epochs: 5 });
    net.metadata = {
      preprocessing: {
        format: 'neurite-preprocessing',
        version: 1,
        source: { kind: 'csv', file: 'old.csv' },
        task: 'classification',
        featureNames: dataset.featureNames,
        targetNames: dataset.targetNames,
        classes: dataset.classes,
        standardize: stats,
        targetStandardize: null,
        csv: encoding,
      },
    };
    writeFileSync(join(dir, 'old.json'), JSON.stringify(net.toJSON()));
    const p = await runCli(['predict', '--model', 'old.json', '--data', 'old.csv', '--backend', 'js'], dir);
    expect(p.code, p.stderr).toBe(0);
    const out = net.predictBatch(applyStandardize(dataset.x, stats));
    predictions(p.stdout).probs.forEach((row, i) =>
      expect(row).toEqual(Array.from(out.data.subarray(2 * i, 2 * i + 2))),
    );
  });
});
