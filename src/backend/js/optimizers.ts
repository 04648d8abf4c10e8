import type { FloatArray } from '../../core/matrix.js';

/** Reference `Backend.sgdStep` (formula in backend/types.ts). */
export function sgdStep(
  n: number,
  p: FloatArray,
  g: FloatArray,
  v: FloatArray,
  lr: number,
  momentum: number,
  nesterov: boolean,
): void {
  if (momentum === 0) {
    for (let i = 0; i < n; i++) p[i] = (p[i] as number) - lr * (g[i] as number);
    return;
  }
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const vi = momentum * (v[i] as number) + gi;
    v[i] = vi;
    p[i] = (p[i] as number) - lr * (nesterov ? gi + momentum * vi : vi);
  }
}

/** Reference `Backend.adamStep` (formula in backend/types.ts). */
export function adamStep(
  n: number,
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: FloatArray,
  lr: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  t: number,
  decay: number,
  save?: FloatArray,
): void {
  if (save !== undefined) for (let i = 0; i < n; i++) save[i] = p[i] as number;
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
}

/** Reference `Backend.rmspropStep` (formula in backend/types.ts). */
export function rmspropStep(
  n: number,
  p: FloatArray,
  g: FloatArray,
  s: FloatArray,
  mom: FloatArray,
  lr: number,
  rho: number,
  momentum: number,
  epsilon: number,
): void {
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
}

/** Reference `Backend.adagradStep` (formula in backend/types.ts). */
export function adagradStep(n: number, p: FloatArray, g: FloatArray, s: FloatArray, lr: number, epsilon: number): void {
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const si = (s[i] as number) + gi * gi;
    s[i] = si;
    p[i] = (p[i] as number) - (lr * gi) / Math.sqrt(si + epsilon);
  }
}
