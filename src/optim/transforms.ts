import { assertNumber } from '../core/errors.js';
import { io, type Rule } from './rule.js';

/**
 * L2 weight decay as a gradient transform: g += decay · p (Optimisers.jl `WeightDecay`, Keras
 * `kernel_regularizer` on every parameter). AdamW's decoupled decay is its own rule (adam.ts).
 */
export function weightDecay(decay: number): Rule {
  assertNumber(decay, 'weightDecay', 0);
  return {
    type: 'weightDecay',
    slots: 0,
    apply: (b, n, list) => b.axpy(n, decay, io(list, 0), io(list, 1)),
  };
}

/** Clips every gradient component to [−limit, limit] (Optimisers.jl `ClipGrad`, Keras `clipvalue`). */
export function clipValue(limit: number): Rule {
  assertNumber(limit, 'clipValue', 0, Infinity, true);
  return {
    type: 'clipValue',
    slots: 0,
    apply: (b, n, list) => b.clip(n, -limit, limit, io(list, 1)),
  };
}

/**
 * Rescales the whole gradient when its L2 norm exceeds `limit` (Optimisers.jl `ClipNorm`, Keras
 * `global_clipnorm`), so its direction is kept.
 */
export function clipNorm(limit: number): Rule {
  assertNumber(limit, 'clipNorm', 0, Infinity, true);
  return {
    type: 'clipNorm',
    slots: 0,
    apply(b, n, list) {
      const g = io(list, 1);
      const norm = Math.sqrt(b.sumSquares(n, g));
      if (norm > limit) b.scale(n, limit / norm, g);
    },
  };
}
