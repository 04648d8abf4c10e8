import { firstNonFinite } from '../../core/matrix.js';
import type { Backend } from '../types.js';
import { actBackward, actForward, softmaxBackward, softmaxRows } from './activations.js';
import { dot, gemm } from './gemm.js';
import { gatherRows } from './gather.js';
import { compileSampleStep } from './sample-step.js';

/** Options for {@link createJsBackend}. */
export interface JsBackendOptions {
  /** `'float64'` runs every kernel in double precision (gradient checks); default `'float32'`. */
  precision?: 'float32' | 'float64';
}

/**
 * The plain-TypeScript reference backend: the living definition of every kernel, and the fallback
 * wherever WebAssembly SIMD is unavailable.
 */
export function createJsBackend(options: JsBackendOptions = {}): Backend {
  const f64 = options.precision === 'float64';
  const backend: Backend = {
    name: f64 ? 'js64' : 'js',
    alloc: (n) => (f64 ? new Float64Array(n) : new Float32Array(n)),
    gemm,
    affine(m, n, k, x, w, bias, z) {
      for (let i = 0; i < m; i++) {
        const xo = i * k;
        const zo = i * n;
        for (let j = 0; j < n; j++) z[zo + j] = (bias[j] as number) + dot(x, xo, w, j * k, k);
      }
    },
    colSum(m, n, x, beta, out) {
      for (let j = 0; j < n; j++) out[j] = beta === 0 ? 0 : beta * (out[j] as number);
      for (let i = 0; i < m; i++) {
        const o = i * n;
        for (let j = 0; j < n; j++) out[j] = (out[j] as number) + (x[o + j] as number);
      }
    },
    actForward,
    actBackward,
    softmaxRows,
    softmaxBackward,
    loss,
    mul(n, x, m, y) {
      for (let i = 0; i < n; i++) y[i] = (x[i] as number) * (m[i] as number);
    },
    axpy(n, alpha, x, y) {
      for (let i = 0; i < n; i++) y[i] = (y[i] as number) + alpha * (x[i] as number);
    },
    scale(n, alpha, x) {
      for (let i = 0; i < n; i++) x[i] = alpha * (x[i] as number);
    },
    clip(n, lo, hi, x) {
      // Two stores, not `x[i] = v < lo ? lo : v > hi ? hi : v`: compiled on its own (not inlined
      // where lo and hi are constants), that merges the tagged arguments with the loaded double,
      // so TurboFan boxed every value in range as a heap number (32 KB a call on 2,048 values).
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        if (v < lo) x[i] = lo;
        else if (v > hi) x[i] = hi;
      }
    },
    sumSquares(n, x) {
      return dot(x, 0, x, 0, n);
    },
    firstNonFinite: (n, x) => firstNonFinite(x, n),
    gatherRows,
    // The reference backend is the definition: every kernel runs as written in TypeScript.
    run(kernel, n, arrays, attrs, meanwhile) {
      kernel.reference(n, arrays, attrs, backend);
      meanwhile?.();
    },
    accelerates: () => false,
    sampleStep: (plan) => compileSampleStep(plan, f64),
  };
  return backend;
}

const loss: Backend['loss'] = (kernel, n, p, t, scale, fused, grad) => {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number;
    const ti = t[i] as number;
    sum += kernel.f(pi, ti);
    // Two stores, not `fused ? pi - ti : kernel.df(pi, ti)`: merged with a call's (tagged) result,
    // pi − ti would be boxed once per element wherever df is not inlined (see clip).
    if (fused) grad[i] = scale * (pi - ti);
    else grad[i] = scale * kernel.df(pi, ti);
  }
  return scale * sum;
};

/** The shared float32 instance of the reference backend. */
export const jsBackend: Backend = createJsBackend();
