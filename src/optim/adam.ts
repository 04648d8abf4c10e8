import type { Kernel } from '../backend/types.js';
import { epsilonSetting, io, setting, updateRule, type Rule, type StepAttrs } from './rule.js';

/** Options of Adam and AdamW. */
export interface AdamOptions {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Adam's default learning rate (Keras, PyTorch). */
export const ADAM_LEARNING_RATE = 0.001;

type AdamAttrs = StepAttrs & { beta1: number; beta2: number; epsilon: number; decay: number };

/**
 * Adam (Kingma & Ba 2014, Algorithm 1, as tfjs and PyTorch compute it):
 * m = β1m + (1−β1)g; v = β2v + (1−β2)g²; p −= lr · (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε).
 * `decay` > 0 is AdamW's decoupled decay, in the same pass: p −= lr·decay·p first.
 */
export const adamKernel: Kernel<AdamAttrs> = {
  name: 'adam',
  arrays: ['p', 'g', 'm', 'v'],
  reference(n, list, { lr, beta1, beta2, epsilon, t, decay }) {
    const p = io(list, 0);
    const g = io(list, 1);
    const m = io(list, 2);
    const v = io(list, 3);
    const c1 = 1 / (1 - Math.pow(beta1, t));
    const c2 = 1 / (1 - Math.pow(beta2, t));
    const keep = 1 - lr * decay;
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      const mi = beta1 * (m[i] as number) + (1 - beta1) * gi;
      const vi = beta2 * (v[i] as number) + (1 - beta2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = keep * (p[i] as number) - (lr * mi * c1) / (Math.sqrt(vi * c2) + epsilon);
    }
  },
};

function adamRule(type: string, o: AdamOptions, decay: number): Rule {
  return updateRule({
    type,
    learningRate: o.learningRate,
    defaultLearningRate: ADAM_LEARNING_RATE,
    kernel: adamKernel,
    nonNegative: ['v'],
    attrs: {
      beta1: setting(o.beta1, 0.9, 'beta1', 0, 1),
      beta2: setting(o.beta2, 0.999, 'beta2', 0, 1),
      epsilon: epsilonSetting(o.epsilon),
      decay,
    },
  });
}

/** Adam (Kingma & Ba 2014, https://arxiv.org/abs/1412.6980). Defaults as Keras: lr 1e-3, β 0.9/0.999, ε 1e-7. */
export function adam(o: AdamOptions = {}): Rule {
  return adamRule('adam', o, 0);
}

/** AdamW's default decoupled weight decay (Keras). */
export const ADAMW_WEIGHT_DECAY = 0.004;

/**
 * AdamW (Loshchilov & Hutter 2019, https://arxiv.org/abs/1711.05101): Adam with weight decay
 * applied to the weights directly instead of through the gradient. Default decay 0.004 (Keras).
 */
export function adamw(o: AdamOptions & { weightDecay?: number } = {}): Rule {
  const decay = setting(o.weightDecay, ADAMW_WEIGHT_DECAY, 'weightDecay', 0);
  return adamRule('adamw', o, decay);
}
