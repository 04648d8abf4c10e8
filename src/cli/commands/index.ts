import type { Command } from 'commander';
import * as bench from './bench.js';
import * as compare from './compare.js';
import * as cv from './cv.js';
import * as evaluate from './evaluate.js';
import * as evolve from './evolve.js';
import * as exportCommand from './export.js';
import * as importCommand from './import.js';
import * as inspect from './inspect.js';
import * as predict from './predict.js';
import * as train from './train.js';
import * as tune from './tune.js';
import * as worker from './worker.js';

/** A CLI command module: one file under `src/cli/commands/` exporting `register(program)`. */
export interface CommandModule {
  register(program: Command): void;
}

/**
 * Every `neurite` command, in the order `--help` lists them. This list is the one place commands
 * are registered. To add one (e.g. `evolve`): create `src/cli/commands/<name>.ts` exporting
 * `register(program: Command): void`, import it above, and add it to this list, for example
 * `import * as evolve from './evolve.js';` and `evolve,` after `compare`.
 */
export const COMMANDS: readonly CommandModule[] = [
  train,
  cv,
  tune,
  evaluate,
  predict,
  inspect,
  exportCommand,
  importCommand,
  compare,
  evolve,
  worker,
  bench,
];
