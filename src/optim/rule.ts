import type { FloatArray } from '../core/matrix.js';
import type { Backend } from '../backend/types.js';

/**
 * An optimizer rule in the Optimisers.jl split: immutable hyper-parameters fixed when the rule is
 * made, `slots` state arrays of the parameter count (plain typed arrays, so they serialize and a
 * resumed run continues exactly), and `apply`, one step over the flat parameter vector. A rule
 * either transforms the gradient (clipping, L2 decay) or updates the parameters (SGD, Adam, …);
 * {@link chain} runs several in order.
 */
export interface Rule {
  /** The rule's name (`'adam'`, `'clipNorm'`, …; a chain is named after its update rule). */
  readonly type: string;
  /** The default step size of an update rule; absent on gradient transforms. */
  readonly learningRate?: number;
  /** Number of state arrays of length n the rule needs. */
  readonly slots: number;
  /** Indices of the slots that can never hold a negative value (running squares), checked on restore. */
  readonly nonNegativeSlots?: readonly number[];
  /**
   * One step over positions [0, n): `io` is `[p, g, ...slots]` (the same list, unchanged, from
   * step to step while the arrays stay; a rule may keep derived lists keyed by it). A transform
   * rewrites g; an update rule moves p from g. `lr` is the learning rate in force and `t` counts
   * steps from 1.
   */
  apply(b: Backend, n: number, io: readonly FloatArray[], lr: number, t: number): void;
}

/** Array `i` of a rule's `io` list, which `Optimizer` always fills before calling `apply`. */
export function io(list: readonly FloatArray[], i: number): FloatArray {
  return list[i] as FloatArray;
}
