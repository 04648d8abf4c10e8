import type { Command } from 'commander';

/** Registers `neurite predict`. */
export function register(program: Command): void {
  program.command('predict').description('(coming)');
}
