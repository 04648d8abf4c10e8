import { NeuriteError, describe } from './errors.js';

/** Either float precision the kernels accept. Public weights are always `Float32Array`. */
export type FloatArray = Float32Array | Float64Array;

/** A dense row-major matrix: `data[r * cols + c]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

/** Anything neurite accepts as a batch of samples. */
export type MatrixLike =
  Matrix | readonly (readonly number[])[] | readonly Float32Array[] | readonly ArrayLike<number>[];

/** Anything neurite accepts as one sample. */
export type VectorLike = readonly number[] | ArrayLike<number>;

/** Creates a zero-filled matrix, or wraps `data` (not copied). */
export function matrix(rows: number, cols: number, data?: Float32Array): Matrix {
  const d = data ?? new Float32Array(rows * cols);
  if (d.length !== rows * cols) {
    throw new NeuriteError(
      'SHAPE_MISMATCH',
      `matrix data must have rows*cols = ${String(rows * cols)} values, got ${String(d.length)}`,
    );
  }
  return { rows, cols, data: d };
}

/** True for objects shaped like a {@link Matrix}. */
export function isMatrix(x: unknown): x is Matrix {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Partial<Matrix>;
  return typeof m.rows === 'number' && typeof m.cols === 'number' && m.data instanceof Float32Array;
}

/**
 * Throws `SHAPE_MISMATCH` unless `x` is a {@link Matrix} whose data holds rows × cols values: the
 * check of functions that take a Matrix, so an array of rows passed from plain JavaScript is an
 * error that says how to build one rather than a TypeError or a silently empty result.
 */
export function assertMatrix(x: unknown, what: string): asserts x is Matrix {
  if (!isMatrix(x)) {
    throw new NeuriteError(
      'SHAPE_MISMATCH',
      `${what} must be a Matrix { rows, cols, data: Float32Array }, got ${describe(x)} (toMatrix(rows) builds one from arrays)`,
    );
  }
  if (
    !Number.isInteger(x.rows) ||
    !Number.isInteger(x.cols) ||
    x.rows < 0 ||
    x.cols < 0 ||
    x.data.length !== x.rows * x.cols
  ) {
    throw new NeuriteError(
      'SHAPE_MISMATCH',
      `${what} is a ${String(x.rows)}×${String(x.cols)} matrix but its data holds ${String(x.data.length)} values`,
    );
  }
}

/** Row `r` of a matrix as a view (no copy). */
export function row(m: Matrix, r: number): Float32Array {
  return m.data.subarray(r * m.cols, (r + 1) * m.cols);
}

/** Splits a matrix into row views. */
export function toRows(m: Matrix): Float32Array[] {
  const out: Float32Array[] = [];
  for (let r = 0; r < m.rows; r++) out.push(row(m, r));
  return out;
}

/**
 * Validates and packs a batch into a Matrix. Checks: non-empty, rectangular, expected width,
 * every value finite. `what` names the argument in error messages ("inputs", "targets").
 * `checkFinite: false` leaves a Matrix's values to a caller that checks them as it copies them
 * (the model does, in backend memory, where the check is a SIMD pass instead of ~1 ns a value).
 */
export function toMatrix(x: MatrixLike, expectedCols: number | undefined, what: string, checkFinite = true): Matrix {
  if (isMatrix(x)) {
    if (x.rows === 0) throw new NeuriteError('EMPTY_DATA', `${what} is empty: expected at least one sample`);
    if (expectedCols !== undefined && x.cols !== expectedCols) {
      throw new NeuriteError(
        'SHAPE_MISMATCH',
        `${what} must have ${String(expectedCols)} columns, got a matrix with ${String(x.cols)}`,
      );
    }
    // A hand-built Matrix whose data does not match its shape would otherwise read stale buffer rows.
    if (!Number.isInteger(x.rows) || x.rows < 0 || x.data.length !== x.rows * x.cols) {
      throw new NeuriteError(
        'SHAPE_MISMATCH',
        `${what} is a ${String(x.rows)}×${String(x.cols)} matrix but its data holds ${String(x.data.length)} values`,
      );
    }
    if (checkFinite) assertFinite(x.data, what, x.cols);
    return x;
  }
  if (!Array.isArray(x)) {
    throw new NeuriteError('SHAPE_MISMATCH', `${what} must be an array of rows or a Matrix, got ${describe(x)}`);
  }
  const rows = x as readonly ArrayLike<number>[];
  if (rows.length === 0) throw new NeuriteError('EMPTY_DATA', `${what} is empty: expected at least one sample`);
  const first = rows[0];
  if (first == null || typeof first !== 'object' || typeof first.length !== 'number') {
    throw new NeuriteError('SHAPE_MISMATCH', `${what}[0] must be an array of numbers, got ${describe(first)}`);
  }
  const cols = expectedCols ?? first.length;
  if (cols === 0) throw new NeuriteError('EMPTY_DATA', `${what} rows are empty: expected at least one column`);
  const out = new Float32Array(rows.length * cols);
  for (let r = 0; r < rows.length; r++) {
    const rr = rows[r];
    if (rr == null || typeof rr !== 'object' || typeof rr.length !== 'number') {
      throw new NeuriteError(
        'SHAPE_MISMATCH',
        `${what}[${String(r)}] must be an array of numbers, got ${describe(rr)}`,
      );
    }
    if (rr.length !== cols) {
      const kind = expectedCols === undefined ? 'ragged rows: ' : '';
      throw new NeuriteError(
        'SHAPE_MISMATCH',
        `${kind}${what}[${String(r)}] must have ${String(cols)} values, got ${String(rr.length)}`,
        { sample: r },
      );
    }
    for (let c = 0; c < cols; c++) {
      const v = rr[c];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new NeuriteError(
          'NON_FINITE',
          `${what}[${String(r)}][${String(c)}] must be a finite number, got ${describe(v)}`,
          { sample: r, index: c },
        );
      }
      out[r * cols + c] = v;
    }
  }
  return { rows: rows.length, cols, data: out };
}

/** Validates one sample into a Float32Array of the expected length (copying into `into` if given). */
export function toVector(x: VectorLike, expected: number, what: string, into?: Float32Array): Float32Array {
  if (x == null || typeof x !== 'object' || typeof (x as ArrayLike<number>).length !== 'number') {
    throw new NeuriteError(
      'SHAPE_MISMATCH',
      `${what} must be an array of ${String(expected)} numbers, got ${describe(x)}`,
    );
  }
  if (x.length > 0 && typeof x[0] === 'object' && x[0] !== null) {
    // Rows where one sample goes (predict([[1, 2]])): said as such, not as a wrong length or a bad number.
    throw new NeuriteError(
      'SHAPE_MISMATCH',
      `${what} must be one sample, an array of ${String(expected)} numbers, got an array of ${String(x.length)} rows; for several samples use predictBatch (or fit to train)`,
    );
  }
  if (x.length !== expected) {
    throw new NeuriteError('SHAPE_MISMATCH', `${what} must have ${String(expected)} values, got ${String(x.length)}`);
  }
  const out = into ?? new Float32Array(expected);
  for (let i = 0; i < expected; i++) {
    const v = x[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new NeuriteError('NON_FINITE', `${what}[${String(i)}] must be a finite number, got ${describe(v)}`, {
        index: i,
      });
    }
    out[i] = v;
  }
  return out;
}

/** Throws `NON_FINITE` naming the first bad element (as row/column when `cols` is given). */
export function assertFinite(data: ArrayLike<number>, what: string, cols = 0): void {
  const i = firstNonFinite(data);
  if (i >= 0) throw nonFiniteError(what, i, cols, data[i] as number);
}

/** Index of the first NaN or ±Infinity among the first `n` values, or -1 (float32 data: one branch-free pass first). */
export function firstNonFinite(data: ArrayLike<number>, n = data.length): number {
  if (data instanceof Float32Array && allFinite(data, n)) return -1;
  for (let i = 0; i < n; i++) if (!Number.isFinite(data[i] as number)) return i;
  return -1;
}

/**
 * Whether every value is finite, by summing `v · 0` (NaN for NaN and ±Infinity, else 0) in four
 * independent sums: no branch per value, so it runs 2–3× faster than a `Number.isFinite` loop, and
 * before V8 optimises it too (MNIST's 6.3M training inputs: 2.6 ms warm instead of 6, ~4.5 ms
 * instead of 11–25 on the first call of a process, which lands in the first epoch of `fit`).
 */
function allFinite(a: Float32Array, length: number): boolean {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = length - (length % 4);
  for (let i = 0; i < n; i += 4) {
    s0 += (a[i] as number) * 0;
    s1 += (a[i + 1] as number) * 0;
    s2 += (a[i + 2] as number) * 0;
    s3 += (a[i + 3] as number) * 0;
  }
  for (let i = n; i < length; i++) s0 += (a[i] as number) * 0;
  return s0 + s1 + s2 + s3 === 0;
}

/** The `NON_FINITE` error for element `i` of flat data (as row/column when `cols` is given). */
export function nonFiniteError(what: string, i: number, cols: number, value: number): NeuriteError {
  const where = cols > 0 ? `[${String(Math.floor(i / cols))}][${String(i % cols)}]` : `[${String(i)}]`;
  return new NeuriteError('NON_FINITE', `${what}${where} must be a finite number, got ${String(value)}`, { index: i });
}
