import { describe, expect, it } from 'vitest';
import { Optimizer, Rng, createSchedule, type OptimizerSpec, type OptimizerState } from '../../src/index.js';
import { testBackend } from '../helpers/backends.js';
import { expectCode } from '../helpers/errors.js';

const n = 9;
const b = testBackend();

/** `steps` updates of a fixed parameter vector from seeded gradients, one schedule epoch each. */
function run(opt: Optimizer, p: Float32Array, steps: number, rng: Rng): void {
  const g = b.alloc(n) as Float32Array;
  for (let s = 0; s < steps; s++) {
    opt.startEpoch(opt.epochs);
    for (let i = 0; i < n; i++) g[i] = rng.normal(0, 1) + (p[i] as number);
    opt.step(b, n, p, g);
    opt.endEpoch(rng.next());
  }
}

const bits = (x: Float32Array): number[] => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

describe('Optimizer.getState / setState', () => {
  const specs: OptimizerSpec[] = [
    { type: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true },
    { type: 'adam', learningRate: 0.01, schedule: { type: 'exponential', decayRate: 0.9 } },
    { type: 'rmsprop', momentum: 0.3, schedule: { type: 'reduceOnPlateau', patience: 0, factor: 0.5 } },
    { type: 'adagrad' },
  ];
  for (const spec of specs) {
    it(`${spec.type}${spec.schedule ? ` + ${spec.schedule.type}` : ''}: a fresh optimizer given the state continues bit for bit`, () => {
      const straight = new Optimizer(spec);
      const p1 = b.alloc(n) as Float32Array;
      run(straight, p1, 10, new Rng(1));
      const first = new Optimizer(spec);
      const p2 = b.alloc(n) as Float32Array;
      const rng = new Rng(1);
      run(first, p2, 4, rng);
      const second = new Optimizer(spec);
      second.setState(b, n, first.getState());
      expect(second.getState()).toEqual(first.getState());
      run(second, p2, 6, rng);
      expect(bits(p2)).toEqual(bits(p1));
      expect(second.getState()).toEqual(straight.getState());
    });
  }

  it('getState returns copies, and setState copies what it is given', () => {
    const opt = new Optimizer({ type: 'adam' });
    const p = b.alloc(n) as Float32Array;
    run(opt, p, 2, new Rng(2));
    const state = opt.getState();
    const before = Float32Array.from(state.slots[0]!);
    state.slots[0]!.fill(42);
    expect(opt.getState().slots[0]).toEqual(before);
    const other = new Optimizer({ type: 'adam' });
    other.setState(b, n, state);
    state.slots[0]!.fill(7);
    expect(other.getState().slots[0]!.every((v) => v === 42)).toBe(true);
  });

  it('a state that does not fit is refused with a code and message, and nothing changes', () => {
    const opt = new Optimizer({ type: 'adam', schedule: { type: 'reduceOnPlateau' } });
    const p = b.alloc(n) as Float32Array;
    run(opt, p, 3, new Rng(3));
    const good = opt.getState();
    const target = new Optimizer({ type: 'adam', schedule: { type: 'reduceOnPlateau' } });
    const untouched = target.getState();
    const v = (x: number, at = 0): Float32Array => {
      const a = new Float32Array(n).fill(0.5);
      a[at] = x;
      return a;
    };
    const cases: [Partial<OptimizerState> | Record<string, unknown>, string, RegExp][] = [
      [{ slots: [v(0), new Float32Array(n - 1)] }, 'SHAPE_MISMATCH', /slots\[1\] must hold 9 values.*got 8/],
      [{ slots: [v(0)] }, 'SHAPE_MISMATCH', /slots must hold 2 arrays for adam after 3 steps, got 1/],
      [{ slots: [v(NaN, 4), v(0)] }, 'NON_FINITE', /slots\[0\]\[4\] is NaN/],
      [{ slots: [v(0), v(Infinity, 8)] }, 'NON_FINITE', /slots\[1\]\[8\] is Infinity/],
      [{ slots: [v(0), v(-1, 3)] }, 'INVALID_OPTION', /slots\[1\]\[3\] must be >= 0/],
      [{ slots: [v(0), [1, 2]] }, 'INVALID_OPTION', /slots\[1\] must be a Float32Array/],
      [{ steps: 1.5 }, 'INVALID_OPTION', /steps must be an integer >= 0, got 1.5/],
      [{ epochs: -2 }, 'INVALID_OPTION', /epochs must be an integer >= 0, got -2/],
      [{ learningRate: Infinity }, 'INVALID_OPTION', /learningRate must be a finite number >= 0/],
      [{ schedule: undefined }, 'INVALID_OPTION', /schedule must be an object/],
      [{ schedule: { multiplier: 0.5, best: NaN, wait: 0 } }, 'INVALID_OPTION', /schedule.best/],
    ];
    for (const [patch, code, message] of cases) {
      expectCode(
        () => target.setState(b, n, { ...good, ...patch } as OptimizerState),
        code as 'INVALID_OPTION',
        message,
      );
      expect(target.getState()).toEqual(untouched);
    }
    expectCode(() => target.setState(b, n, null as unknown as OptimizerState), 'INVALID_OPTION', /got null/);
  });

  it('counts epochs, and reduceOnPlateau’s own state round-trips (best is null before any loss)', () => {
    const s = createSchedule({ type: 'reduceOnPlateau', factor: 0.5, patience: 0, minDelta: 0 });
    expect(s.getState?.()).toEqual({ multiplier: 1, best: null, wait: 0 });
    s.observe(1);
    s.observe(2);
    expect(s.getState?.()).toEqual({ multiplier: 0.5, best: 1, wait: 0 });
    const t = createSchedule({ type: 'reduceOnPlateau', factor: 0.5, patience: 0, minDelta: 0 });
    t.setState?.(s.getState!());
    t.observe(3);
    s.observe(3);
    expect(t.getState?.()).toEqual(s.getState?.());
    expect(t.rate(0, 1)).toBe(0.25);
    expect('getState' in createSchedule({ type: 'cosine', epochs: 5 })).toBe(false);
    const opt = new Optimizer('sgd');
    opt.endEpoch(1);
    opt.endEpoch(1);
    expect(opt.getState()).toEqual({ steps: 0, epochs: 2, learningRate: 0.01, slots: [] });
  });
});
