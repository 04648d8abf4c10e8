import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import { applyStandardize, builtinDataset, takeRows, type StandardizeStats } from '../../src/data/index.js';
import { requireBuilt, runCli, tempDir } from './helpers.js';

beforeAll(requireBuilt);

/** `row,label,p_0,p_1` (or `label,p_0,p_1`) CSV from predict. */
function parse(stdout: string): { header: string[]; rows: string[][] } {
  const [head, ...rows] = stdout.trim().split('\n');
  return { header: (head ?? '').split(','), rows: rows.map((r) => r.split(',')) };
}

interface EvalJson {
  rows: number;
  datasetRows: string;
  loss: number;
  accuracy: number;
}

describe('predict and evaluate --rows: the same rows of a built-in dataset', () => {
  const dir = tempDir();
  beforeAll(async () => {
    const args = ['--dataset', 'circles', '--seed', '4', '--test-split', '0.25', '--epochs', '4', '--layers', '8'];
    const t = await runCli(['train', ...args, '--no-report', '--json'], dir);
    expect(t.code).toBe(0);
  });

  it('default (auto): predict uses the held-out rows, as evaluate does, and says so on stderr', async () => {
    const p = await runCli(['predict', '--dataset', 'circles'], dir);
    expect(p.code).toBe(0);
    expect(p.stderr).toMatch(/^data: circles, the held-out test rows training did not use \(test split 0\.25/);
    const got = parse(p.stdout);
    expect(got.header).toEqual(['row', 'label', 'p_0', 'p_1']);
    expect(got.rows).toHaveLength(50);
    const e = await runCli(['evaluate', '--dataset', 'circles', '--json'], dir);
    const ev = JSON.parse(e.stdout) as EvalJson;
    expect(ev.rows).toBe(50);
    expect(ev.datasetRows).toBe('held-out');
    // Explicit --rows test is the same as the default here.
    const t = await runCli(['predict', '--dataset', 'circles', '--rows', 'test'], dir);
    expect(t.stdout).toBe(p.stdout);
  });

  it('the row column numbers the dataset rows, and the outputs are the model on exactly those rows', async () => {
    const p = await runCli(['predict', '--dataset', 'circles', '--rows', 'test', '--backend', 'js'], dir);
    const got = parse(p.stdout);
    const rowNumbers = got.rows.map((r) => Number(r[0]));
    const net = NeuralNetwork.fromJSON(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), { backend: 'js' });
    const std = (net.metadata['preprocessing'] as { standardize: StandardizeStats }).standardize;
    const full = builtinDataset('circles', { seed: 4 });
    const out = net.predictBatch(
      applyStandardize(
        takeRows(
          full.x,
          rowNumbers.map((n) => n - 1),
        ),
        std,
      ),
    );
    got.rows.forEach((r, i) => expect(Number(r[3])).toBe(out.data[i * 2 + 1]));
  });

  it('--rows train and --rows all: the training rows and every row, in both commands', async () => {
    const test = parse((await runCli(['predict', '--dataset', 'circles', '--rows', 'test'], dir)).stdout);
    const trainRun = await runCli(['predict', '--dataset', 'circles', '--rows', 'train'], dir);
    expect(trainRun.stderr).toMatch(/^data: circles, the rows training used/);
    const train = parse(trainRun.stdout);
    expect(train.rows).toHaveLength(150);
    const numbers = [...test.rows, ...train.rows].map((r) => Number(r[0])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const all = parse((await runCli(['predict', '--dataset', 'circles', '--rows', 'all'], dir)).stdout);
    expect(all.header).toEqual(['label', 'p_0', 'p_1']);
    expect(all.rows).toHaveLength(200);
    for (const [rows, count, kind] of [
      ['train', 150, 'training'],
      ['all', 200, 'all'],
      ['test', 50, 'held-out'],
    ] as const) {
      const e = await runCli(['evaluate', '--rows', rows, '--json'], dir);
      expect(e.code, rows).toBe(0);
      const ev = JSON.parse(e.stdout) as EvalJson;
      expect([ev.rows, ev.datasetRows]).toEqual([count, kind]);
    }
    const text = await runCli(['evaluate', '--rows', 'all', '--limit', '20'], dir);
    expect(text.stdout).toMatch(/^data: circles, every row \(--rows all\)\nrows: 20\n/);
  });

  it('an unknown --rows value, or one the model cannot answer, is a usage error (exit 2)', async () => {
    writeFileSync(join(dir, 'pts.csv'), 'x1,x2,label\n0.1,0.2,0\n');
    const cases: [string[], string][] = [
      [['predict', '--dataset', 'circles', '--rows', 'heldout'], 'Allowed choices are auto, test, train, all'],
      [['evaluate', '--rows', 'everything'], 'Allowed choices are auto, test, train, all'],
      [['predict', '--dataset', 'moons', '--rows', 'test'], 'not trained on moons'],
      [['evaluate', '--dataset', 'moons', '--rows', 'train'], 'use --rows all'],
      [['predict', '--data', 'pts.csv', '--rows', 'test'], '--rows test only applies to --dataset NAME'],
      [['evaluate', '--data', 'pts.csv', '--rows', 'all'], '--rows all only applies to --dataset NAME'],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(message);
    }
    // auto falls back to every row of a dataset the model was not trained on.
    const moons = await runCli(['predict', '--dataset', 'moons'], dir);
    expect(moons.code).toBe(0);
    expect(moons.stderr).toMatch(/^data: moons, every row \(not the dataset the model was trained on/);
  });

  it('a model trained without a test split has no test rows: --rows test is refused, auto uses every row', async () => {
    const xor = tempDir();
    expect((await runCli(['train', '--dataset', 'xor', '--epochs', '5', '--no-report', '--json'], xor)).code).toBe(0);
    const r = await runCli(['evaluate', '--rows', 'test'], xor);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no held-out rows');
    const p = await runCli(['predict', '--dataset', 'xor'], xor);
    expect(p.stderr).toMatch(/^data: xor, every row \(training used no test split/);
    expect(parse(p.stdout).rows).toHaveLength(4);
  });
});

describe('--rows on MNIST: its fixed split', () => {
  it('test (default), train and all, with --limit taking the first rows of the selection', async () => {
    const dir = tempDir();
    const t = await runCli(
      ['train', '--limit', '100', '--epochs', '1', '--layers', '8', '--augment', '0', '--no-report', '--json'],
      dir,
    );
    expect(t.code).toBe(0);
    for (const [rows, count, kind] of [
      ['auto', 2000, 'mnist-test'],
      ['test', 2000, 'mnist-test'],
      ['train', 8000, 'mnist-train'],
      ['all', 10000, 'all'],
    ] as const) {
      const e = await runCli(['evaluate', '--rows', rows, '--json'], dir);
      expect(e.code, rows).toBe(0);
      const ev = JSON.parse(e.stdout) as EvalJson;
      expect([ev.rows, ev.datasetRows], rows).toEqual([count, kind]);
    }
    const p = await runCli(['predict', '--dataset', 'mnist', '--rows', 'train', '--limit', '3'], dir);
    expect(p.code).toBe(0);
    expect(p.stderr).toMatch(/^data: mnist, its fixed training split\n/);
    expect(parse(p.stdout).rows).toHaveLength(3);
    expect(parse(p.stdout).header[0]).toBe('label');
  });
});
