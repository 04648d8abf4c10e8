// The relaxed-SIMD product of `quantizedAffine` in each of V8's two wasm tiers. A kernel runs its
// baseline (Liftoff) code until V8 has optimized it (TurboFan), so both must give exact sums: on
// Node 20, `i32x4.relaxed_dot_i8x16_i7x16_add_s` does not in Liftoff (it drops the accumulator and
// doubles the product) while its TurboFan code is exact, and a test in one process sees mostly one
// tier. Each tier here is a fresh process with `--liftoff-only` or `--no-liftoff`, running the
// narrow and sparse products (non-negative rows with zero steps or groups, weights within ±64)
// against the scalar reference.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasRelaxedSimd } from '../../src/backend/wasm/probe.js';
import { enableRelaxedSimd } from '../../src/backend/wasm/node.js';

const wasmWanted = (process.env['NEURITE_BACKEND'] ?? 'wasm') !== 'js';
const src = (path: string): string => JSON.stringify(fileURLToPath(new URL(`../../src/${path}`, import.meta.url)));

/**
 * A child's script: 40 calls of 64 rows × 784 → 128 (the W3 layer 1 shape) and 41 × 128 → 10 on
 * the relaxed build, each compared with the JS reference; prints how many outputs differ.
 */
const CHILD = `
const { enableRelaxedSimd } = await import(${src('backend/wasm/node.ts')});
const { createWasmBackend } = await import(${src('backend/wasm/backend.ts')});
const { jsBackend } = await import(${src('backend/js/index.ts')});
const qa = await import(${src('backend/js/quantized-affine.ts')});
if (!enableRelaxedSimd()) throw new Error('no relaxed SIMD');
const wasm = createWasmBackend({ simd: 'relaxed' });
let s = 12345;
const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
function run(backend, rows, k, n, x, w, sw, b) {
  const kp = qa.quantizedStride(k);
  const X = backend.alloc(rows * k); X.set(x);
  const q = backend.alloc((rows * kp) >> 1);
  const sx = backend.alloc(rows);
  const W = backend.alloc(qa.quantizedWeightBytes(n, kp) >> 2);
  qa.packQuantizedWeights(n, k, w, kp, qa.int8View(W));
  const SW = backend.alloc(n); SW.set(sw);
  const B = backend.alloc(n); B.set(b);
  const z = backend.alloc(rows * n);
  backend.run(qa.quantizedAffine, rows, [X, q, sx, W, SW, B, z], { k, kp, n, wmax: qa.maxMagnitude(w) });
  return Float32Array.from(z);
}
let calls = 0, differ = 0;
for (const [rows, k, n, times] of [[64, 784, 128, 40], [9, 128, 10, 41]]) {
  const kp = qa.quantizedStride(k);
  for (let t = 0; t < times; t++) {
    // Non-negative rows (pixels, ReLU outputs), a third of their 16-value steps zero (the narrow
    // product), or in every other block of 4 rows two thirds of their 4-value groups (the sparse
    // one); the row maxima land on 127 and the weights on ±64, the extremes of the exact range.
    const x = new Float32Array(rows * k);
    for (let i = 0; i < x.length; i++) {
      const r = Math.floor(i / k);
      const zero = (r >> 2) % 2 === 1 ? (Math.floor((i % k) / 4) + t + r) % 3 !== 0 : (Math.floor((i % k) / 16) + t + r) % 3 === 0;
      x[i] = zero ? 0 : rnd();
    }
    const wf = new Float32Array(n * k).map(() => rnd() * 2 - 1);
    const w = new Int8Array(n * kp);
    const sw = new Float32Array(n);
    for (let j = 0; j < n; j++) sw[j] = qa.quantizeRow(k, wf, j * k, w, j * kp, qa.WEIGHT_LEVELS);
    const b = new Float32Array(n).map(() => rnd() - 0.5);
    const got = run(wasm, rows, k, n, x, w, sw, b);
    const want = run(jsBackend, rows, k, n, x, w, sw, b);
    for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) differ++;
    calls++;
  }
}
console.log(JSON.stringify({ calls, differ }));
`;

function inTier(flag: string): { calls: number; differ: number } {
  const out = execFileSync(process.execPath, [flag, '--import', 'tsx', '--input-type=module', '-e', CHILD], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { calls: number; differ: number };
}

describe.runIf(wasmWanted && (enableRelaxedSimd() || hasRelaxedSimd()))(
  'the narrow quantized product in each V8 tier',
  () => {
    it.each(['--liftoff-only', '--no-liftoff'])('%s: the same bits as the scalar reference', (flag) => {
      expect(inTier(flag)).toEqual({ calls: 81, differ: 0 });
    });
  },
);
