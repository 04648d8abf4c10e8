import type { FloatArray } from '../core/matrix.js';
import type { Backend } from '../backend/types.js';

/**
 * An update rule in the Optimisers.jl split: immutable hyper-parameters, `slots` state arrays of
 * the parameter count (plain typed arrays, so they serialize and a resumed run continues exactly),
 * and `apply`, one backend call over the whole flat parameter vector.
 */
export interface Rule {
  readonly type: string;
  readonly learningRate: number;
  /** Number of state arrays of length n the rule needs. */
  readonly slots: number;
  /** Indices of the slots that can never hold a negative value (running squares), checked on restore. */
  readonly nonNegativeSlots?: readonly number[];
  /**
   * Updates `p` in place from `g`. `t` counts steps from 1. A rule that sets `savesParams` also
   * copies p's old values into `save` when given (in the same pass).
   */
  apply(
    b: Backend,
    n: number,
    p: FloatArray,
    g: FloatArray,
    state: readonly FloatArray[],
    lr: number,
    t: number,
    save?: FloatArray,
  ): void;
  /** True when `apply` honours `save`; otherwise `Optimizer` copies the parameters itself. */
  readonly savesParams?: boolean;
  /** The JSON form of the hyper-parameters. */
  readonly config: Readonly<Record<string, number | boolean | string>>;
}

/** The state slot `i`, which `Optimizer` always allocates before calling `apply`. */
export function slot(state: readonly FloatArray[], i: number): FloatArray {
  return state[i] as FloatArray;
}
