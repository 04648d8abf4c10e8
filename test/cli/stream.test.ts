import { readFileSync, truncateSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { streams, STREAM_AUTO_BYTES } from '../../src/cli/stream-training.js';
import { requireBuilt, runCli, smallCsv, tempDir, type RunResult } from './helpers.js';
import { runPython, skipWithoutSklearn } from '../helpers/sklearn.js';

beforeAll(requireBuilt);

/** Runs the CLI with a capped V8 heap, as a machine without room for the file would. */
const runCapped = (args: readonly string[], cwd: string, heapMb: number): Promise<RunResult> =>
  runCli(args, cwd, {}, [`--max-old-space-size=${String(heapMb)}`]);

/** A CSV of `rows` rows: ten numbers, a category and a class decided by them (about 80 bytes a row). */
async function writeBigCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  let s = 7;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  out.write('a,b,c,d,e,f,g,h,i,j,colour,label\n');
  for (let r = 0; r < rows; r += 1000) {
    const lines: string[] = [];
    for (let k = 0; k < 1000 && r + k < rows; k++) {
      const v = Array.from({ length: 10 }, () => rand() * 2 - 1);
      const colour = ['red', 'green', 'blue'][Math.floor(rand() * 3)] as string;
      const score = (v[0] as number) + (v[1] as number) * (v[2] as number) + (colour === 'red' ? 0.5 : 0);
      lines.push(`${v.map((x) => x.toFixed(3)).join(',')},${colour},${score > 0.2 ? 'yes' : 'no'}`);
    }
    if (!out.write(`${lines.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

describe('CLI: train --stream (data larger than memory)', () => {
  it('trains in bounded memory on a file the in-memory reader cannot hold under the same heap cap', async () => {
    const dir = tempDir();
    await writeBigCsv(join(dir, 'big.csv'), 250_000);
    const streamed = await runCapped(
      ['train', '--data', 'big.csv', '--target', 'label', '--stream', '--epochs', '1', '--json'],
      dir,
      96,
    );
    expect(streamed.code, streamed.stderr).toBe(0);
    const summary = JSON.parse(streamed.stdout) as Record<string, unknown> & { validation: { accuracy: number } };
    expect(summary).toMatchObject({ streamed: true, task: 'classification', rows: 250_000, epochs: 1 });
    expect(summary.validation.accuracy).toBeGreaterThan(0.9);
    // The same file read whole does not fit: the cap is what a small machine would impose.
    const whole = await runCapped(
      ['train', '--data', 'big.csv', '--target', 'label', '--no-stream', '--epochs', '1'],
      dir,
      96,
    );
    expect(whole.code).not.toBe(0);
  }, 300_000);

  it('writes a model that predict and evaluate use, and explains the options it cannot honour', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't.csv'), smallCsv(400));
    const r = await runCli(['train', '--data', 't.csv', '--target', 'kind', '--stream', '--epochs', '30'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/400 rows; preprocessing fitted on 360 sampled rows; 40 rows held out/);
    expect(r.stdout).toMatch(/done after \d+ epochs .*validation accuracy \S+ \(baseline \S+\)/);
    expect(r.stdout).toMatch(/wrote model\.json, report\.html \(streamed: scores and baseline on the held-out rows/);
    // The report in-memory training writes, with the loss chart, the held-out scores and their baseline.
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(report).toContain('<svg');
    expect(report).toMatch(/validation accuracy/);
    expect(report).toMatch(/baseline/i);
    expect(report).toMatch(/no test split/);
    const m = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { metadata: Record<string, unknown> };
    expect(m.metadata['pipeline']).toBeDefined();
    const ev = await runCli(['evaluate', '--model', 'model.json', '--data', 't.csv', '--json'], dir);
    expect(ev.code, ev.stderr).toBe(0);
    expect((JSON.parse(ev.stdout) as { accuracy: number }).accuracy).toBeGreaterThan(0.85);
    const bad = await runCli(['train', '--data', 't.csv', '--target', 'kind', '--stream', '--test-split', '0.2'], dir);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--test-split does not apply to streamed training/);
  }, 120_000);

  it('scores a regression on its held-out rows in the target’s own units, as evaluate does on the file', async () => {
    const dir = tempDir();
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const rows = Array.from({ length: 600 }, () => {
      const [a, b] = [rand() * 10, rand()];
      return `${a.toFixed(4)},${b.toFixed(4)},${(3 * a + 100 + b).toFixed(4)}`;
    });
    writeFileSync(join(dir, 'r.csv'), `a,b,y\n${rows.join('\n')}\n`);
    const r = await runCli(['train', '--data', 'r.csv', '--target', 'y', '--stream', '--epochs', '40', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const v = (JSON.parse(r.stdout) as { validation: { r2: number; rmse: number; baseline: number } }).validation;
    const ev = await runCli(['evaluate', '--model', 'model.json', '--data', 'r.csv', '--json'], dir);
    expect(ev.code, ev.stderr).toBe(0);
    const all = JSON.parse(ev.stdout) as { rmse: number | number[]; baseline: { rmse: number | number[] } };
    // y has a spread of about 8.7: the baseline's error on 60 held-out rows and on all 600 agree
    // within a third (in a scaled unit they would differ by that scale), and so do the network's.
    const [rmse, baseRmse] = [[all.rmse].flat()[0] as number, [all.baseline.rmse].flat()[0] as number];
    expect(v.baseline / baseRmse).toBeGreaterThan(0.67);
    expect(v.baseline / baseRmse).toBeLessThan(1.5);
    expect(v.rmse).toBeLessThan(v.baseline / 4);
    expect(v.rmse / rmse).toBeGreaterThan(0.33);
    expect(v.rmse / rmse).toBeLessThan(3);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/validation R²/);
  }, 120_000);

  it('streams by itself when the file is 256 MiB or more, unless --no-stream', () => {
    const dir = tempDir();
    const path = join(dir, 'sparse.csv');
    writeFileSync(path, 'a,b\n1,2\n');
    expect(streams({ data: path } as never)).toBe(false);
    truncateSync(path, STREAM_AUTO_BYTES); // sparse: no disk is used
    expect(streams({ data: path } as never)).toBe(true);
    expect(streams({ data: path, stream: false } as never)).toBe(false);
    expect(streams({ data: join(dir, 'missing.csv'), stream: undefined } as never)).toBe(false);
  });

  it.skipIf(skipWithoutSklearn)(
    'on a real table that fits in memory, scores within a point of the in-memory default (digits)',
    async () => {
      const dir = tempDir();
      runPython(
        `import json
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
d = load_digits(as_frame=True).frame
a, b = train_test_split(d, test_size=0.3, random_state=0, stratify=d['target'])
a.to_csv('${join(dir, 'train.csv')}', index=False)
b.to_csv('${join(dir, 'test.csv')}', index=False)
print(json.dumps(len(a)))`,
        null,
      );
      const accuracy = async (extra: string[], out: string): Promise<number> => {
        const t = await runCli(
          ['train', '--data', 'train.csv', '--target', 'target', '--no-report', '--out', out, ...extra],
          dir,
        );
        expect(t.code, t.stderr).toBe(0);
        const e = await runCli(['evaluate', '--model', out, '--data', 'test.csv', '--json'], dir);
        expect(e.code, e.stderr).toBe(0);
        return (JSON.parse(e.stdout) as { accuracy: number }).accuracy;
      };
      const whole = await accuracy([], 'whole.json');
      const streamed = await accuracy(['--stream'], 'streamed.json');
      expect(streamed).toBeGreaterThanOrEqual(whole - 0.01);
    },
    600_000,
  );
});
