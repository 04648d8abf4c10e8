import type { FloatArray } from '../../core/matrix.js';
import { ActId, type ActKernel } from '../types.js';
import { fastSigmoid, fastTanh } from './fast-activations.js';

// Native loops for every built-in id (so no per-element call returns a boxed double); only an
// activation without an id (ActId.custom) goes through its scalar f/df. Comparisons are written so
// NaN falls through to the branch that returns x (NaN propagates).

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** The logistic function, 1 / (1 + e^−x): `ActId.sigmoid` and softplus's derivative. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** ELU with scale `a`: a·(e^x − 1) below zero, x above (`ActId.elu`). */
export function elu(x: number, a: number): number {
  return x < 0 ? a * Math.expm1(x) : x;
}

/** ELU's derivative from its output `y` (a·e^x = y + a below zero). */
export function eluGrad(x: number, y: number, a: number): number {
  return x < 0 ? y + a : 1;
}

/** softplus, max(x, 0) + log1p(e^−|x|): never overflows, unlike log(1 + e^x) (`ActId.softplus`). */
export function softplus(x: number): number {
  return (x < 0 ? 0 : x) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** GELU, tanh approximation (Hendrycks & Gimpel 2016; PyTorch approximate='tanh'): `ActId.gelu`. */
export function gelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
}

/** The derivative of {@link gelu}. */
export function geluGrad(x: number): number {
  const t = Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
}

/** Reference `Backend.actForward`. */
export function actForward(act: ActKernel, n: number, x: FloatArray, y: FloatArray): void {
  const a = act.param;
  switch (act.id) {
    case ActId.linear:
      if (x !== y) for (let i = 0; i < n; i++) y[i] = x[i] as number;
      return;
    case ActId.sigmoid:
      for (let i = 0; i < n; i++) y[i] = sigmoid(x[i] as number);
      return;
    case ActId.tanh:
      if (x === y) tanhInPlace(n, y);
      else for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i] as number);
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
    case ActId.elu:
      for (let i = 0; i < n; i++) y[i] = elu(x[i] as number, a);
      return;
    case ActId.softplus:
      for (let i = 0; i < n; i++) y[i] = softplus(x[i] as number);
      return;
    case ActId.gelu:
      for (let i = 0; i < n; i++) y[i] = gelu(x[i] as number);
      return;
    case ActId.fastTanh:
      fastTanhLoop(n, x, y);
      return;
    case ActId.fastSigmoid:
      fastSigmoidLoop(n, x, y);
      return;
    default:
      for (let i = 0; i < n; i++) y[i] = act.f(x[i] as number);
  }
}

// In place (the population pass), one array: V8 re-checks an array after every call into C (the
// call might detach its buffer), so one array instead of two saves a check per element.
function tanhInPlace(n: number, y: FloatArray): void {
  for (let i = 0; i < n; i++) y[i] = Math.tanh(y[i] as number);
}

// The fast approximations' loops are functions of their own: inside actForward's switch the
// rational polynomial (inlined, ~20 operations) ran ~12% slower (W5 fast, one chunk: 369 vs 324 µs).
function fastTanhLoop(n: number, x: FloatArray, y: FloatArray): void {
  for (let i = 0; i < n; i++) y[i] = fastTanh(x[i] as number);
}

function fastSigmoidLoop(n: number, x: FloatArray, y: FloatArray): void {
  for (let i = 0; i < n; i++) y[i] = fastSigmoid(x[i] as number);
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
    case ActId.elu:
      for (let i = 0; i < n; i++) dx[i] = (dy[i] as number) * eluGrad(x[i] as number, y[i] as number, a);
      return;
    case ActId.softplus:
      for (let i = 0; i < n; i++) dx[i] = (dy[i] as number) * sigmoid(x[i] as number);
      return;
    case ActId.gelu:
      for (let i = 0; i < n; i++) dx[i] = (dy[i] as number) * geluGrad(x[i] as number);
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
