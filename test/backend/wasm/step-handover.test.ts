// The wasm backend's per-sample step runs its own wasm step for a process's first steps, then tries
// the JS compiled step and hands over to it once it runs faster (src/backend/wasm/step-handover.ts).
// Both must give the general path's bits, so the hand-over changes nothing but speed: checked
// through whole networks, for every activation and loss the wasm step writes out, on shared and
// unshared memory and on both sides of the size cut-off: once with a scripted clock that walks the
// real steps through every phase (wasm alone, trials, JS), once on the backend's own schedule and
// clock; plus the schedule itself on recording steps.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWasmBackend, type WasmBackend } from '../../../src/backend/wasm/backend.js';
import { wasmSampleStep, type StepHost } from '../../../src/backend/wasm/sample-step.js';
import { handOver, WASM_HANDOVER, type HandOverSchedule } from '../../../src/backend/wasm/step-handover.js';
import type { SampleStep } from '../../../src/backend/types.js';
import { jsBackend, NeuralNetwork, type Backend, type NetworkOptions } from '../../../src/index.js';
import { COMPILED_STEP_CASES, countingSteps, generalWasm, sameBits } from '../../helpers/step-cases.js';

/** Steps on the backend's own schedule: past the wasm step's solo run and through 64 trials. */
const STEPS = WASM_HANDOVER.alone + 64 * WASM_HANDOVER.every;

/** Counts the calls of every JS compiled step the wasm backend takes over with (the real steps run). */
function countJsSteps(): { calls: number } {
  const count = { calls: 0 };
  const compile = jsBackend.sampleStep!.bind(jsBackend);
  const js = jsBackend as Backend & Required<Pick<Backend, 'sampleStep'>>;
  vi.spyOn(js, 'sampleStep').mockImplementation((plan) => {
    const step = compile(plan);
    if (step === undefined) return undefined;
    return (...args: Parameters<SampleStep>) => {
      count.calls++;
      return step(...args);
    };
  });
  return count;
}

function rows(inputs: number, outputs: number, n: number, seed: number): { x: number[][]; y: number[][] } {
  let s = seed;
  const r = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return {
    x: Array.from({ length: n }, () => Array.from({ length: inputs }, () => r() * 4 - 2)),
    y: Array.from({ length: n }, () => Array.from({ length: outputs }, () => r())),
  };
}

const CASES: [string, Omit<NetworkOptions, 'backend' | 'seed'>][] = [
  ...COMPILED_STEP_CASES,
  // 10·15 + 15 + 15·5 + 5 = 245 parameters: just below the compiled steps' 256.
  ['10→15→5 sigmoid, mse (just below the size cut-off)', { layers: [10, 15, 5], activation: 'sigmoid', loss: 'mse' }],
];

/** What the wasm step needs from its backend (as the backend gives it). */
function host(wasm: WasmBackend): StepHost {
  return {
    memory: wasm.memory,
    shared: wasm.shared,
    maxPages: 65536,
    reserve: (bytes) => wasm.reserve(bytes),
    offsetOf: (a) => (a.buffer === wasm.memory.buffer ? a.byteOffset : -1),
  };
}

/** Trains `a` and `b` alike and checks that every loss, the weights and the optimizer state have the same bits. */
function trainAlike(a: NeuralNetwork, b: NeuralNetwork, x: number[][], y: number[][], steps: number): void {
  let differ = 0;
  let first = -1;
  for (let s = 0; s < steps; s++) {
    const la = a.train(x[s % x.length]!, y[s % y.length]!);
    const lb = b.train(x[s % x.length]!, y[s % y.length]!);
    if (!Object.is(la, lb) && differ++ === 0) first = s;
  }
  expect({ differ, first }).toEqual({ differ: 0, first: -1 });
  expect(sameBits(a.getWeights(), b.getWeights())).toBe(-1);
  const [sa, sb] = [a.optimizer.getState(), b.optimizer.getState()];
  expect(sa.steps).toBe(sb.steps);
  sa.slots.forEach((slot, i) => expect(sameBits(slot, sb.slots[i]!)).toBe(-1));
}

function caseRows(opts: Omit<NetworkOptions, 'backend' | 'seed'>): { x: number[][]; y: number[][] } {
  const last = opts.layers[opts.layers.length - 1]!;
  return rows(opts.layers[0] as number, typeof last === 'number' ? last : last.units, 9, 21);
}

/** A short schedule and a clock that makes the JS step lose the first two trials and win the third. */
const SCRIPTED: HandOverSchedule = { alone: 40, every: 40, block: 8 };
const READINGS = [0, 10, 25, 100, 110, 125, 200, 210, 215];
/** 300 steps: 40 alone, two lost trials (8 wasm, 8 JS, 24 wasm), then 8 wasm and the JS step from step 136 on. */
const SCRIPTED_STEPS = 300;
const SCRIPTED_WASM_CALLS = 40 + 2 * (8 + 24) + 8;

describe('the wasm step hands over to the JS step', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(CASES)('%s: the general path’s bits through every phase (scripted clock)', (_name, opts) => {
    const { x, y } = caseRows(opts);
    for (const shared of [false, true]) {
      const wasm = createWasmBackend({ shared, reserveBytes: 8 << 20 });
      const count = { wasm: 0, js: 0 };
      const counted = (step: SampleStep, which: 'wasm' | 'js'): SampleStep => {
        return (...args) => {
          count[which]++;
          return step(...args);
        };
      };
      let reading = 0;
      const clock = (): number => READINGS[reading++] ?? NaN;
      const scripted: Backend = {
        ...wasm,
        sampleStep: (plan) =>
          handOver(
            counted(wasmSampleStep(plan, host(wasm))!, 'wasm'),
            () => counted(jsBackend.sampleStep!(plan)!, 'js'),
            SCRIPTED,
            clock,
          ),
      };
      const a = new NeuralNetwork({ ...opts, seed: 14, backend: scripted });
      const b = new NeuralNetwork({ ...opts, seed: 14, backend: generalWasm(shared) });
      trainAlike(a, b, x, y, SCRIPTED_STEPS);
      expect(count).toEqual({ wasm: SCRIPTED_WASM_CALLS, js: SCRIPTED_STEPS - SCRIPTED_WASM_CALLS });
      expect(reading).toBe(READINGS.length);
    }
  });

  it.each(CASES)('%s: the general path’s bits on the backend’s own schedule and clock', (_name, opts) => {
    const { x, y } = caseRows(opts);
    for (const shared of [false, true]) {
      const js = countJsSteps();
      const a = new NeuralNetwork({ ...opts, seed: 15, backend: createWasmBackend({ shared, reserveBytes: 8 << 20 }) });
      const b = new NeuralNetwork({ ...opts, seed: 15, backend: generalWasm(shared) });
      trainAlike(a, b, x, y, STEPS);
      // Whether the JS step has taken over by now depends on the machine; it ran at least one trial.
      expect(js.calls).toBeGreaterThanOrEqual(WASM_HANDOVER.block);
      vi.restoreAllMocks();
    }
  });

  it('above the size cut-off neither step is built, and the general path runs (same bits)', () => {
    // 10·16 + 16 + 16·5 + 5 = 261 parameters.
    const opts = { layers: [10, 16, 5], activation: 'sigmoid', loss: 'mse' } as const;
    const js = countJsSteps();
    const counted = countingSteps(createWasmBackend({ shared: false, reserveBytes: 8 << 20 }));
    const a = new NeuralNetwork({ ...opts, seed: 3, backend: counted });
    const b = new NeuralNetwork({ ...opts, seed: 3, backend: generalWasm(false) });
    const { x, y } = rows(10, 5, 5, 8);
    for (let s = 0; s < 200; s++)
      expect(Object.is(a.train(x[s % 5]!, y[s % 5]!), b.train(x[s % 5]!, y[s % 5]!))).toBe(true);
    expect(counted.built).toBe(0);
    expect(js.calls).toBe(0);
    expect(sameBits(a.getWeights(), b.getWeights())).toBe(-1);
  });
});

describe('handOver', () => {
  /** A step that records its name for each call and returns the call's learning rate. */
  const recorder = (name: string, log: string[]): SampleStep => {
    return (_P, _G, _input, _target, lr) => {
      log.push(name);
      return lr;
    };
  };
  const L = { id: 0, f: () => 0, df: () => 0 };
  const P = new Float32Array(1);

  it('runs the first step alone, then trials, and hands over after the first trial the second step wins', () => {
    const log: string[] = [];
    let made = 0;
    const readings = [0, 4, 9, 20, 24, 27];
    let reading = 0;
    const step = handOver(
      recorder('a', log),
      () => {
        made++;
        return recorder('b', log);
      },
      { alone: 3, every: 6, block: 2 },
      () => readings[reading++] ?? NaN,
    );
    const returned: unknown[] = [];
    for (let i = 0; i < 3; i++) returned.push(step(P, P, [], [], i, L));
    expect(made).toBe(0); // not made before the first trial
    for (let i = 3; i < 20; i++) returned.push(step(P, P, [], [], i, L));
    // 3 alone; trial 1 (a a | b b | a a): b took 5 against a's 4; trial 2: b took 3 against 4, so b from then on.
    expect(log.join(' ')).toBe('a a a a a b b a a a a b b b b b b b b b');
    expect(returned).toEqual(Array.from({ length: 20 }, (_, i) => i)); // every call's value comes back
    expect(made).toBe(1);
    expect(reading).toBe(6);
  });

  it('a tie or an unreadable clock keeps the first step', () => {
    for (const clock of [() => 0, () => NaN]) {
      const log: string[] = [];
      const step = handOver(recorder('a', log), () => recorder('b', log), { alone: 0, every: 5, block: 2 }, clock);
      for (let i = 0; i < 15; i++) step(P, P, [], [], 0, L);
      expect(log.join('')).toBe('aabbaaabbaaabba');
    }
  });

  it('keeps the first step when the second cannot be made (code generation forbidden), asking once', () => {
    const log: string[] = [];
    let asked = 0;
    const step = handOver(
      recorder('a', log),
      () => {
        asked++;
        return undefined;
      },
      { alone: 1, every: 3, block: 1 },
      () => 0,
    );
    for (let i = 0; i < 8; i++) step(P, P, [], [], 0.1, L);
    expect(log.join('')).toBe('aaaaaaaa');
    expect(asked).toBe(1);
  });

  it('the wasm backend’s schedule leaves seed 002’s 4,000 steps of a fresh process to the wasm step', () => {
    expect(WASM_HANDOVER.alone).toBeGreaterThanOrEqual(4000);
    expect(WASM_HANDOVER.every).toBeGreaterThan(2 * WASM_HANDOVER.block);
  });
});
