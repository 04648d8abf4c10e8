// The quantized dense kernel on every backend against its scalar reference, bit for bit: integer
// sums are exact and every float step is one float32 operation, so a native version must give the
// reference's values exactly, whichever product it picks (the wasm build: i32x4.dot_i16x8_s, or
// relaxed SIMD byte products for weights within ±64 and non-negative rows, skipping the 16-value
// steps where both rows of a pair are zero, or, for a row with few nonzero 4-value groups, taking
// only those), for row counts around the four-row tile, weight rows around the two-row tile and
// the sparse product's 32- and 4-output blocks, and k around the 4-, 16- and 32-lane steps.
import { describe, expect, it } from 'vitest';
import {
  int8View,
  maxMagnitude,
  packQuantizedWeights,
  quantizedAffine,
  quantizedStride,
  quantizedWeightBytes,
  quantizeRow,
  roundHalfEven,
  WEIGHT_LEVELS,
} from '../../src/backend/js/quantized-affine.js';
import type { Backend } from '../../src/backend/types.js';
import { NATIVE_ELEMENTWISE } from '../../src/backend/wasm/native-kernels.js';
import type { FloatArray } from '../../src/core/matrix.js';
import { NeuralNetwork, quantize, type LayerSpec } from '../../src/index.js';
import { BACKENDS, fillRandom } from './backends.js';
import { W2_LAYERS } from '../helpers/w2-network.js';

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
  [11, 50, 37],
  [14, 784, 35],
  [23, 100, 20],
];

/**
 * How the data is made: rows of either sign or non-negative ones (ReLU outputs, pixels) with one
 * negative row among them, and weights on the default ±64 levels or on ±127 with a -128 (a file
 * written by another tool): each takes a different native product. `sparse` rows are non-negative
 * with runs of `run` zeros, differing from row to row (as pixels of a digit's background), every
 * third row left dense: the narrow product skips 16-value steps where both rows of a pair are
 * zero, the sparse one takes rows with few nonzero 4-value groups (runs of 4 give it odd and even
 * counts of groups), the others the tiles, side by side.
 */
const KINDS = [
  { rowsFrom: 'signed', levels: WEIGHT_LEVELS, run: 0 },
  { rowsFrom: 'relu', levels: WEIGHT_LEVELS, run: 0 },
  { rowsFrom: 'relu', levels: 127, run: 0 },
  { rowsFrom: 'sparse', levels: WEIGHT_LEVELS, run: 16 },
  { rowsFrom: 'sparse', levels: WEIGHT_LEVELS, run: 4 },
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
  if (kind.rowsFrom !== 'signed')
    for (let i = 0; i < x.length; i++) if (Math.floor(i / k) !== 10) x[i] = Math.abs(x[i]!);
  if (kind.rowsFrom === 'sparse') zeroRuns(x, rows, k, 8, kind.run);
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

/**
 * Zeroes runs of `run` values in rows `from` on but every third (about 3 in 7 runs, in a pattern
 * that shifts from row to row, so the rows of a tile differ), and all of one row but its last value.
 */
function zeroRuns(x: Float32Array, rows: number, k: number, from: number, run = 16): void {
  for (let r = from; r < rows; r++) {
    if ((r - from) % 3 === 2) continue;
    for (let p = 0; p < k; p++) if ((Math.floor(p / run) * 3 + r * 5) % 7 < 3) x[r * k + p] = 0;
  }
  if (rows > from + 1) x.fill(0, (from + 1) * k, (from + 2) * k - 1);
}

/** Runs the kernel on `backend` with arrays from its own `alloc`. */
function runOn(backend: Backend, rows: number, k: number, n: number, d: Inputs): FloatArray {
  const kp = quantizedStride(k);
  const x = backend.alloc(rows * k);
  x.set(d.x);
  const q = backend.alloc((rows * kp) >> 1);
  int8View(q).fill(77); // stale scratch must not leak into the result
  const sx = backend.alloc(rows);
  const w = backend.alloc(quantizedWeightBytes(n, kp) >> 2);
  packQuantizedWeights(n, k, d.w, kp, int8View(w));
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
  KINDS.map((kind) => ({
    ...c,
    kind,
    name: `${kind.rowsFrom}${kind.run > 0 ? ` (runs of ${String(kind.run)})` : ''} rows, ±${String(kind.levels)} weights`,
  })),
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

/** A backend that runs the quantized network layer by layer (as if it had no native `quantizedForward`). */
function layerByLayer(backend: Backend): Backend {
  return Object.create(backend, {
    accelerates: { value: (name: string) => name !== 'quantizedForward' && backend.accelerates(name) },
  }) as Backend;
}

/**
 * Networks for the whole-forward kernel: every activation it runs natively (softmax by rows), row
 * counts around its 32-row blocks and the tiles, and the W3 shape. Row counts keep every layer's
 * outputs above 16 values, where the layer-by-layer path runs the activations natively too (below,
 * it runs the reference's, whose float64 steps can differ in the last bit: leakyRelu's slope).
 * `exact` marks networks whose activations are exact on every backend (relu, linear), so the
 * reference backend gives the same bits too.
 */
const NETS: { name: string; layers: readonly (number | LayerSpec)[]; rows: number[]; exact: boolean }[] = [
  {
    name: '20 → 33 relu → 17 leakyRelu → 5 softmax',
    layers: [
      20,
      { units: 33, activation: 'relu' },
      { units: 17, activation: 'leakyRelu', alpha: 0.2 },
      { units: 5, activation: 'softmax' },
    ],
    rows: [4, 5, 31, 32, 33, 67, 400],
    exact: false,
  },
  {
    name: '50 → 16 sigmoid → 8 tanh → 3 linear',
    layers: [50, { units: 16, activation: 'sigmoid' }, { units: 8, activation: 'tanh' }, 3],
    rows: [3, 65],
    exact: false,
  },
  {
    name: '30 → 40 relu → 9 elu → 7 linear',
    layers: [30, { units: 40, activation: 'relu' }, { units: 9, activation: 'elu' }, 7],
    rows: [4, 70],
    exact: false,
  },
  {
    name: '30 → 40 relu → 7 linear',
    layers: [30, { units: 40, activation: 'relu' }, 7],
    rows: [1, 9, 300],
    exact: true,
  },
  {
    name: 'the W3 network (784 → 128 relu → 64 relu → 10 softmax), past one 1,024-row pass',
    layers: W2_LAYERS,
    rows: [1100],
    exact: false,
  },
];

/** The index of the first value that differs in bits (-1: none). */
function firstDiff(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}

const NATIVE = BACKENDS.filter((c) => c.backend.accelerates('quantizedAffine'));

describe.runIf(reference !== undefined).each(NATIVE)(
  'quantizedForward (the whole network in one call) on $label',
  ({ backend }) => {
    it('is what a quantized network runs on this backend', () => {
      expect(backend.accelerates('quantizedForward')).toBe(true);
    });

    it.each(NETS)(
      '$name: the same bits as layer by layer on this backend, and as the reference where exact',
      ({ layers, rows, exact }) => {
        const net = new NeuralNetwork({ layers, seed: 7, backend: reference as Backend });
        const fused = quantize(net, { backend });
        const split = quantize(net, { backend: layerByLayer(backend) });
        const ref = quantize(net, { backend: reference as Backend });
        const k = net.inputSize;
        for (const m of rows) {
          // Pixels in [0, 1] (the narrow product) with runs of background zeros (skipped steps),
          // and a signed row among them (the wide product).
          const data = new Float32Array(m * k);
          fillRandom(data, m + k, 0, 1);
          zeroRuns(data, m, k, 3, m % 2 === 0 ? 16 : 4);
          if (m > 2) for (let p = 0; p < k; p++) data[2 * k + p] = (data[2 * k + p] as number) - 0.5;
          const batch = { rows: m, cols: k, data };
          const got = fused.predictBatch(batch).data;
          const want = split.predictBatch(batch).data;
          const d = firstDiff(got, want);
          expect(d, `rows=${String(m)} out[${String(d)}] ${String(got[d])} vs ${String(want[d])}`).toBe(-1);
          if (exact) expect(firstDiff(got, ref.predictBatch(batch).data), `rows=${String(m)} vs reference`).toBe(-1);
          // On a pool the threads run different layers of their rows at once: called again and
          // again, so a race between them shows (they once overwrote each other's quantized rows
          // in about half of the W3 calls, and a single call passed).
          for (let again = 0; again < 40; again++) {
            const e = firstDiff(fused.predictBatch(batch).data, want);
            expect(e, `rows=${String(m)}, call ${String(again + 2)}: out[${String(e)}]`).toBe(-1);
          }
          expect([...fused.predict(data.subarray((m - 1) * k, m * k))]).toEqual([
            ...got.subarray((m - 1) * net.outputSize),
          ]);
        }
      },
    );
  },
);
