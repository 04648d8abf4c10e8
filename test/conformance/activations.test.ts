import { describe, expect, it } from 'vitest';
import { ActId, type ActKernel } from '../../src/backend/types.js';
import { batchActivation } from '../../src/evolve/fast-activations.js';
import { ACTIVATION_NAMES, getActivation } from '../../src/nn/activations.js';
import { BACKENDS, fillRandom } from './backends.js';

const SIZES = [0, 1, 3, 4, 5, 17, 67, 1000];
// Every elementwise activation, a non-default alpha, and one the backends cannot know (custom id).
const ACTS: ActKernel[] = [
  ...ACTIVATION_NAMES.filter((n) => n !== 'softmax').map((n) => getActivation(n)),
  getActivation('leakyRelu', 0.2),
  getActivation('elu', 0.5),
  // The fast tanh/sigmoid kernels: `f` is their one definition (backend/js/fast-activations.ts).
  batchActivation(getActivation('tanh'), 'fast'),
  batchActivation(getActivation('sigmoid'), 'fast'),
  { id: ActId.custom, param: 0, f: (x) => x * x, df: (x) => 2 * x },
];

/** Values spread over [-6, 6) with exact zeros mixed in (the kinks of relu and friends). */
function inputs(n: number, seed: number): Float64Array {
  const v = new Float64Array(n);
  fillRandom(v, seed, -6, 6);
  for (let i = 0; i < n; i += 11) v[i] = 0;
  return v;
}

describe.each(BACKENDS)('activations on $label', ({ backend }) => {
  it.each(ACTS.map((a) => [`${String(a.id)}/${String(a.param)}`, a] as const))(
    'forward and backward of %s match float64',
    (_, act) => {
      for (const n of SIZES) {
        const src = inputs(n, n + act.id);
        const x = backend.alloc(n);
        const y = backend.alloc(n);
        const dy = backend.alloc(n);
        const dx = backend.alloc(n);
        x.set(src);
        fillRandom(dy, n + 1);
        backend.actForward(act, n, x, y);
        // The fast approximations are float32 formulas: natively ½·tanh + ½ rounds to 2^-24 near 0.
        const atol = act.id === ActId.fastTanh || act.id === ActId.fastSigmoid ? 1.2e-7 : 0;
        for (let i = 0; i < n; i++) {
          const want = act.f(x[i]!);
          expect(Math.abs(y[i]! - want), `f(${x[i]}) n=${n}`).toBeLessThanOrEqual(
            1e-5 * (Math.abs(want) + 1e-3) + atol,
          );
        }
        backend.actBackward(act, n, x, y, dy, dx);
        for (let i = 0; i < n; i++) {
          const want = dy[i]! * act.df(x[i]!, y[i]!);
          expect(Math.abs(dx[i]! - want), `df(${x[i]}) n=${n}`).toBeLessThanOrEqual(
            1e-5 * (Math.abs(want) + Math.abs(dy[i]!)),
          );
        }
        // dx may alias dy.
        const copy = Float32Array.from(dx);
        backend.actBackward(act, n, x, y, dy, dy);
        expect(Array.from(dy)).toEqual(Array.from(copy));
        for (const a of [x, y, dy, dx]) backend.free?.(a);
      }
    },
  );

  it('propagates NaN through every activation and relu gradient', () => {
    const n = 37;
    const x = backend.alloc(n);
    const y = backend.alloc(n);
    const dy = backend.alloc(n);
    const dx = backend.alloc(n);
    for (const act of ACTS) {
      fillRandom(x, 9);
      x[3] = Number.NaN;
      x[20] = Number.NaN;
      backend.actForward(act, n, x, y);
      expect(Number.isNaN(y[3]!) && Number.isNaN(y[20]!), `act ${String(act.id)}`).toBe(true);
    }
    const relu = getActivation('relu');
    fillRandom(x, 10);
    x.fill(-1, 0, 8);
    fillRandom(dy, 11);
    dy[2] = Number.NaN;
    dy[30] = Number.NaN;
    backend.actForward(relu, n, x, y);
    backend.actBackward(relu, n, x, y, dy, dx);
    expect(Number.isNaN(dx[2]!)).toBe(true); // a dead unit still passes NaN on (0·NaN)
    expect(Number.isNaN(dx[30]!)).toBe(true);
  });

  it('softmax rows: stable, sum to 1, NaN rows stay NaN, backward matches float64', () => {
    for (const [m, n] of [
      [1, 1],
      [3, 4],
      [5, 10],
      [17, 67],
    ] as const) {
      const x = backend.alloc(m * n);
      const y = backend.alloc(m * n);
      fillRandom(x, m * n, -50, 50);
      x[0] = 1000; // overflows exp without the max shift
      if (m > 1) x[n] = Number.NaN;
      backend.softmaxRows(m, n, x, y);
      for (let r = 0; r < m; r++) {
        let max = -Infinity;
        for (let j = 0; j < n; j++) max = Math.max(max, x[r * n + j]!);
        let sum = 0;
        for (let j = 0; j < n; j++) sum += Math.exp(x[r * n + j]! - max);
        for (let j = 0; j < n; j++) {
          const want = Math.exp(x[r * n + j]! - max) / sum;
          if (r === 1 && m > 1) expect(Number.isNaN(y[r * n + j]!)).toBe(true);
          else expect(Math.abs(y[r * n + j]! - want)).toBeLessThanOrEqual(1e-5 * want + 1e-12);
        }
      }
      fillRandom(x, 3);
      backend.softmaxRows(m, n, x, y);
      const dy = backend.alloc(m * n);
      const dx = backend.alloc(m * n);
      fillRandom(dy, 4);
      backend.softmaxBackward(m, n, y, dy, dx);
      for (let r = 0; r < m; r++) {
        let s = 0;
        let mag = 0;
        for (let j = 0; j < n; j++) {
          s += dy[r * n + j]! * y[r * n + j]!;
          mag += Math.abs(dy[r * n + j]! * y[r * n + j]!);
        }
        for (let j = 0; j < n; j++) {
          const o = r * n + j;
          const want = y[o]! * (dy[o]! - s);
          expect(Math.abs(dx[o]! - want)).toBeLessThanOrEqual(1e-5 * y[o]! * (Math.abs(dy[o]!) + mag) + 1e-12);
        }
      }
      // In place: y may alias x.
      const copy = Float32Array.from(y);
      backend.softmaxRows(m, n, x, x);
      expect(Array.from(x.subarray(0, m * n))).toEqual(Array.from(copy.subarray(0, m * n)));
    }
  });
});
