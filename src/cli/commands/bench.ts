import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { CliFailure } from '../errors.js';

/** The project root: two folders up from `src/cli/commands` and `dist/cli/commands`. */
const ROOT = new URL('../../../', import.meta.url);

/** Registers `neurite bench`. */
export function register(program: Command): void {
  program
    .command('bench')
    .description(
      'run the benchmark suite (the `bench` npm script of a neurite checkout); extra arguments are passed on',
    )
    .allowUnknownOption(true)
    .argument('[args...]', 'arguments for the benchmark runner')
    .action(async (args: string[]) => {
      process.exitCode = await bench(args);
    });
}

/** Runs `npm run bench -- <args>` in the project root and returns its exit code. */
export async function bench(args: readonly string[]): Promise<number> {
  // The suite (bench/run.ts, its peers and their data) lives only in a source checkout; an installed
  // package has neither it nor the dev dependencies (TensorFlow.js, brain.js) it compares against.
  if (!existsSync(new URL('bench/run.ts', ROOT)) || !existsSync(new URL('package.json', ROOT))) {
    throw new CliFailure(
      'the benchmark suite is not part of the installed package; run it from a source checkout: git clone the neurite repository, then `npm ci && npm run bench`',
    );
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return new Promise((resolve, reject) => {
    const child = spawn(npm, ['run', 'bench', '--', ...args], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', (e) => reject(new CliFailure(`cannot start npm: ${e.message}`)));
    child.on('close', (code) => resolve(code ?? 1));
  });
}
