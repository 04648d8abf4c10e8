import { assertNumber } from '../core/errors.js';
import { slot, type Rule } from './rule.js';

/** Options of RMSprop. */
export interface RmspropOptions {
  learningRate?: number;
  /** Decay of the running mean of squared gradients. */
  rho?: number;
  momentum?: number;
  epsilon?: number;
}

/** RMSprop (Hinton, Coursera lecture 6e), in tfjs's form. Defaults: lr 1e-3, ρ 0.9, ε 1e-7. */
export function rmsprop(o: RmspropOptions = {}): Rule {
  const learningRate = o.learningRate ?? 0.001;
  const rho = o.rho ?? 0.9;
  const momentum = o.momentum ?? 0;
  const epsilon = o.epsilon ?? 1e-7;
  assertNumber(rho, 'rho', 0, 1);
  assertNumber(momentum, 'momentum', 0, 1);
  assertNumber(epsilon, 'epsilon', 0, Infinity, true);
  return {
    type: 'rmsprop',
    learningRate,
    slots: 2,
    nonNegativeSlots: [0],
    config: { learningRate, rho, momentum, epsilon },
    apply: (b, n, p, g, s, lr) => b.rmspropStep(n, p, g, slot(s, 0), slot(s, 1), lr, rho, momentum, epsilon),
  };
}
