import type { Command } from 'commander';

/** Registers `neurite inspect`. */
export function register(program: Command): void {
  program.command('inspect').description('(coming)');
}
