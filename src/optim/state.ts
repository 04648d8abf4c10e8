import { describe, type NeuriteErrorCode } from '../core/errors.js';
import type { Rule } from './rule.js';
import { scheduleStateProblem, type ScheduleSpec, type ScheduleState } from './schedules.js';

/**
 * An optimizer's training state as plain arrays: what `Optimizer.getState` returns and `setState`
 * accepts, and what a model file stores, so a resumed run continues exactly where it stopped.
 */
export interface OptimizerState {
  /** Steps taken so far (the `t` of Adam's bias correction; Adagrad fills its accumulator at step 1). */
  steps: number;
  /** Epochs completed: the position of the learning-rate schedule. */
  epochs: number;
  /** The learning rate in force (after the schedule). */
  learningRate: number;
  /**
   * The rule's state arrays, one value per parameter: none before the first step, then `Rule.slots`
   * of them (SGD momentum: velocity; Adam/AdamW: m, v; RMSprop: mean square, momentum; Adagrad:
   * accumulator).
   */
  slots: Float32Array[];
  /** The schedule's own state (only `reduceOnPlateau` has one). */
  schedule?: ScheduleState;
}

/** What {@link optimizerStateProblem} found: the error code that fits and a "must be …, got …" message. */
export interface StateProblem {
  readonly code: NeuriteErrorCode;
  readonly message: string;
}

const count = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

/**
 * Why `s` cannot be the state of an optimizer with `rule` and `schedule` over `n` parameters, or
 * undefined when it fits. Reads every field and value and allocates nothing, so callers can check a
 * whole state before changing anything.
 */
export function optimizerStateProblem(
  s: unknown,
  rule: Rule,
  schedule: ScheduleSpec | undefined,
  n: number,
): StateProblem | undefined {
  const invalid = (message: string): StateProblem => ({ code: 'INVALID_OPTION', message });
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return invalid(`expected an object, got ${describe(s)}`);
  const { steps, epochs, learningRate, slots } = s as Record<string, unknown>;
  if (!count(steps)) return invalid(`steps must be an integer >= 0, got ${describe(steps)}`);
  if (!count(epochs)) return invalid(`epochs must be an integer >= 0, got ${describe(epochs)}`);
  if (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || learningRate < 0)
    return invalid(`learningRate must be a finite number >= 0, got ${describe(learningRate)}`);
  const want = steps > 0 ? rule.slots : 0;
  if (!Array.isArray(slots) || slots.length !== want) {
    const when = steps > 0 ? `after ${String(steps)} steps` : 'before the first step';
    const got = Array.isArray(slots) ? String(slots.length) : describe(slots);
    return {
      code: Array.isArray(slots) ? 'SHAPE_MISMATCH' : 'INVALID_OPTION',
      message: `slots must hold ${String(want)} arrays for ${rule.type} ${when}, got ${got}`,
    };
  }
  for (let k = 0; k < slots.length; k++) {
    const a: unknown = slots[k];
    if (!(a instanceof Float32Array)) return invalid(`slots[${String(k)}] must be a Float32Array, got ${describe(a)}`);
    if (a.length !== n) {
      return {
        code: 'SHAPE_MISMATCH',
        message: `slots[${String(k)}] must hold ${String(n)} values (one per parameter), got ${String(a.length)}`,
      };
    }
    const nonNegative = rule.nonNegativeSlots?.includes(k) === true;
    for (let i = 0; i < n; i++) {
      const v = a[i] as number;
      if (!Number.isFinite(v))
        return { code: 'NON_FINITE', message: `slots[${String(k)}][${String(i)}] is ${String(v)}` };
      if (nonNegative && v < 0) {
        return invalid(
          `slots[${String(k)}][${String(i)}] must be >= 0 (${rule.type} keeps a running sum of squares there), got ${String(v)}`,
        );
      }
    }
  }
  const scheduleProblem = scheduleStateProblem(schedule, (s as Record<string, unknown>)['schedule']);
  return scheduleProblem === undefined ? undefined : invalid(scheduleProblem);
}
