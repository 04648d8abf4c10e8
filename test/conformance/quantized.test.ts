// The quantized dense kernel on every backend against its scalar reference, bit for bit: integer
// sums are exact and every float step is one float32 operation, so a native version must give the
// reference's values exactly, whichever product it picks (the wasm build: i32x4.dot_i16x8_s, or
// relaxed SIMD byte products for weights within ±64 and non-negative rows), for row counts around
// the four-row tile, weight rows around the two-row tile, and k around the 16- and 32-lane steps.
import { describe, expect, it } from 'vitest';
import {
  int8View,
  maxMagnitude,
  quantizedAffine,
  quantizedStride,
  quantizeRow,
  roundHalfEven,
  WEIGHT_LEVELS,
} from '../../src/backend/js/quantized-affine.js';
import type { Backend } from '../../src/backend/types.js';
import { NATIVE_ELEMENTWISE } from '../../src/backend/wasm/native-kernels.js';
import type { FloatArray } from '../../src/core/matrix.js';
import { BACKENDS, fillRandom } from './backends.js';

const SHAPES: [rows: number, k: number, n: number][] = [
  [1, 1, 1],
  [3, 7, 2],
  [4, 8, 3],
  [5, 9, 5],
  [9, 17, 10],
  [13, 67, 4],
  [8, 16, 3],
  [12, 33, 7],
  [9, 48, 2],
  [16, 48, 7],
  [26, 33, 5],
  [64, 784, 128],
  [7, 128, 64],
  [21, 64, 10],
];

/**
 * How the data is made: rows of either sign or non-negative ones (ReLU outputs, pixels) with one
 * negative row among them, and weights on the default ±64 levels or on ±127 with a -128 (a file
 * written by another tool): each takes a different native product.
 */
const KINDS = [
  { rowsFrom: 'signed', levels: WEIGHT_LEVELS },
  { rowsFrom: 'relu', levels: WEIGHT_LEVELS },
  { rowsFrom: 'relu', levels: 127 },
] as const;
type Kind = (typeof KINDS)[number];

interface Inputs {
  x: Float32Array;
  w: Int8Array;
  sw: Float32Array;
  b: Float32Array;
}

/** Random rows with awkward ones mixed in: all zero, vanishingly small, ties at .5, one huge value, NaN, -Infinity. */
function inputs(rows: number, k: number, n: number, kind: Kind): Inputs {
  const kp = quantizedStride(k);
  const x = new Float32Array(rows * k);
  fillRandom(x, rows * 31 + k, -3, 3);
  if (kind.rowsFrom === 'relu') for (let i = 0; i < x.length; i++) if (Math.floor(i / k) !== 10) x[i] = Math.abs(x[i]!);
  if (rows > 1) x.fill(0, k, 2 * k);
  if (rows > 2) for (let p = 0; p < k; p++) x[2 * k + p] = 1e-35 * (p + 1);
  // max 127 makes the quantizer's factor exactly 1, so these land on exact halves: 2.5, -3.5, …
  if (rows > 3) for (let p = 0; p < k; p++) x[3 * k + p] = p === 0 ? 127 : (p % 7) - 3.5 + (p % 2);
  if (rows > 4) x[4 * k] = 1e30;
  // Non-finite values (a hidden layer can overflow): NaN and -Infinity in the vector part, NaN in the scalar tail.
  if (rows > 5) x[5 * k + Math.min(1, k - 1)] = NaN;
  if (rows > 6) x[6 * k + Math.min(2, k - 1)] = -Infinity;
  if (rows > 7) x[7 * k + k - 1] = NaN;
  // Rows 8 on are plain (with row 10 negative in the non-negative kind): whole tiles of the fast product.
  const wf = new Float32Array(n * k);
  fillRandom(wf, n * 7 + k);
  const w = new Int8Array(n * kp);
  const sw = new Float32Array(n);
  for (let j = 0; j < n; j++) sw[j] = quantizeRow(k, wf, j * k, w, j * kp, kind.levels);
  if (kind.levels > WEIGHT_LEVELS) w[n * kp - kp + k - 1] = -128;
  const b = new Float32Array(n);
  fillRandom(b, n, -0.5, 0.5);
  return { x, w, sw, b };
}

/** Runs the kernel on `backend` with arrays from its own `alloc`. */
function runOn(backend: Backend, rows: number, k: number, n: number, d: Inputs): FloatArray {
  const kp = quantizedStride(k);
  const x = backend.alloc(rows * k);
  x.set(d.x);
  const q = backend.alloc((rows * kp) >> 1);
  int8View(q).fill(77); // stale scratch must not leak into the result
  const sx = backend.alloc(rows);
  const w = backend.alloc((n * kp) >> 2);
  int8View(w).set(d.w);
  const sw = backend.alloc(n);
  sw.set(d.sw);
  const b = backend.alloc(n);
  b.set(d.b);
  const z = backend.alloc(rows * n);
  backend.run(quantizedAffine, rows, [x, q, sx, w, sw, b, z], { k, kp, n, wmax: maxMagnitude(d.w) });
  return z;
}

describe('quantization arithmetic', () => {
  it('rounds halves to even, as f32.nearest does', () => {
    const cases = [-3.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 2.4999998, -2.5000002, 126.5];
    expect(cases.map(roundHalfEven)).toEqual([-4, -2, -2, -0, 0, 2, 2, 4, 2, -3, 126]);
  });

  it('maps a row onto [-127, 127] with its largest magnitude at ±127', () => {
    const x = Float32Array.from([0.5, -2, 1.25, 0]);
    const q = new Int8Array(4);
    const s = quantizeRow(4, x, 0, q, 0);
    expect(s).toBe(Math.fround(2 / 127));
    expect([...q]).toEqual([32, -127, 79, 0]);
    for (let i = 0; i < 4; i++) expect(Math.abs((q[i] as number) * s - (x[i] as number))).toBeLessThanOrEqual(s / 2);
  });

  it('maps weights onto [-64, 64] at WEIGHT_LEVELS', () => {
    const x = Float32Array.from([0.5, -2, 1.25, 0]);
    const q = new Int8Array(4);
    expect(quantizeRow(4, x, 0, q, 0, WEIGHT_LEVELS)).toBe(Math.fround(2 / 64));
    expect([...q]).toEqual([16, -64, 40, 0]);
  });

  it('is run natively by the wasm build', () => {
    expect(NATIVE_ELEMENTWISE['quantizedAffine']).toBeDefined();
  });
});

const reference = BACKENDS.find((c) => c.label === 'js')?.backend;

const CASES = BACKENDS.flatMap((c) =>
  KINDS.map((kind) => ({ ...c, kind, name: `${kind.rowsFrom} rows, ±${String(kind.levels)} weights` })),
);

describe.runIf(reference !== undefined).each(CASES)('quantizedAffine on $label, $name', ({ backend, kind }) => {
  it.each(SHAPES)('rows=%i k=%i n=%i: bit-identical to the scalar reference', (rows, k, n) => {
    const d = inputs(rows, k, n, kind);
    const want = runOn(reference as Backend, rows, k, n, d);
    const got = runOn(backend, rows, k, n, d);
    let diff = -1;
    for (let i = 0; i < rows * n && diff < 0; i++) if (!Object.is(got[i], want[i])) diff = i;
    expect(diff, diff >= 0 ? `z[${String(diff)}] ${String(got[diff])} vs ${String(want[diff])}` : '').toBe(-1);
  });
});
