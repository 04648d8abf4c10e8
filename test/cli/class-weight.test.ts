// `--class-weight balanced` on a real imbalanced table: vega-datasets' Seattle weather (1,461 days:
// rain 641, sun 640, fog 101, drizzle 53, snow 26). Trained with nothing but the target and the
// weighting, balanced weights must find the rare kinds of weather more often than no weights do,
// in `train` + `evaluate` and in `cv`; the library's fitTable, given the same rows, seed and
// weighting, must build the very model the CLI builds.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitTable } from '../../src/index.js';
import { readCsvTable, type CsvRecord } from '../../src/data/index.js';
import { requireBuilt, runCli, tempDir } from './helpers.js';

const WEATHER = fileURLToPath(new URL('../../node_modules/vega-datasets/data/seattle-weather.csv', import.meta.url));

interface Evaluation {
  accuracy: number;
  balancedAccuracy: number;
  f1Macro: number;
  perClass: { label: string; recall: number; support: number }[];
}

/** Every 4th day of each kind of weather is a test day (a stratified 75/25 split). */
function splitWeather(dir: string): { train: CsvRecord[]; test: CsvRecord[] } {
  const text = readFileSync(WEATHER, 'utf8');
  const header = text.slice(0, text.indexOf('\n'));
  const rows = readCsvTable(text).records;
  const seen = new Map<string, number>();
  const train: CsvRecord[] = [];
  const test: CsvRecord[] = [];
  for (const r of rows) {
    const k = String(r['weather']);
    const i = seen.get(k) ?? 0;
    seen.set(k, i + 1);
    (i % 4 === 1 ? test : train).push(r);
  }
  const cols = header.split(',');
  const csv = (rs: CsvRecord[]): string =>
    `${[header, ...rs.map((r) => cols.map((c) => String(r[c])).join(','))].join('\n')}\n`;
  writeFileSync(join(dir, 'train.csv'), csv(train));
  writeFileSync(join(dir, 'test.csv'), csv(test));
  return { train, test };
}

describe('--class-weight on an imbalanced real table (Seattle weather)', () => {
  const dir = tempDir();
  const { train, test } = splitWeather(dir);
  const scores: Record<string, Evaluation> = {};

  beforeAll(async () => {
    requireBuilt();
    for (const weight of ['none', 'balanced']) {
      const args = ['train', '--data', 'train.csv', '--target', 'weather', '--backend', 'js', '--no-report'];
      const t = await runCli([...args, '--class-weight', weight, '--out', `${weight}.json`], dir);
      expect(t.code, t.stderr).toBe(0);
      const e = await runCli(['evaluate', '--model', `${weight}.json`, '--data', 'test.csv', '--json'], dir);
      expect(e.code, e.stderr).toBe(0);
      scores[weight] = JSON.parse(e.stdout) as Evaluation;
    }
  }, 600_000);

  it('balanced weights raise the balanced accuracy and the rare classes’ recall over no weights', () => {
    const { none, balanced } = scores as { none: Evaluation; balanced: Evaluation };
    const detail = JSON.stringify({ none, balanced });
    expect(balanced.balancedAccuracy, detail).toBeGreaterThan(none.balancedAccuracy + 0.03);
    const rare = (e: Evaluation): number =>
      e.perClass.filter((c) => c.support < 40).reduce((a, c) => a + c.recall * c.support, 0);
    expect(rare(balanced), detail).toBeGreaterThan(rare(none));
    // The trade is paid in the common classes: plain accuracy may fall, but not to the baseline's 44%.
    expect(balanced.accuracy, detail).toBeGreaterThan(0.5);
    const saved = JSON.parse(readFileSync(join(dir, 'balanced.json'), 'utf8')) as {
      metadata: { training: { settings: { classWeight: string } } };
    };
    expect(saved.metadata.training.settings.classWeight).toBe('balanced');
  });

  it('the library’s fitTable with the same rows, seed and weights predicts exactly what the CLI’s model does', async () => {
    const model = await fitTable(train, { target: 'weather', seed: 1, classWeight: 'balanced', backend: 'js' });
    const lib = model.predict(test);
    if (lib.task !== 'classification') throw new Error('expected classification');
    const p = await runCli(['predict', '--model', 'balanced.json', '--data', 'test.csv', '--backend', 'js'], dir);
    expect(p.code, p.stderr).toBe(0);
    const rows = p.stdout.trim().split('\n').slice(1);
    expect(rows.map((r) => r.split(',')[0])).toEqual(lib.labels);
    expect(rows.map((r) => r.split(',').slice(1).map(Number))).toEqual(
      lib.probabilities.map((r) => r.map((v) => Number(String(v)))),
    );
  });

  it('cv scores balanced weights above none on balanced accuracy; tune keeps the user’s choice in its refit', async () => {
    const cv = async (weight: string): Promise<number> => {
      const args = ['cv', '--data', 'train.csv', '--target', 'weather', '--folds', '3', '--workers', '1'];
      const r = await runCli([...args, '--metric', 'balancedAccuracy', '--class-weight', weight, '--json'], dir);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { mean: number }).mean;
    };
    expect(await cv('balanced')).toBeGreaterThan(await cv('none'));
    const t = await runCli(
      [
        ...['tune', '--data', 'train.csv', '--target', 'weather', '--trials', '1', '--folds', '2', '--workers', '1'],
        ...['--class-weight', 'balanced', '--out', 'tuned.json', '--no-report', '--json'],
      ],
      dir,
    );
    expect(t.code, t.stderr).toBe(0);
    const tuned = JSON.parse(readFileSync(join(dir, 'tuned.json'), 'utf8')) as {
      metadata: { training: { settings: { classWeight: string } } };
    };
    expect(tuned.metadata.training.settings.classWeight).toBe('balanced');
  }, 600_000);

  it('refuses a misspelt weighting (naming the near one), a regression target and streamed training', async () => {
    const base = ['train', '--data', 'train.csv', '--no-report', '--out', 'x.json'];
    const typo = await runCli([...base, '--target', 'weather', '--class-weight', 'balance'], dir);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--class-weight.*expected one of: balanced, none; did you mean balanced\?/);
    const regression = await runCli([...base, '--target', 'temp_max', '--class-weight', 'balanced'], dir);
    expect(regression.code).toBe(2);
    expect(regression.stderr).toMatch(/--class-weight balanced weighs classes, but the target is a regression target/);
    const streamed = await runCli([...base, '--target', 'weather', '--stream', '--class-weight', 'balanced'], dir);
    expect(streamed.code).toBe(2);
    expect(streamed.stderr).toMatch(/--class-weight does not apply to streamed training/);
  });
});
