#!/usr/bin/env node
/**
 * The `neurite` command (Node only). Each command lives in `src/cli/commands/` and is listed once
 * in `commands/index.ts`; this file builds the program and turns errors into one-line messages
 * and exit codes (2: usage error, 1: failure, 130: interrupted).
 *
 * @packageDocumentation
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { loadOptionalBackends } from './backend.js';
import { COMMANDS } from './commands/index.js';
import { describeError, oneLine } from './errors.js';
import { processIo, type Io } from './output.js';
import { neuriteVersion } from './version.js';

/** Builds the commander program with every command registered. */
export function buildProgram(io: Io = processIo): Command {
  const program = new Command('neurite')
    .description('Train, evaluate and inspect fully-connected neural networks from the command line.')
    .version(neuriteVersion(), '-V, --version')
    .option('--verbose', 'show stack traces and extra detail')
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true });
  for (const c of COMMANDS) c.register(program);
  // Every command (and the program) reports its errors through us, not by exiting itself.
  const configure = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => io.out(s), writeErr: () => undefined, outputError: () => undefined });
    cmd.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/** Runs the CLI on `argv` (as `process.argv`) and returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io);
  const verbose = argv.includes('--verbose');
  try {
    await loadOptionalBackends();
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    const { code, message } = describeError(e);
    if (code === 0) return 0;
    if (verbose && !(e instanceof CommanderError) && e instanceof Error && e.stack !== undefined) {
      io.err(`${e.stack}\n`);
    } else {
      const hint = e instanceof CommanderError ? ' (see neurite --help)' : '';
      io.err(`neurite: ${oneLine(message)}${hint}\n`);
    }
    return code;
  }
}

function isEntryPoint(): boolean {
  const arg = process.argv[1];
  if (arg === undefined) return false;
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
