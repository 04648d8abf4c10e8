import type { SampleStep } from '../types.js';

/** When {@link handOver} tries the second step (counted in calls of the returned step). */
export interface HandOverSchedule {
  /** Calls that run only the first step. */
  readonly alone: number;
  /**
   * Then a trial every `every` calls (more than 2 · `block`): `block` calls of the first step and
   * `block` of the second, each block timed.
   */
  readonly every: number;
  readonly block: number;
}

/**
 * The wasm backend's schedule. A fresh process's first few thousand steps (seed 002's script runs
 * 4,000) go to the wasm step alone: V8 has not optimised the JS step yet and runs it 2–3× slower
 * (boxed numbers; bench/w1-cold.mjs). Then one call in 16 goes to the JS step, which V8 optimises
 * after 150–1,400 of them (plus a few ms of background compiling), and the JS step takes over
 * at the first trial where it is faster: optimised it runs a W1 step in ~50–58 ns against the
 * wasm step's ~64 (Node 20, AMD EPYC, load 3; Math.exp costs more called from wasm).
 */
export const WASM_HANDOVER: HandOverSchedule = { alone: 4096, every: 256, block: 16 };

/** Milliseconds from `performance.now()`; a constant where a runtime lacks it (every trial is then a tie). */
function now(): number {
  return typeof performance === 'undefined' ? 0 : performance.now();
}

/**
 * A step that runs `first` and, by `schedule`, `second` (made by `later` when first needed), which
 * takes over for good after a trial in which its block of calls took less time (`clock`, in any
 * unit) than the first step's block just before it. Both must compute the same values bit for bit
 * (here: the wasm and the JS compiled step of one plan, both bit-identical to the reference
 * kernels), so which one runs a call, and so the clock, changes nothing but speed. The count is per
 * returned step, i.e. per plan and backend: every network of one architecture shares it. When
 * `later` gives no step (code generation forbidden) `first` runs every call.
 */
export function handOver(
  first: SampleStep,
  later: () => SampleStep | undefined,
  schedule: HandOverSchedule = WASM_HANDOVER,
  clock: () => number = now,
): SampleStep {
  const { alone, every, block } = schedule;
  let second: SampleStep | undefined;
  let switched = false;
  let refused = false;
  let calls = 0;
  /** When the current trial's first block and second block started (clock readings). */
  let t0 = 0;
  let t1 = 0;
  return (P, G, input, target, lr, L) => {
    if (!switched) {
      const at = calls++ - alone;
      if (at < 0 || refused) return first(P, G, input, target, lr, L);
      // Both blocks are timed from one call's start to the next block's, the caller's work between calls included.
      const t = at % every;
      if (t === 0) {
        // Made before the clock starts: building it (code generation) is no part of either block.
        second ??= later();
        if (second === undefined) {
          refused = true;
          return first(P, G, input, target, lr, L);
        }
        t0 = clock();
      } else if (t === block) t1 = clock();
      else if (t === 2 * block) switched = clock() - t1 < t1 - t0;
      if (!switched && (t < block || t >= 2 * block)) return first(P, G, input, target, lr, L);
    }
    return (second as SampleStep)(P, G, input, target, lr, L);
  };
}
