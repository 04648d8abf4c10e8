import { assertNumber } from '../core/errors.js';
import type { FloatArray } from '../core/matrix.js';
import type { Backend, Kernel } from '../backend/types.js';

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
   * steps from 1. `meanwhile`, when given, is other work for the calling thread (fit gathers the
   * next batch): a rule passes it to its largest kernel call, so it runs while a thread pool
   * works on that call, or may leave it uncalled; the caller must not depend on it running.
   */
  apply(b: Backend, n: number, io: readonly FloatArray[], lr: number, t: number, meanwhile?: () => void): void;
  /** The kernel of an update rule that is exactly one kernel call per step (absent on chains and transforms). */
  readonly kernel?: Kernel;
}

/**
 * A hyper-parameter as given, or `fallback` when absent, checked to be a finite number in its
 * range (`INVALID_OPTION` naming it otherwise).
 */
export function setting(
  value: number | undefined,
  fallback: number,
  name: string,
  min: number,
  max = Infinity,
  exclusiveMin = false,
): number {
  const v = value ?? fallback;
  assertNumber(v, name, min, max, exclusiveMin);
  return v;
}

/** The ε of the rules that divide by a root (Adam, RMSprop, Adagrad): default 1e-7 (Keras, tfjs), > 0. */
export function epsilonSetting(value: number | undefined): number {
  return setting(value, 1e-7, 'epsilon', 0, Infinity, true);
}

/** Array `i` of a rule's `io` list, which `Optimizer` always fills before calling `apply`. */
export function io(list: readonly FloatArray[], i: number): FloatArray {
  return list[i] as FloatArray;
}

/** What every update kernel's attrs carry: the learning rate in force and the step count (from 1). */
export type StepAttrs = { lr: number; t: number };

/** The parts of an update rule that runs one kernel per step (see {@link updateRule}). */
export interface UpdateRuleParts<A extends StepAttrs> {
  type: string;
  /** The learning rate as the user gave it, or undefined for `defaultLearningRate`. */
  learningRate: number | undefined;
  defaultLearningRate: number;
  /** The kernel; its state slots are the arrays after `p` and `g` in `kernel.arrays`. */
  kernel: Kernel<A>;
  /** Names (in `kernel.arrays`) of the slots that never hold a negative value (running squares). */
  nonNegative?: readonly string[];
  /** The kernel's hyper-parameters; `lr` and `t` are added and written before every call. */
  attrs: Omit<A, keyof StepAttrs>;
  /** Runs before the first step's kernel (e.g. Adagrad's accumulator fill); not on a resumed state. */
  first?: (list: readonly FloatArray[]) => void;
}

/**
 * An update rule whose step is one kernel over `[p, g, ...slots]`: its attrs record is made once
 * and updated in place, so a step allocates nothing.
 */
export function updateRule<A extends StepAttrs>(parts: UpdateRuleParts<A>): Rule {
  const { kernel, first } = parts;
  const learningRate = parts.learningRate ?? parts.defaultLearningRate;
  assertNumber(learningRate, 'learningRate', 0);
  const attrs = { lr: 0, t: 0, ...parts.attrs } as A;
  const slotNames = kernel.arrays.slice(2);
  const rule: Rule = {
    type: parts.type,
    kernel: kernel as Kernel,
    learningRate,
    slots: slotNames.length,
    apply(b, n, list, lr, t, meanwhile) {
      if (t === 1) first?.(list);
      attrs.lr = lr;
      attrs.t = t;
      b.run(kernel, n, list, attrs, meanwhile);
    },
  };
  const nonNegative = parts.nonNegative?.map((name) => slotNames.indexOf(name));
  return nonNegative === undefined ? rule : { ...rule, nonNegativeSlots: nonNegative };
}
