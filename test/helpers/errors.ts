import { expect } from 'vitest';
import { NeuriteError, type NeuriteErrorCode } from '../../src/index.js';

/** Runs `fn` and returns the NeuriteError it throws, failing the test when it throws nothing or something else. */
export function catchNeurite(fn: () => unknown): NeuriteError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NeuriteError);
    return e as NeuriteError;
  }
  throw new Error('expected a NeuriteError, but nothing was thrown');
}

/** Asserts that `fn` throws a NeuriteError with `code` (and, optionally, a message matching `message`). */
export function expectCode(fn: () => unknown, code: NeuriteErrorCode, message?: RegExp): NeuriteError {
  const e = catchNeurite(fn);
  expect(e.code, e.message).toBe(code);
  if (message) expect(e.message).toMatch(message);
  return e;
}

/** The async variant of {@link expectCode}, for `fit`. */
export async function expectRejectCode(p: Promise<unknown>, code: NeuriteErrorCode): Promise<NeuriteError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(NeuriteError);
    expect((e as NeuriteError).code, (e as NeuriteError).message).toBe(code);
    return e as NeuriteError;
  }
  throw new Error(`expected a rejection with ${code}, but the promise resolved`);
}
