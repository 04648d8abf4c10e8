import { assertNumber } from '../core/errors.js';
import { slot, type Rule } from './rule.js';

/** Options of Adagrad. */
export interface AdagradOptions {
  learningRate?: number;
  /** Starting value of the squared-gradient accumulator (Keras and tfjs: 0.1). */
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** Adagrad (Duchi et al. 2011), in tfjs's form. Defaults: lr 0.01, accumulator 0.1, ε 1e-7. */
export function adagrad(o: AdagradOptions = {}): Rule {
  const learningRate = o.learningRate ?? 0.01;
  const initialAccumulatorValue = o.initialAccumulatorValue ?? 0.1;
  const epsilon = o.epsilon ?? 1e-7;
  assertNumber(initialAccumulatorValue, 'initialAccumulatorValue', 0);
  assertNumber(epsilon, 'epsilon', 0, Infinity, true);
  return {
    type: 'adagrad',
    learningRate,
    slots: 1,
    nonNegativeSlots: [0],
    config: { learningRate, initialAccumulatorValue, epsilon },
    apply: (b, n, p, g, s, lr, t) => {
      const acc = slot(s, 0);
      if (t === 1) acc.fill(initialAccumulatorValue);
      b.adagradStep(n, p, g, acc, lr, epsilon);
    },
  };
}
