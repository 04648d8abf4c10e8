import type { Kernel } from '../backend/types.js';
import { epsilonSetting, io, setting, updateRule, type Rule, type StepAttrs } from './rule.js';

/** Options of Adagrad. */
export interface AdagradOptions {
  learningRate?: number;
  /** Starting value of the squared-gradient accumulator (Keras and tfjs: 0.1). */
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** Adagrad's default learning rate (Keras). */
export const ADAGRAD_LEARNING_RATE = 0.01;

type AdagradAttrs = StepAttrs & { epsilon: number };

/** Adagrad (tfjs form): s += g²; p −= lr·g/√(s + ε). */
export const adagradKernel: Kernel<AdagradAttrs> = {
  name: 'adagrad',
  arrays: ['p', 'g', 's'],
  reference(n, list, { lr, epsilon }) {
    const p = io(list, 0);
    const g = io(list, 1);
    const s = io(list, 2);
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      const si = (s[i] as number) + gi * gi;
      s[i] = si;
      p[i] = (p[i] as number) - (lr * gi) / Math.sqrt(si + epsilon);
    }
  },
};

/** Adagrad (Duchi et al. 2011), in tfjs's form. Defaults: lr 0.01, accumulator 0.1, ε 1e-7. */
export function adagrad(o: AdagradOptions = {}): Rule {
  const initialAccumulatorValue = setting(o.initialAccumulatorValue, 0.1, 'initialAccumulatorValue', 0);
  return updateRule({
    type: 'adagrad',
    learningRate: o.learningRate,
    defaultLearningRate: ADAGRAD_LEARNING_RATE,
    kernel: adagradKernel,
    nonNegative: ['s'],
    attrs: { epsilon: epsilonSetting(o.epsilon) },
    // The accumulator starts at its initial value (a restored state, past step 1, keeps its own).
    first: (list) => io(list, 2).fill(initialAccumulatorValue),
  });
}
