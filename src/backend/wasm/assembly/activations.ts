// @ts-nocheck -- AssemblyScript (compiled by asc, not tsc).
//
// Activation kernels by ActId. Piecewise-linear ones run 4 lanes at a time; transcendental ones
// are computed in f64 and rounded once, as the JS reference does, so both agree to the last ulp
// or so. Comparisons are arranged so that NaN inputs reach the branch returning x (NaN propagates).
import { at } from './addressing';

const SQRT_2_PI: f64 = 0.7978845608028654;

function sigmoid(x: f64): f64 {
  return 1 / (1 + Math.exp(-x));
}

function forwardScalar(id: i32, a: f64, x: f64): f64 {
  switch (id) {
    case 1:
      return sigmoid(x);
    case 2:
      return Math.tanh(x);
    case 5:
      return x < 0 ? a * Math.expm1(x) : x;
    case 6:
      return max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    default: {
      const t = Math.tanh(SQRT_2_PI * (x + 0.044715 * x * x * x));
      return 0.5 * x * (1 + t);
    }
  }
}

function backwardScalar(id: i32, a: f64, x: f64, y: f64): f64 {
  switch (id) {
    case 5:
      return x < 0 ? y + a : 1;
    case 6:
      return sigmoid(x);
    default: {
      const u = SQRT_2_PI * (x + 0.044715 * x * x * x);
      const t = Math.tanh(u);
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_PI * (1 + 3 * 0.044715 * x * x);
    }
  }
}

// Clamp where the rational approximation reaches ±1 in float32 (Eigen's ptanh_float bound).
const TANH_CLAMP: f32 = 7.90531110763549805;

/**
 * Native version of `fastTanh` (reference and constants: src/backend/js/fast-activations.ts):
 * Eigen's float32 rational approximation (13/6), clamped at ±7.90531; NaN propagates.
 */
export function fastTanh4(v: v128): v128 {
  const x = f32x4.max(f32x4.min(v, f32x4.splat(TANH_CLAMP)), f32x4.splat(-TANH_CLAMP));
  const x2 = f32x4.mul(x, x);
  let p = f32x4.add(f32x4.mul(x2, f32x4.splat(-2.76076847742355e-16)), f32x4.splat(2.00018790482477e-13));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(-8.60467152213735e-11));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(5.12229709037114e-8));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(1.48572235717979e-5));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(6.37261928875436e-4));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(4.89352455891786e-3));
  let q = f32x4.add(f32x4.mul(x2, f32x4.splat(1.19825839466702e-6)), f32x4.splat(1.18534705686654e-4));
  q = f32x4.add(f32x4.mul(x2, q), f32x4.splat(2.268434632439e-3));
  q = f32x4.add(f32x4.mul(x2, q), f32x4.splat(4.89352518554385e-3));
  return f32x4.div(f32x4.mul(x, p), q);
}

/** y = f(x) for ids 0–7, 9 and 10 (fast tanh/sigmoid); returns 0 for ids it does not know (the caller falls back). */
export function actForward(id: i32, param: f32, n: i32, x: usize, y: usize): i32 {
  if (id < 0 || id > 10 || id == 8) return 0;
  let i = 0;
  const zero = f32x4.splat(0);
  const av = f32x4.splat(param);
  if (id == 9 || id == 10) {
    const half = f32x4.splat(0.5);
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(at(x, i));
      v128.store(at(y, i), id == 9 ? fastTanh4(v) : f32x4.add(f32x4.mul(fastTanh4(f32x4.mul(v, half)), half), half));
    }
    for (; i < n; i++) {
      const v = f32x4.splat(load<f32>(at(x, i)));
      const r = id == 9 ? fastTanh4(v) : f32x4.add(f32x4.mul(fastTanh4(f32x4.mul(v, half)), half), half);
      store<f32>(at(y, i), f32x4.extract_lane(r, 0));
    }
    return 1;
  }
  if (id == 0) {
    if (x != y) memory.copy(y, x, (<usize>n) << 2);
    return 1;
  }
  if (id == 3 || id == 4) {
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(at(x, i));
      const neg = f32x4.lt(v, zero);
      v128.store(at(y, i), v128.bitselect(id == 3 ? zero : f32x4.mul(av, v), v, neg));
    }
    for (; i < n; i++) {
      const v = load<f32>(at(x, i));
      store<f32>(at(y, i), v < 0 ? (id == 3 ? 0 : param * v) : v);
    }
    return 1;
  }
  for (; i < n; i++) store<f32>(at(y, i), <f32>forwardScalar(id, param, load<f32>(at(x, i))));
  return 1;
}

/** dx = dy · f'(x, y) for ids 0–7 (dx may alias dy); returns 0 for unknown ids. */
export function actBackward(id: i32, param: f32, n: i32, x: usize, y: usize, dy: usize, dx: usize): i32 {
  if (id < 0 || id > 7) return 0;
  let i = 0;
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  switch (id) {
    case 0:
      if (dx != dy) memory.copy(dx, dy, (<usize>n) << 2);
      return 1;
    case 1:
      for (; i + 4 <= n; i += 4) {
        const s = v128.load(at(y, i));
        v128.store(at(dx, i), f32x4.mul(f32x4.mul(v128.load(at(dy, i)), s), f32x4.sub(one, s)));
      }
      for (; i < n; i++) {
        const s = load<f32>(at(y, i));
        store<f32>(at(dx, i), load<f32>(at(dy, i)) * s * (1 - s));
      }
      return 1;
    case 2:
      for (; i + 4 <= n; i += 4) {
        const t = v128.load(at(y, i));
        v128.store(at(dx, i), f32x4.mul(v128.load(at(dy, i)), f32x4.sub(one, f32x4.mul(t, t))));
      }
      for (; i < n; i++) {
        const t = load<f32>(at(y, i));
        store<f32>(at(dx, i), load<f32>(at(dy, i)) * (1 - t * t));
      }
      return 1;
    case 3:
      // 0·dy rather than 0 so a NaN gradient still propagates through a dead unit.
      for (; i + 4 <= n; i += 4) {
        const d = v128.load(at(dy, i));
        v128.store(at(dx, i), v128.bitselect(d, f32x4.mul(zero, d), f32x4.gt(v128.load(at(x, i)), zero)));
      }
      for (; i < n; i++) {
        const d = load<f32>(at(dy, i));
        store<f32>(at(dx, i), load<f32>(at(x, i)) > 0 ? d : 0 * d);
      }
      return 1;
    case 4: {
      const av = f32x4.splat(param);
      for (; i + 4 <= n; i += 4) {
        const s = v128.bitselect(av, one, f32x4.lt(v128.load(at(x, i)), zero));
        v128.store(at(dx, i), f32x4.mul(v128.load(at(dy, i)), s));
      }
      for (; i < n; i++) store<f32>(at(dx, i), load<f32>(at(dy, i)) * (load<f32>(at(x, i)) < 0 ? param : 1));
      return 1;
    }
    default:
      for (; i < n; i++) {
        const d = backwardScalar(id, param, load<f32>(at(x, i)), load<f32>(at(y, i)));
        store<f32>(at(dx, i), <f32>(load<f32>(at(dy, i)) * d));
      }
      return 1;
  }
}

/** Row-wise stable softmax (y may alias x); a NaN anywhere in a row makes the row NaN. */
export function softmaxRows(m: i32, n: i32, x: usize, y: usize): void {
  for (let r = 0; r < m; r++) {
    const xo = at(x, r * n);
    const yo = at(y, r * n);
    let mx: f32 = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = load<f32>(at(xo, j));
      if (v > mx || isNaN(v)) mx = v;
    }
    let sum: f64 = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(<f64>load<f32>(at(xo, j)) - <f64>mx);
      store<f32>(at(yo, j), <f32>e);
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < n; j++) store<f32>(at(yo, j), <f32>(<f64>load<f32>(at(yo, j)) * inv));
  }
}

/** dx = y ⊙ (dy − Σ dy·y) per row (dx may alias dy). */
export function softmaxBackward(m: i32, n: i32, y: usize, dy: usize, dx: usize): void {
  for (let r = 0; r < m; r++) {
    const yo = at(y, r * n);
    const go = at(dy, r * n);
    const xo = at(dx, r * n);
    let s: f64 = 0;
    for (let j = 0; j < n; j++) s += <f64>load<f32>(at(go, j)) * <f64>load<f32>(at(yo, j));
    for (let j = 0; j < n; j++) {
      store<f32>(at(xo, j), <f32>(<f64>load<f32>(at(yo, j)) * (<f64>load<f32>(at(go, j)) - s)));
    }
  }
}
