import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
  const pkgPath = new URL('package.json', ROOT);
  const scripts = existsSync(pkgPath)
    ? ((JSON.parse(readFileSync(pkgPath, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {})
    : {};
  if (scripts['bench'] === undefined) {
    throw new CliFailure(
      'the benchmark suite is not available: this installation has no `bench` script (run it from a neurite source checkout)',
    );
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return new Promise((resolve, reject) => {
    const child = spawn(npm, ['run', 'bench', '--', ...args], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', (e) => reject(new CliFailure(`cannot start npm: ${e.message}`)));
    child.on('close', (code) => resolve(code ?? 1));
  });
}
