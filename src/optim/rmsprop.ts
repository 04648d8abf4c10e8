import type { Kernel } from '../backend/types.js';
import { epsilonSetting, io, setting, updateRule, type Rule, type StepAttrs } from './rule.js';

/** Options of RMSprop. */
export interface RmspropOptions {
  learningRate?: number;
  /** Decay of the running mean of squared gradients. */
  rho?: number;
  momentum?: number;
  epsilon?: number;
}

/** RMSprop's default learning rate (Keras). */
export const RMSPROP_LEARNING_RATE = 0.001;

type RmspropAttrs = StepAttrs & { rho: number; momentum: number; epsilon: number };

/** RMSprop (tfjs form): s = ρs + (1−ρ)g²; mom = μ·mom + lr·g/√(s + ε); p −= mom (μ = 0 skips mom). */
export const rmspropKernel: Kernel<RmspropAttrs> = {
  name: 'rmsprop',
  arrays: ['p', 'g', 's', 'mom'],
  reference(n, list, { lr, rho, momentum, epsilon }) {
    const p = io(list, 0);
    const g = io(list, 1);
    const s = io(list, 2);
    const mom = io(list, 3);
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      const si = rho * (s[i] as number) + (1 - rho) * gi * gi;
      s[i] = si;
      const step = (lr * gi) / Math.sqrt(si + epsilon);
      if (momentum === 0) {
        p[i] = (p[i] as number) - step;
      } else {
        const mi = momentum * (mom[i] as number) + step;
        mom[i] = mi;
        p[i] = (p[i] as number) - mi;
      }
    }
  },
};

/** RMSprop (Hinton, Coursera lecture 6e), in tfjs's form. Defaults: lr 1e-3, ρ 0.9, ε 1e-7. */
export function rmsprop(o: RmspropOptions = {}): Rule {
  return updateRule({
    type: 'rmsprop',
    learningRate: o.learningRate,
    defaultLearningRate: RMSPROP_LEARNING_RATE,
    kernel: rmspropKernel,
    nonNegative: ['s'],
    attrs: {
      rho: setting(o.rho, 0.9, 'rho', 0, 1),
      momentum: setting(o.momentum, 0, 'momentum', 0, 1),
      epsilon: epsilonSetting(o.epsilon),
    },
  });
}
