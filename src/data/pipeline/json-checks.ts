import { NeuriteError, describe } from '../../core/index.js';

// The strict reader of a saved pipeline: every field is checked and a failure names its path
// (`pipeline.steps[2].levels`), so a hand-edited or truncated model file says what is wrong.

/** An `INVALID_MODEL` error for the field at `path`. */
export function badModel(path: string, msg: string): NeuriteError {
  return new NeuriteError('INVALID_MODEL', `invalid model: ${path} ${msg}`);
}

/** The value as a plain object, or throws. */
export function readRecord(x: unknown, path: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x))
    throw badModel(path, `must be an object, got ${describe(x)}`);
  return x as Record<string, unknown>;
}

/** The value as a string, or throws. */
export function readString(x: unknown, path: string): string {
  if (typeof x !== 'string') throw badModel(path, `must be a string, got ${describe(x)}`);
  return x;
}

/** The value as a finite number, or throws. */
export function readNumber(x: unknown, path: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw badModel(path, `must be a finite number, got ${describe(x)}`);
  return x;
}

/** The value as a boolean, or throws. */
export function readBoolean(x: unknown, path: string): boolean {
  if (typeof x !== 'boolean') throw badModel(path, `must be true or false, got ${describe(x)}`);
  return x;
}

/** The value as one of `allowed`, or throws listing them. */
export function readChoice<T extends string>(x: unknown, allowed: readonly T[], path: string): T {
  if (typeof x !== 'string' || !(allowed as readonly string[]).includes(x)) {
    throw badModel(path, `must be one of ${allowed.join(', ')}, got ${describe(x)}`);
  }
  return x as T;
}

/** The value as a list of strings, or throws. */
export function readStrings(x: unknown, path: string): string[] {
  if (!Array.isArray(x)) throw badModel(path, `must be a list of strings, got ${describe(x)}`);
  return x.map((v: unknown, i) => readString(v, `${path}[${String(i)}]`));
}

/** The value as a list, or throws. */
export function readList(x: unknown, path: string): unknown[] {
  if (!Array.isArray(x)) throw badModel(path, `must be a list, got ${describe(x)}`);
  return x as unknown[];
}
