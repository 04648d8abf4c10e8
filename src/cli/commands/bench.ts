import type { Command } from 'commander';

/** Registers `neurite bench`. */
export function register(program: Command): void {
  program.command('bench').description('(coming)');
}
