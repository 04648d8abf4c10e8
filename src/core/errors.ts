/**
 * Machine-readable reason attached to every {@link NeuriteError}.
 *
 * - `SHAPE_MISMATCH`: wrong lengths, ragged rows, incompatible layers.
 * - `INVALID_OPTION`: bad sizes, names or hyper-parameters.
 * - `NON_FINITE`: NaN or Infinity in data, weights or the loss.
 * - `INVALID_MODEL`: a serialized model that cannot be restored.
 * - `EMPTY_DATA`: no samples where some were needed.
 * - `ABORTED`: an `AbortSignal` stopped the work.
 * - `IO_ERROR`: a file could not be read or written (Node entry points only).
 * - `UNSUPPORTED`: the runtime lacks a feature the caller asked for.
 * - `BUSY`: the network is inside another `fit` call (as TF.js refuses a second `fit`).
 */
export type NeuriteErrorCode =
  | 'SHAPE_MISMATCH'
  | 'INVALID_OPTION'
  | 'NON_FINITE'
  | 'INVALID_MODEL'
  | 'EMPTY_DATA'
  | 'ABORTED'
  | 'IO_ERROR'
  | 'UNSUPPORTED'
  | 'FITNESS_ERROR'
  | 'INVALID_DATA'
  | 'BUSY';

/**
 * The one error type neurite throws for misuse. Its message says what was expected and what was found.
 *
 * @example
 * ```ts
 * try { net.predict([1, 2]); } catch (e) { if (e instanceof NeuriteError) console.log(e.code); }
 * ```
 */
export class NeuriteError extends Error {
  /** Stable reason code, safe to branch on. */
  readonly code: NeuriteErrorCode;
  /** Optional structured context (layer, sample, index…). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  /** @param details structured context such as `{ layer, sample, index }`. */
  constructor(code: NeuriteErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'NeuriteError';
    this.code = code;
    this.details = details;
  }
}

/** Throws `INVALID_OPTION` unless `value` is an integer ≥ `min`. */
export function assertInt(value: unknown, name: string, min = 1): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new NeuriteError('INVALID_OPTION', `${name} must be an integer >= ${String(min)}, got ${describe(value)}`);
  }
}

/** Throws `INVALID_OPTION` unless `value` is a finite number in [min, max]. */
export function assertNumber(
  value: unknown,
  name: string,
  min = -Infinity,
  max = Infinity,
  exclusiveMin = false,
): asserts value is number {
  const ok =
    typeof value === 'number' && Number.isFinite(value) && (exclusiveMin ? value > min : value >= min) && value <= max;
  if (!ok) {
    const lo = exclusiveMin ? `> ${String(min)}` : `>= ${String(min)}`;
    const range = max === Infinity ? lo : `${lo} and <= ${String(max)}`;
    throw new NeuriteError('INVALID_OPTION', `${name} must be a finite number ${range}, got ${describe(value)}`);
  }
}

/** Throws `INVALID_OPTION` unless `value` is one of `allowed`. */
export function assertOneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `unknown ${name} ${typeof value === 'string' ? JSON.stringify(value) : describe(value)}; expected one of: ${allowed.join(', ')}`,
    );
  }
}

/**
 * Short printable form of any value for error messages, saying what the value is as given: a
 * string that looks like a number reads `the string "0.1"`, not `0.1`.
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `an array of length ${String(value.length)}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return `a ${typeof value}`;
}
