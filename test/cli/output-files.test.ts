import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt, runCli, tempDir } from './helpers.js';

beforeAll(requireBuilt);

const expectUsageError = (r: { code: number | null; stderr: string }, what: string): void => {
  expect(r.code, what).toBe(2);
  expect(r.stderr.trim().split('\n'), what).toHaveLength(1);
  expect(r.stderr, what).toMatch(/^neurite: /);
};

describe('output-file options given a word that means "off"', () => {
  it('train --report false|none|off is a usage error pointing to --no-report, and writes nothing', async () => {
    const dir = tempDir();
    for (const word of ['false', 'none', 'off', 'No', '']) {
      const r = await runCli(['train', '--dataset', 'xor', '--epochs', '1', '--report', word], dir);
      expectUsageError(r, `--report ${JSON.stringify(word)}`);
      expect(r.stderr).toContain('--report expects a file name; use --no-report to skip the report');
    }
    // Refused before training: no model, no report, no file named after the word.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('every command refuses such words for every file it writes', async () => {
    const dir = tempDir();
    const cases: [string[], string][] = [
      [['train', '--dataset', 'xor', '--out', 'false'], '--out expects a file name; the model file is always written'],
      [['train', '--dataset', 'xor', '--plot', 'no'], '--plot expects a file name; leave out --plot to skip the chart'],
      [['compare', '--dataset', 'xor', '--chart', 'off'], '--chart expects a file name; the chart is always written'],
      [
        ['compare', '--dataset', 'xor', '--report', 'none'],
        '--report expects a file name; leave out --report to skip the page',
      ],
      [['evolve', '--task', 'xor', '--out', 'true'], '--out expects a file name; leave out --out to skip'],
      [['evolve', '--task', 'xor', '--report', 'null'], '--report expects a file name; leave out --report to skip'],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, dir);
      expectUsageError(r, args.join(' '));
      expect(r.stderr).toContain(message);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a boolean word after a flag that takes no value is a usage error, not ignored', async () => {
    const dir = tempDir();
    for (const args of [
      ['train', '--dataset', 'xor', '--no-report', 'false'],
      ['train', '--dataset', 'xor', '--json', 'false'],
    ]) {
      const r = await runCli(args, dir);
      expectUsageError(r, args.join(' '));
      expect(r.stderr).toContain('too many arguments');
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('./false still names a file called false', async () => {
    const dir = tempDir();
    const r = await runCli(['train', '--dataset', 'xor', '--epochs', '2', '--report', './off', '--json'], dir);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'off'))).toBe(true);
    expect((JSON.parse(r.stdout) as { report: string }).report).toBe('./off');
  });
});
