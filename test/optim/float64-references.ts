// Rules checked against an independent float64 implementation (float64-references.test.ts), for
// rules TF.js has no twin of or implements differently; test/meta/registry-coverage.test.ts accepts
// a row here as a rule's oracle. AdamW: an independent float64 implementation written from the algorithm as PyTorch
// documents it (torch.optim.AdamW; Loshchilov & Hutter 2019, Algorithm 2 with the schedule
// multiplier η_t = 1): decay the weights first, then the Adam step with bias-corrected moments
// m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ). Written as the formulas read, not as neurite computes them
// (neurite folds the corrections into two scalars and the decay into a multiplier).
import type { OptimizerSpec } from '../../src/index.js';

/** A rule's reference: the spec under test and its update written from the paper, in float64. */
export interface Float64Reference {
  readonly spec: OptimizerSpec;
  /** The parameters after every step, from `p0` and one gradient per step. */
  readonly reference: (p0: number[], grads: number[][]) => number[][];
}

interface AdamWSettings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** torch.optim.AdamW's update, step by step, in float64. Returns the parameters after every step. */
export function adamwReference(p0: number[], grads: number[][], o: AdamWSettings): number[][] {
  const theta = [...p0];
  const m = theta.map(() => 0);
  const v = theta.map(() => 0);
  const out: number[][] = [];
  grads.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < theta.length; i++) {
      theta[i] = theta[i]! - o.lr * o.weightDecay * theta[i]!;
      m[i] = o.beta1 * m[i]! + (1 - o.beta1) * g[i]!;
      v[i] = o.beta2 * v[i]! + (1 - o.beta2) * g[i]! * g[i]!;
      const mHat = m[i]! / (1 - o.beta1 ** t);
      const vHat = v[i]! / (1 - o.beta2 ** t);
      theta[i] = theta[i]! - (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
    }
    out.push([...theta]);
  });
  return out;
}

export const ADAMW_SETTINGS: AdamWSettings = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 };
const adamwSpec: OptimizerSpec = {
  type: 'adamw',
  learningRate: ADAMW_SETTINGS.lr,
  beta1: ADAMW_SETTINGS.beta1,
  beta2: ADAMW_SETTINGS.beta2,
  epsilon: ADAMW_SETTINGS.eps,
  weightDecay: ADAMW_SETTINGS.weightDecay,
};

/** The float64 references by rule name. */
export const FLOAT64_REFERENCES: Readonly<Record<string, Float64Reference>> = {
  adamw: { spec: adamwSpec, reference: (p0, grads) => adamwReference(p0, grads, ADAMW_SETTINGS) },
};
