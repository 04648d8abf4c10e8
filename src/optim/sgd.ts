import { NeuriteError, describe } from '../core/errors.js';
import type { Kernel } from '../backend/types.js';
import { io, setting, updateRule, type Rule, type StepAttrs } from './rule.js';

/** Options of plain, momentum and Nesterov SGD. */
export interface SgdOptions {
  learningRate?: number;
  /** Heavy-ball momentum μ in [0, 1); 0 is plain SGD. */
  momentum?: number;
  /** Nesterov's look-ahead (Sutskever et al. 2013). */
  nesterov?: boolean;
}

/** SGD's default learning rate (Keras). */
export const SGD_LEARNING_RATE = 0.01;

// Scalars of one step; mutated in place so a step allocates nothing.
type SgdAttrs = StepAttrs;
type MomentumAttrs = StepAttrs & { momentum: number; nesterov: number };

/** Plain SGD: p −= lr·g. */
export const sgdKernel: Kernel<SgdAttrs> = {
  name: 'sgd',
  arrays: ['p', 'g'],
  reference(n, list, { lr }) {
    const p = io(list, 0);
    const g = io(list, 1);
    for (let i = 0; i < n; i++) p[i] = (p[i] as number) - lr * (g[i] as number);
  },
};

/** Momentum SGD, PyTorch/tfjs form: v = μv + g; p −= lr·(nesterov ? g + μv : v). */
export const momentumKernel: Kernel<MomentumAttrs> = {
  name: 'momentum',
  arrays: ['p', 'g', 'v'],
  reference(n, list, a) {
    const p = io(list, 0);
    const g = io(list, 1);
    const v = io(list, 2);
    const { lr, momentum } = a;
    const nesterov = a.nesterov !== 0;
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      const vi = momentum * (v[i] as number) + gi;
      v[i] = vi;
      p[i] = (p[i] as number) - lr * (nesterov ? gi + momentum * vi : vi);
    }
  },
};

/** Stochastic gradient descent, with optional (Nesterov) momentum. Default learning rate 0.01 (Keras). */
export function sgd(o: SgdOptions = {}): Rule {
  const momentum = setting(o.momentum, 0, 'momentum', 0, 1);
  const nesterov = o.nesterov ?? false;
  if (typeof nesterov !== 'boolean') {
    throw new NeuriteError('INVALID_OPTION', `nesterov must be true or false, got ${describe(nesterov)}`);
  }
  const common = { type: 'sgd', learningRate: o.learningRate, defaultLearningRate: SGD_LEARNING_RATE };
  return momentum === 0
    ? updateRule({ ...common, kernel: sgdKernel, attrs: {} })
    : updateRule({ ...common, kernel: momentumKernel, attrs: { momentum, nesterov: nesterov ? 1 : 0 } });
}
