import type { FloatArray } from '../core/matrix.js';
import type { Rule } from './rule.js';

/**
 * Rules applied one after another to the same step (Optimisers.jl `OptimiserChain`): typically
 * gradient transforms first and one update rule last, e.g. `chain(clipNorm(1), weightDecay(1e-4),
 * adam())`. The chain's state is its members' slots, in member order; its learning rate is the
 * update rule's.
 *
 * @example
 * ```ts
 * const rule = chain(clipValue(0.5), sgd({ learningRate: 0.1 }));
 * rule.slots; // 0
 * ```
 */
export function chain(...rules: Rule[]): Rule {
  const slots = rules.map((r) => r.slots);
  const nonNegative: number[] = [];
  let first = 0;
  rules.forEach((r) => {
    for (const k of r.nonNegativeSlots ?? []) nonNegative.push(first + k);
    first += r.slots;
  });
  const update = [...rules].reverse().find((r) => r.learningRate !== undefined);
  // Each member's own [p, g, ...its slots], rebuilt only when the optimizer's list changes.
  let last: readonly FloatArray[] | undefined;
  let lists: FloatArray[][] = [];
  const rule: Rule = {
    type: update?.type ?? rules.map((r) => r.type).join('+'),
    slots: slots.reduce((a, b) => a + b, 0),
    nonNegativeSlots: nonNegative,
    apply(b, n, io, lr, t, meanwhile) {
      if (io !== last) {
        let at = 2;
        lists = rules.map((r) => {
          const own = [io[0] as FloatArray, io[1] as FloatArray, ...io.slice(at, at + r.slots)];
          at += r.slots;
          return own;
        });
        last = io;
      }
      // The other work goes with the last member: the update rule, whose kernel is the longest.
      const lastK = rules.length - 1;
      for (let k = 0; k < rules.length; k++)
        (rules[k] as Rule).apply(b, n, lists[k] as FloatArray[], lr, t, k === lastK ? meanwhile : undefined);
    },
  };
  return update?.learningRate !== undefined ? { ...rule, learningRate: update.learningRate } : rule;
}
