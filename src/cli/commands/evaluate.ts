import type { Command } from 'commander';

/** Registers `neurite evaluate`. */
export function register(program: Command): void {
  program.command('evaluate').description('(coming)');
}
