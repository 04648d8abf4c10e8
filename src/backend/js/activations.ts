import type { FloatArray } from '../../core/matrix.js';
import { ActId, type ActKernel } from '../types.js';
import { fastSigmoid, fastTanh } from './fast-activations.js';

// Native loops for the built-in ids; any other activation goes through its scalar f/df.
// Comparisons are written so NaN falls through to the branch that returns x (NaN propagates).

/** Reference `Backend.actForward`. */
export function actForward(act: ActKernel, n: number, x: FloatArray, y: FloatArray): void {
  const a = act.param;
  switch (act.id) {
    case ActId.linear:
      if (x !== y) for (let i = 0; i < n; i++) y[i] = x[i] as number;
      return;
    case ActId.sigmoid:
      for (let i = 0; i < n; i++) y[i] = 1 / (1 + Math.exp(-(x[i] as number)));
      return;
    case ActId.tanh:
      for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i] as number);
      return;
    case ActId.relu:
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        y[i] = v < 0 ? 0 : v;
      }
      return;
    case ActId.leakyRelu:
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        y[i] = v < 0 ? a * v : v;
      }
      return;
    case ActId.fastTanh:
      for (let i = 0; i < n; i++) y[i] = fastTanh(x[i] as number);
      return;
    case ActId.fastSigmoid:
      for (let i = 0; i < n; i++) y[i] = fastSigmoid(x[i] as number);
      return;
    default:
      for (let i = 0; i < n; i++) y[i] = act.f(x[i] as number);
  }
}

/** Reference `Backend.actBackward`. */
export function actBackward(
  act: ActKernel,
  n: number,
  x: FloatArray,
  y: FloatArray,
  dy: FloatArray,
  dx: FloatArray,
): void {
  const a = act.param;
  switch (act.id) {
    case ActId.linear:
      if (dx !== dy) for (let i = 0; i < n; i++) dx[i] = dy[i] as number;
      return;
    case ActId.sigmoid:
      for (let i = 0; i < n; i++) {
        const s = y[i] as number;
        dx[i] = (dy[i] as number) * s * (1 - s);
      }
      return;
    case ActId.tanh:
      for (let i = 0; i < n; i++) {
        const t = y[i] as number;
        dx[i] = (dy[i] as number) * (1 - t * t);
      }
      return;
    case ActId.relu:
      for (let i = 0; i < n; i++) dx[i] = (x[i] as number) > 0 ? (dy[i] as number) : 0 * (dy[i] as number);
      return;
    case ActId.leakyRelu:
      for (let i = 0; i < n; i++) dx[i] = (dy[i] as number) * ((x[i] as number) < 0 ? a : 1);
      return;
    default:
      for (let i = 0; i < n; i++) dx[i] = (dy[i] as number) * act.df(x[i] as number, y[i] as number);
  }
}

/** Reference `Backend.softmaxRows`: subtracts the row maximum before exponentiating. */
export function softmaxRows(m: number, n: number, x: FloatArray, y: FloatArray): void {
  for (let r = 0; r < m; r++) {
    const o = r * n;
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = x[o + j] as number;
      if (v > max || Number.isNaN(v)) max = v;
    }
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp((x[o + j] as number) - max);
      y[o + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < n; j++) y[o + j] = (y[o + j] as number) * inv;
  }
}

/** Reference `Backend.softmaxBackward`. */
export function softmaxBackward(m: number, n: number, y: FloatArray, dy: FloatArray, dx: FloatArray): void {
  for (let r = 0; r < m; r++) {
    const o = r * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += (dy[o + j] as number) * (y[o + j] as number);
    for (let j = 0; j < n; j++) dx[o + j] = (y[o + j] as number) * ((dy[o + j] as number) - s);
  }
}
