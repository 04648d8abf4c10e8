// Every metric and the baseline in `train`/`evaluate` output and in the report; a model that does
// not beat its baseline is flagged.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, classificationBaseline, classificationMetrics } from '../../src/index.js';
import { requireBuilt, runCli, smallCsv, tempDir } from './helpers.js';

beforeAll(requireBuilt);

/** y = 3·a − 2·b + 50 plus a little noise (a network beats the mean easily), or noise alone. */
function regressionCsv(rows = 120, signal = 1): string {
  const rng = new Rng(5);
  const lines = ['a,b,y'];
  for (let i = 0; i < rows; i++) {
    const a = rng.uniform(0, 10);
    const b = rng.uniform(0, 10);
    lines.push(`${a.toFixed(3)},${b.toFixed(3)},${(signal * (3 * a - 2 * b) + 50 + rng.normal(0, 0.5)).toFixed(3)}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('classification: evaluate --json has every metric and the baseline', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'people.csv'), smallCsv(120));

  it('train --json reports the metrics and the baseline, and evaluate reads the baseline back', async () => {
    const t = await runCli(
      ['train', '--data', 'people.csv', '--target', 'kind', '--epochs', '40', '--test-split', '0.2', '--json'],
      dir,
    );
    expect(t.code, t.stderr).toBe(0);
    const trained = JSON.parse(t.stdout) as {
      testAccuracy: number;
      metrics: Record<string, unknown>;
      baseline: { strategy: string; priors: number[]; accuracy: number; fittedOn: string };
    };
    expect(trained.metrics['accuracy']).toBe(trained.testAccuracy);
    expect(trained.baseline.strategy).toBe('majority');
    expect(trained.baseline.fittedOn).toBe('training rows');
    expect(trained.baseline.priors.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);

    const r = await runCli(['evaluate', '--data', 'people.csv', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout) as Record<string, unknown> & {
      perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
      confusionMatrix: number[][];
      baseline: Record<string, number | string>;
      worseThanBaseline: string[];
    };
    for (const key of ['accuracy', 'balancedAccuracy', 'f1Macro', 'f1Weighted', 'rocAuc', 'logLoss']) {
      expect(typeof e[key], key).toBe('number');
      expect(typeof e.baseline[key], `baseline ${key}`).toBe('number');
    }
    expect(e.perClass.map((p) => p.label).sort()).toEqual(['big', 'small']);
    expect(e.perClass.reduce((s, p) => s + p.support, 0)).toBe(120);
    expect(e.confusionMatrix.flat().reduce((s, v) => s + v, 0)).toBe(120);
    // The baseline was fitted on the training rows (its priors are in the model file), then scored here.
    expect(e.baseline['fittedOn']).toBe('training rows');
    const labels = readFileSync(join(dir, 'people.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => (l.endsWith('big') ? 0 : 1));
    const expected = classificationBaseline({ priors: trained.baseline.priors }, labels).metrics;
    expect(e.baseline['accuracy']).toBeCloseTo(expected.accuracy, 12);
    expect(e.baseline['rocAuc']).toBe(0.5);
    expect(e['accuracy']).toBeGreaterThan(e.baseline['accuracy'] as number);
    expect(e.worseThanBaseline).toEqual([]);
    // The per-class scores are the library's, from the confusion matrix evaluate printed.
    const m = e.confusionMatrix;
    const rows = m.flatMap((row, a) => row.flatMap((n, p) => Array.from({ length: n }, () => [a, p] as const)));
    const check = classificationMetrics(
      rows.map((x) => x[0]),
      rows.map((x) => x[1]),
    );
    expect(e['f1Macro']).toBeCloseTo(check.f1Macro, 12);
    expect(e['balancedAccuracy']).toBeCloseTo(check.balancedAccuracy, 12);
  });

  it('prints each score next to the baseline in text', async () => {
    const r = await runCli(['evaluate', '--data', 'people.csv'], dir);
    expect(r.stdout).toMatch(/accuracy: \d+\.\d\d% {3}\(baseline \d+\.\d\d%\)/);
    expect(r.stdout).toMatch(/F1 macro: [\d.]+ {3}\(baseline [\d.]+\)/);
    expect(r.stdout).toMatch(/ROC-AUC: [\d.]+ {3}\(baseline 0\.5000\)/);
    expect(r.stdout).toContain('baseline: always the most frequent training class');
    expect(r.stdout).not.toContain('WARNING');
  });
});

describe('regression: R², RMSE, MAE in original units, the baseline and the report charts', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'lin.csv'), regressionCsv());
  writeFileSync(join(dir, 'noise.csv'), regressionCsv(120, 0));

  it('beats the mean, and the report shows predicted vs actual, residuals, the baseline and preprocessing', async () => {
    const t = await runCli(
      ['train', '--data', 'lin.csv', '--target', 'y', '--epochs', '60', '--test-split', '0.2', '--json'],
      dir,
    );
    expect(t.code, t.stderr).toBe(0);
    const trained = JSON.parse(t.stdout) as {
      metrics: { r2: number; rmse: number; mae: number };
      baseline: { strategy: string; mean: number[]; rmse: number };
    };
    expect(trained.baseline.strategy).toBe('mean');
    // The training mean of y = 3a − 2b + 50 with a, b uniform on [0, 10] is near 55, in original units.
    expect(trained.baseline.mean[0]).toBeGreaterThan(50);
    expect(trained.baseline.mean[0]).toBeLessThan(60);
    expect(trained.metrics.r2).toBeGreaterThan(0.9);
    expect(trained.metrics.rmse).toBeLessThan(trained.baseline.rmse);

    const e = JSON.parse((await runCli(['evaluate', '--data', 'lin.csv', '--json'], dir)).stdout) as Record<
      string,
      unknown
    >;
    for (const key of ['r2', 'rmse', 'mae']) expect(typeof e[key], key).toBe('number');
    expect(e['perTarget']).toHaveLength(1);

    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('id="predicted-actual-0"');
    expect(html).toContain('id="residuals-0"');
    expect(html).toContain('Predicted vs actual: y');
    expect(html).toMatch(/class="b">baseline /);
    expect(html).toContain('id="baseline"');
    expect(html).toContain('always the training mean');
    expect(html).toContain('What preprocessing did');
    expect(html).toContain('numeric, standardised'); // the pipeline's note for each scaled column
    expect(html).not.toContain('class="warn"');
    // The scatter holds one mark per test row (24 of 120), plus the dashed y = x line.
    const scatter = html.slice(html.indexOf('id="predicted-actual-0"'), html.indexOf('id="residuals-0"'));
    expect(scatter.match(/aria-roledescription="circle"/g)).toHaveLength(24);
    expect(scatter).toContain('<svg');
  });

  it('an untrained model on a noise target is flagged as worse than the baseline in text and the report', async () => {
    const t = await runCli(
      [
        'train',
        '--data',
        'noise.csv',
        '--target',
        'y',
        '--epochs',
        '1',
        '--lr',
        '1e-9',
        '--out',
        'untrained.json',
        '--report',
        'untrained.html',
      ],
      dir,
    );
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/WARNING: RMSE [\d.]+ is no better than the baseline's/);
    // The settings chosen from the data say so already for the validation rows, before the final scores.
    expect(t.stdout).toMatch(
      /warning: the model does not beat the baseline on the validation rows \(R² -?[\d.]+ vs -?[\d.]+\)/,
    );
    const e = await runCli(['evaluate', '--model', 'untrained.json', '--data', 'noise.csv'], dir);
    expect(e.stdout).toMatch(/WARNING: RMSE/);
    const html = readFileSync(join(dir, 'untrained.html'), 'utf8');
    expect(html).toContain('class="warn"');
    expect(html).toContain('class="card worse"');
    expect(html).toContain('no better than the baseline');
  });
});
