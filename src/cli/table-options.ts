import { Option, type Command } from 'commander';
import { IMPUTE_METHODS, SCALE_METHODS } from '../data/index.js';
import { listArg } from './options.js';

/** Adds the preprocessing-pipeline options of `train --data`: column selection, imputation and scaling. */
export function addTableOptions(cmd: Command): Command {
  return cmd
    .option('--features <col,…>', '--data: use only these columns (names or 1-based numbers)', listArg)
    .option('--exclude <col,…>', '--data: leave these columns out (names or 1-based numbers)', listArg)
    .addOption(
      new Option(
        '--impute <how>',
        '--data: fill missing numeric cells with the training median, mean or zero (default median)',
      ).choices(IMPUTE_METHODS),
    )
    .addOption(
      new Option('--scale <how>', '--data: scale numeric inputs: standard (default), minmax or none').choices(
        SCALE_METHODS,
      ),
    );
}
