import { CommanderError } from 'commander';
import { NeuriteError } from '../index.js';

/** Exit code of a usage error: bad option values, unknown names, missing required options. */
export const EXIT_USAGE = 2;
/** Exit code of a failure: unreadable files, invalid data or models, training that diverged. */
export const EXIT_FAILURE = 1;
/** Exit code after Ctrl-C stopped training (the model and report are still written), as shells use for SIGINT. */
export const EXIT_INTERRUPTED = 130;

/** An error in how the command was called (exit code 2). */
export class UsageError extends Error {
  /** @param message the one line printed on stderr. */
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An error the command hit while running (exit code 1). */
export class CliFailure extends Error {
  /** @param message the one line printed on stderr. */
  constructor(message: string) {
    super(message);
    this.name = 'CliFailure';
  }
}

// NeuriteError codes that mean "you asked for something invalid" rather than "something went wrong".
const USAGE_CODES = new Set(['INVALID_OPTION', 'SHAPE_MISMATCH']);

/**
 * The exit code and one-line message for anything a command threw. Commander's own errors (unknown
 * option, missing argument, invalid value) are usage errors; help and version output exit 0.
 */
export function describeError(e: unknown): { code: number; message: string } {
  if (e instanceof CommanderError) {
    const ok = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
    return { code: ok ? 0 : EXIT_USAGE, message: e.message.replace(/^error: /, '') };
  }
  if (e instanceof UsageError) return { code: EXIT_USAGE, message: e.message };
  if (e instanceof NeuriteError)
    return { code: USAGE_CODES.has(e.code) ? EXIT_USAGE : EXIT_FAILURE, message: e.message };
  if (e instanceof Error) return { code: EXIT_FAILURE, message: e.message };
  return { code: EXIT_FAILURE, message: String(e) };
}

/** The message on one line (messages from libraries may contain newlines). */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
