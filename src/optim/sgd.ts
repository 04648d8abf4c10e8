import { assertNumber } from '../core/errors.js';
import { slot, type Rule } from './rule.js';

/** Options of plain, momentum and Nesterov SGD. */
export interface SgdOptions {
  learningRate?: number;
  /** Heavy-ball momentum μ in [0, 1); 0 is plain SGD. */
  momentum?: number;
  /** Nesterov's look-ahead (Sutskever et al. 2013). */
  nesterov?: boolean;
}

/** Stochastic gradient descent, with optional (Nesterov) momentum. Default learning rate 0.01 (Keras). */
export function sgd(o: SgdOptions = {}): Rule {
  const learningRate = o.learningRate ?? 0.01;
  const momentum = o.momentum ?? 0;
  const nesterov = o.nesterov ?? false;
  assertNumber(momentum, 'momentum', 0, 1);
  return {
    type: 'sgd',
    learningRate,
    slots: momentum > 0 ? 1 : 0,
    config: { learningRate, momentum, nesterov },
    apply: (b, n, p, g, s, lr) => b.sgdStep(n, p, g, momentum > 0 ? slot(s, 0) : g, lr, momentum, nesterov),
  };
}
