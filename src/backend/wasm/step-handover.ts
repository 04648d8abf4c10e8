import type { SampleStep } from '../types.js';

/** When {@link handOver} moves from the first step to the second (calls of the returned step). */
export interface HandOverSchedule {
  /** Calls that run only the first step. */
  readonly alone: number;
  /** After those, every `every`-th call runs the second step, … */
  readonly every: number;
  /** … until it has run this many; from then on every call runs it. */
  readonly warm: number;
}

/**
 * The wasm backend's schedule. A fresh process's first few thousand steps (seed 002's script: 4,000)
 * run the wasm step alone: V8 has not optimised the JS step yet and runs it boxed, 2–3× slower cold
 * (bench/w1-cold.mjs). Then one call in 16 warms the JS step, so that V8 has compiled it (~12 ms of
 * background compiling on a loaded 2-core machine) before it takes over: optimised, it runs a W1
 * step in ~93 ns against the wasm step's ~113 (Node 20, AMD EPYC; the three Math.exp calls cost
 * more from wasm), and a caller that has seen both never deoptimises when the mix changes.
 */
export const WASM_HANDOVER: HandOverSchedule = { alone: 4096, every: 16, warm: 1024 };

/**
 * A step that runs `first`, then `second` (made by `later` when first needed), by `schedule`. Both
 * must compute the same values bit for bit (here: the wasm and the JS compiled step of one plan,
 * both bit-identical to the reference kernels), so which one runs a call changes nothing but speed.
 * The count is per returned step, i.e. per plan and backend: every network of one architecture
 * shares it. Returns `first` itself when `later` gives no step (code generation forbidden).
 */
export function handOver(
  first: SampleStep,
  later: () => SampleStep | undefined,
  schedule: HandOverSchedule = WASM_HANDOVER,
): SampleStep {
  let calls = 0;
  let warmed = 0;
  let second: SampleStep | undefined;
  let refused = false;
  const { alone, every, warm } = schedule;
  return (P, G, input, target, lr, L) => {
    if (warmed >= warm) return (second as SampleStep)(P, G, input, target, lr, L);
    if (refused || ++calls <= alone || (calls - alone) % every !== 0) return first(P, G, input, target, lr, L);
    second ??= later();
    if (second === undefined) {
      refused = true;
      return first(P, G, input, target, lr, L);
    }
    warmed++;
    return second(P, G, input, target, lr, L);
  };
}
