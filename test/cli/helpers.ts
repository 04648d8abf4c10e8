import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI (`npm test` builds before running vitest). */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Throws a clear message when the CLI has not been built. */
export function requireBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
}

/** What a CLI run produced. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A fresh temporary working folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'neurite-cli-'));
}

/** Runs `node [nodeArgs] dist/cli/main.js …args` in `cwd` and collects its output. */
export function runCli(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  nodeArgs: readonly string[] = [],
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, CLI, ...args], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A small classification CSV: two numeric features, one categorical, a text label decided by them. */
export function smallCsv(rows = 80, seed = 3): string {
  let s = seed;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const lines = ['height,weight,colour,kind'];
  for (let i = 0; i < rows; i++) {
    const h = 150 + 40 * rand();
    const w = 45 + 50 * rand();
    const colour = ['red', 'green', 'blue'][i % 3] as string;
    const score = (h - 170) / 20 + (w - 70) / 25 + (colour === 'red' ? 0.3 : 0);
    lines.push(`${h.toFixed(1)},${w.toFixed(1)},${colour},${score > 0 ? 'big' : 'small'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** {@link smallCsv} without its text column (colour): numeric inputs only, as exports that carry
 * only numeric preprocessing take them. */
export function numericCsv(rows = 80, seed = 3): string {
  return smallCsv(rows, seed)
    .split('\n')
    .map((line) =>
      line
        .split(',')
        .filter((_, i) => i !== 2)
        .join(','),
    )
    .join('\n');
}
