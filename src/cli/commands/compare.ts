import type { Command } from 'commander';

/** Registers `neurite compare`. */
export function register(program: Command): void {
  program.command('compare').description('(coming)');
}
