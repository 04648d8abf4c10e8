import { assertNumber } from '../core/errors.js';
import { slot, type Rule } from './rule.js';

/** Options of Adam and AdamW. */
export interface AdamOptions {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

function adamRule(type: string, o: AdamOptions, decay: number): Rule {
  const learningRate = o.learningRate ?? 0.001;
  const beta1 = o.beta1 ?? 0.9;
  const beta2 = o.beta2 ?? 0.999;
  const epsilon = o.epsilon ?? 1e-7;
  assertNumber(beta1, 'beta1', 0, 1);
  assertNumber(beta2, 'beta2', 0, 1);
  assertNumber(epsilon, 'epsilon', 0, Infinity, true);
  const config: Record<string, number> = { learningRate, beta1, beta2, epsilon };
  if (type === 'adamw') config['weightDecay'] = decay;
  return {
    type,
    learningRate,
    slots: 2,
    nonNegativeSlots: [1],
    config,
    savesParams: true,
    apply: (b, n, p, g, s, lr, t, save) =>
      b.adamStep(n, p, g, slot(s, 0), slot(s, 1), lr, beta1, beta2, epsilon, t, decay, save),
  };
}

/** Adam (Kingma & Ba 2014, https://arxiv.org/abs/1412.6980). Defaults as Keras: lr 1e-3, β 0.9/0.999, ε 1e-7. */
export function adam(o: AdamOptions = {}): Rule {
  return adamRule('adam', o, 0);
}

/**
 * AdamW (Loshchilov & Hutter 2019, https://arxiv.org/abs/1711.05101): Adam with weight decay
 * applied to the weights directly instead of through the gradient. Default decay 0.004 (Keras).
 */
export function adamw(o: AdamOptions & { weightDecay?: number } = {}): Rule {
  const decay = o.weightDecay ?? 0.004;
  assertNumber(decay, 'weightDecay', 0);
  return adamRule('adamw', o, decay);
}
