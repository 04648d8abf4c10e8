import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { kFold, stratifiedKFold } from '../../src/data/index.js';
import { hasSklearn, runPythonJson } from '../helpers/python.js';
import { CLI, requireBuilt, runCli, tempDir } from './helpers.js';

beforeAll(requireBuilt);

interface CvJson {
  metric: string;
  folds: { score: number }[];
  mean: number;
  std: number;
}
interface TuneJson {
  metric: string;
  trials: { params: Record<string, number | string>; score: number }[];
  best: { params: Record<string, number | string>; score: number };
}

const dir = tempDir();
/** Writes scikit-learn's bundled tables as CSV files (header row, `target` last). */
function writeTables(): boolean {
  if (!hasSklearn()) return false;
  runPythonJson(
    `
import sys
from sklearn.datasets import load_wine, load_diabetes
d = sys.stdin.read()
load_wine(as_frame=True).frame.to_csv(d + '/wine.csv', index=False)
load_diabetes(as_frame=True).frame.to_csv(d + '/diabetes.csv', index=False)
print('[]')
`,
    dir,
  );
  return true;
}
const haveTables = writeTables();
const wine = ['--data', join(dir, 'wine.csv'), '--target', 'target'];

async function json<T>(args: string[]): Promise<T> {
  const r = await runCli(args, dir);
  expect(r.stderr).toBe('');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

describe.skipIf(!haveTables)('neurite cv and tune on real tables', () => {
  it('cv --json prints exactly metric, folds, mean and std; the mean is close to a single split', async () => {
    const cv = await json<CvJson>(['cv', ...wine, '--epochs', '30', '--json']);
    expect(Object.keys(cv)).toEqual(['metric', 'folds', 'mean', 'std']);
    expect(cv.metric).toBe('accuracy');
    expect(cv.folds).toHaveLength(5);
    for (const f of cv.folds) expect(Object.keys(f)).toEqual(['score']);
    const scores = cv.folds.map((f) => f.score);
    expect(cv.mean).toBeCloseTo(scores.reduce((a, b) => a + b) / 5, 12);
    expect(cv.std).toBeCloseTo(Math.sqrt(scores.reduce((a, b) => a + (b - cv.mean) ** 2, 0) / 5), 12);
    // A --data file trains on every row by default: ask for the 20% test split to compare with.
    const single = await runCli(
      ['train', ...wine, '--test-split', '0.2', '--epochs', '30', '--no-report', '--json'],
      dir,
    );
    const testAccuracy = (JSON.parse(single.stdout) as { testAccuracy: number }).testAccuracy;
    // 36 test rows: one row is 2.8 points, so allow a few rows' difference.
    expect(Math.abs(cv.mean - testAccuracy)).toBeLessThan(0.08);
    expect(cv.mean).toBeGreaterThan(0.9);
  }, 120_000);

  it("each cv fold is exactly train on that fold's rows (preprocessing fitted on them only), scored as evaluate scores it", async () => {
    for (const [file, metric] of [
      ['wine.csv', 'accuracy'],
      ['diabetes.csv', 'r2'],
    ] as const) {
      const args = ['--data', join(dir, file), '--target', 'target', '--epochs', '8'];
      const cv = await json<CvJson>(['cv', ...args, '--folds', '3', '--workers', '1', '--json']);
      expect(cv.metric).toBe(metric);
      // The same folds as cv makes (seed 1): stratified by the class for wine.
      const [header, ...lines] = readFileSync(join(dir, file), 'utf8').trimEnd().split('\n');
      const targets = lines.map((l) => Number(l.split(',').at(-1)));
      const folds =
        metric === 'accuracy'
          ? stratifiedKFold(targets, { folds: 3, seed: 1 })
          : kFold(lines.length, { folds: 3, seed: 1 });
      const fold = folds[1];
      if (fold === undefined) throw new Error('no fold');
      const write = (name: string, rows: Int32Array): string => {
        writeFileSync(join(dir, name), `${[header, ...Array.from(rows, (r) => lines[r])].join('\n')}\n`);
        return name;
      };
      const trained = await runCli(
        [
          'train',
          '--data',
          write('fold-train.csv', fold.train),
          '--target',
          'target',
          '--epochs',
          '8',
          '--out',
          'fold.json',
          '--no-report',
        ],
        dir,
      );
      expect(trained.code, trained.stderr).toBe(0);
      const ev = await json<{ accuracy?: number; r2?: number | number[] }>([
        'evaluate',
        '--model',
        'fold.json',
        '--data',
        write('fold-test.csv', fold.test),
        '--json',
      ]);
      const expected = metric === 'accuracy' ? ev.accuracy : [ev.r2].flat()[0];
      expect(cv.folds[1]?.score).toBeCloseTo(expected as number, 6);
    }
  }, 120_000);

  it('cv scores regression with R² by default and --metric rmse on request', async () => {
    const args = ['cv', '--data', join(dir, 'diabetes.csv'), '--target', 'target', '--epochs', '10', '--folds', '3'];
    const r2 = await json<CvJson>([...args, '--json']);
    expect(r2.metric).toBe('r2');
    expect(r2.mean).toBeLessThan(1);
    const rmse = await json<CvJson>([...args, '--metric', 'rmse', '--json']);
    expect(rmse.metric).toBe('rmse');
    // In the target's units (diabetes progression, std about 77): far above a standardised scale.
    expect(rmse.mean).toBeGreaterThan(20);
    expect(rmse.mean).toBeLessThan(150);
  }, 120_000);

  it('tune --json: every trial scored, best at least as good as the default settings cross-validated', async () => {
    const common = [...wine, '--folds', '3', '--epochs', '12'];
    const base = await json<CvJson>(['cv', ...common, '--json']);
    const t = await json<TuneJson>([
      'tune',
      ...common,
      '--trials',
      '5',
      '--no-report',
      '--out',
      'tuned.json',
      '--json',
    ]);
    expect(Object.keys(t)).toEqual(['metric', 'trials', 'best']);
    expect(t.metric).toBe('accuracy');
    // Halving with 5 candidates: 5 at 4 epochs, then the best 2 at 12.
    expect(t.trials).toHaveLength(7);
    for (const trial of t.trials) expect(Object.keys(trial)).toEqual(['params', 'score']);
    // The first candidate is what train --data chooses for wine (13 inputs, 178 rows): 64 ReLU units,
    // Adam 1e-3, weight decay 1e-4, batch 16.
    expect(t.trials[0]?.params).toEqual({
      hidden: '64',
      learningRate: 0.001,
      weightDecay: 1e-4,
      batchSize: 16,
      activation: 'relu',
      dropout: 0,
      epochs: 4,
    });
    expect(Object.keys(t.trials[1]?.params ?? {}).sort()).toEqual(
      ['activation', 'batchSize', 'depth', 'dropout', 'epochs', 'learningRate', 'weightDecay', 'width'].sort(),
    );
    expect(t.best.params['epochs']).toBe(12);
    expect(t.best.score).toBeGreaterThanOrEqual(base.mean);
    const last = t.trials.filter((x) => x.params['epochs'] === 12).map((x) => x.score);
    expect(t.best.score).toBe(Math.max(...last));
  }, 180_000);

  it('gives the same results on worker threads as in-process', async () => {
    const args = ['tune', ...wine, '--folds', '2', '--epochs', '6', '--trials', '3', '--no-report', '--json'];
    const serial = await runCli([...args, '--workers', '1'], dir);
    const parallel = await runCli([...args, '--workers', '2'], dir);
    expect(serial.code).toBe(0);
    expect(parallel.stdout).toBe(serial.stdout);
  }, 180_000);

  it('refuses bad options with a usage error and a hint', async () => {
    const cases: [string[], RegExp][] = [
      [['cv', ...wine, '--folds', '1'], /--folds.*integer >= 2/],
      [['cv', ...wine, '--folds', '500'], /at most the number of rows.*fewer folds/],
      [
        ['cv', ...wine, '--metric', 'rmse'],
        /regression metric "rmse" for a classification target; expected one of: accuracy, balancedAccuracy, .*f1Macro/,
      ],
      [['cv', ...wine, '--metric', 'nope'], /unknown metric "nope"/],
      [['tune', ...wine, '--trials', '0'], /--trials.*integer >= 1/],
      [['tune', ...wine, '--strategy', 'grid'], /--strategy.*halving, random|Allowed choices are random, halving/],
      [['cv', '--data', join(dir, 'wine.csv')], /--target/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  }, 120_000);

  it('in text, cv prints each fold, the mean and the std; tune a leaderboard, the best, and the refit it wrote', async () => {
    const common = [...wine, '--folds', '3', '--epochs', '5', '--workers', '1'];
    const cv = await runCli(['cv', ...common], dir);
    expect(cv.code, cv.stderr).toBe(0);
    const folds = [...cv.stdout.matchAll(/^fold (\d): accuracy ([\d.]+) \((\d+) training rows, (\d+) held out\)$/gm)];
    expect(folds.map((m) => m[1])).toEqual(['1', '2', '3']);
    expect(folds.reduce((a, m) => a + Number(m[4]), 0)).toBe(178);
    const scores = folds.map((m) => Number(m[2]));
    const mean = scores.reduce((a, b) => a + b) / 3;
    const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
    const summary = /^accuracy: mean ([\d.]+), std ([\d.]+) over 3 folds$/m.exec(cv.stdout);
    expect(Number(summary?.[1])).toBeCloseTo(mean, 3);
    expect(Number(summary?.[2])).toBeCloseTo(std, 3);
    const t = await runCli(['tune', ...common, '--trials', '2', '--out', 'text-tuned.json', '--no-report'], dir);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/^rank +round +score +std +parameters$/m);
    expect(t.stdout).toMatch(/^ +1 +\d +[\d.]+ +[\d.]+ +\S+=/m);
    expect(t.stdout).toMatch(/^best: accuracy [\d.]+ ± [\d.]+ with /m);
    expect(t.stdout).toMatch(/^refit: \d+ epochs on 178 rows \(\d+ for validation\); wrote text-tuned\.json$/m);
    expect(existsSync(join(dir, 'text-tuned.json'))).toBe(true);
  }, 180_000);

  it('Ctrl-C stops tune cleanly: exit 130, no model written', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'tune', ...wine, '--trials', '30', '--out', 'stopped.json', '--workers', '2'],
      {
        cwd: dir,
      },
    );
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // Once the first candidate is scored the search is under way: interrupt it.
        if (stderr.includes('candidate ') && !child.killed) child.kill('SIGINT');
      });
      child.on('close', resolve);
    });
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted');
    expect(existsSync(join(dir, 'stopped.json'))).toBe(false);
  }, 120_000);
});
