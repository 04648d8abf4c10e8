// @ts-nocheck -- AssemblyScript (compiled by asc, not tsc).
//
// Native versions of the optimizer kernels whose reference updates live in src/optim (one file
// per rule; formulas there). Every elementwise kernel has one signature, so the JS side forwards
// any of them the same way (native-kernels.ts) and a thread pool splits any of them into element
// ranges: `(lo, hi, arrays, attrs)` updates positions [lo, hi) of the arrays whose byte offsets
// are the i32s at `arrays`, with the scalars as f64s at `attrs` in the order native-kernels.ts
// lists them. Scalars read as f64 and narrowed here round exactly as f32 parameters would.
import { arr, at, attr } from './addressing';

/** Plain SGD: p −= lr·g. attrs: lr. */
export function sgdStep(lo: i32, hi: i32, arrays: usize, attrs: usize): void {
  const p = arr(arrays, 0);
  const g = arr(arrays, 1);
  const lr = <f32>attr(attrs, 0);
  const lv = f32x4.splat(lr);
  let i = lo;
  for (; i + 4 <= hi; i += 4) v128.store(at(p, i), f32x4.sub(v128.load(at(p, i)), f32x4.mul(lv, v128.load(at(g, i)))));
  for (; i < hi; i++) store<f32>(at(p, i), load<f32>(at(p, i)) - lr * load<f32>(at(g, i)));
}

/** SGD with (Nesterov) momentum: v = μv + g; p −= lr·(nesterov ? g + μv : v). attrs: lr, momentum, nesterov. */
export function momentumStep(lo: i32, hi: i32, arrays: usize, attrs: usize): void {
  const p = arr(arrays, 0);
  const g = arr(arrays, 1);
  const v = arr(arrays, 2);
  const lr = <f32>attr(attrs, 0);
  const momentum = <f32>attr(attrs, 1);
  const nesterov = attr(attrs, 2) != 0;
  const lv = f32x4.splat(lr);
  const mv = f32x4.splat(momentum);
  let i = lo;
  for (; i + 4 <= hi; i += 4) {
    const gi = v128.load(at(g, i));
    const vi = f32x4.add(f32x4.mul(mv, v128.load(at(v, i))), gi);
    v128.store(at(v, i), vi);
    const d = nesterov ? f32x4.add(gi, f32x4.mul(mv, vi)) : vi;
    v128.store(at(p, i), f32x4.sub(v128.load(at(p, i)), f32x4.mul(lv, d)));
  }
  for (; i < hi; i++) {
    const gi = load<f32>(at(g, i));
    const vi = momentum * load<f32>(at(v, i)) + gi;
    store<f32>(at(v, i), vi);
    store<f32>(at(p, i), load<f32>(at(p, i)) - lr * (nesterov ? gi + momentum * vi : vi));
  }
}

/**
 * Adam as Kingma & Ba's Algorithm 1 (tfjs, PyTorch): p = keep·p − lrC1·m / (√(v·c2) + ε), with
 * lrC1 = lr/(1−β1ᵗ), c2 = 1/(1−β2ᵗ), keep = 1 − lr·decay (AdamW's decoupled decay). The scalars
 * are derived here in f64 from the caller's values (1 − β2 is exact only in f64).
 * attrs: lr, beta1, beta2, epsilon, t, decay.
 */
export function adamStep(lo: i32, hi: i32, arrays: usize, attrs: usize): void {
  const p = arr(arrays, 0);
  const g = arr(arrays, 1);
  const m = arr(arrays, 2);
  const v = arr(arrays, 3);
  const lr = attr(attrs, 0);
  const beta1d = attr(attrs, 1);
  const beta2d = attr(attrs, 2);
  const t = attr(attrs, 4);
  const lrC1 = <f32>(lr / (1 - Math.pow(beta1d, t)));
  const c2 = <f32>(1 / (1 - Math.pow(beta2d, t)));
  const keep = <f32>(1 - lr * attr(attrs, 5));
  const beta1 = <f32>beta1d;
  const beta2 = <f32>beta2d;
  const omb1 = <f32>(1 - beta1d);
  const omb2 = <f32>(1 - beta2d);
  const eps = <f32>attr(attrs, 3);
  const b1 = f32x4.splat(beta1);
  const o1 = f32x4.splat(omb1);
  const b2 = f32x4.splat(beta2);
  const o2 = f32x4.splat(omb2);
  const lv = f32x4.splat(lrC1);
  const cv = f32x4.splat(c2);
  const ev = f32x4.splat(eps);
  const kv = f32x4.splat(keep);
  let i = lo;
  for (; i + 4 <= hi; i += 4) {
    const gi = v128.load(at(g, i));
    const mi = f32x4.add(f32x4.mul(b1, v128.load(at(m, i))), f32x4.mul(o1, gi));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(at(v, i))), f32x4.mul(f32x4.mul(o2, gi), gi));
    v128.store(at(m, i), mi);
    v128.store(at(v, i), vi);
    const upd = f32x4.div(f32x4.mul(lv, mi), f32x4.add(f32x4.sqrt(f32x4.mul(vi, cv)), ev));
    v128.store(at(p, i), f32x4.sub(f32x4.mul(kv, v128.load(at(p, i))), upd));
  }
  for (; i < hi; i++) {
    const gi = load<f32>(at(g, i));
    const mi = beta1 * load<f32>(at(m, i)) + omb1 * gi;
    const vi = beta2 * load<f32>(at(v, i)) + omb2 * gi * gi;
    store<f32>(at(m, i), mi);
    store<f32>(at(v, i), vi);
    store<f32>(at(p, i), keep * load<f32>(at(p, i)) - (lrC1 * mi) / (Mathf.sqrt(vi * c2) + eps));
  }
}

/** RMSprop (tfjs form). attrs: lr, rho, momentum, epsilon. */
export function rmspropStep(lo: i32, hi: i32, arrays: usize, attrs: usize): void {
  const p = arr(arrays, 0);
  const g = arr(arrays, 1);
  const s = arr(arrays, 2);
  const mom = arr(arrays, 3);
  const lr = <f32>attr(attrs, 0);
  const rhod = attr(attrs, 1);
  const momentum = <f32>attr(attrs, 2);
  const eps = <f32>attr(attrs, 3);
  const rho = <f32>rhod;
  const omr = <f32>(1 - rhod);
  const rv = f32x4.splat(rho);
  const cv = f32x4.splat(omr);
  const lv = f32x4.splat(lr);
  const ev = f32x4.splat(eps);
  const mv = f32x4.splat(momentum);
  let i = lo;
  for (; i + 4 <= hi; i += 4) {
    const gi = v128.load(at(g, i));
    const si = f32x4.add(f32x4.mul(rv, v128.load(at(s, i))), f32x4.mul(f32x4.mul(cv, gi), gi));
    v128.store(at(s, i), si);
    let step = f32x4.div(f32x4.mul(lv, gi), f32x4.sqrt(f32x4.add(si, ev)));
    if (momentum != 0) {
      step = f32x4.add(f32x4.mul(mv, v128.load(at(mom, i))), step);
      v128.store(at(mom, i), step);
    }
    v128.store(at(p, i), f32x4.sub(v128.load(at(p, i)), step));
  }
  for (; i < hi; i++) {
    const gi = load<f32>(at(g, i));
    const si = rho * load<f32>(at(s, i)) + omr * gi * gi;
    store<f32>(at(s, i), si);
    let step = (lr * gi) / Mathf.sqrt(si + eps);
    if (momentum != 0) {
      step = momentum * load<f32>(at(mom, i)) + step;
      store<f32>(at(mom, i), step);
    }
    store<f32>(at(p, i), load<f32>(at(p, i)) - step);
  }
}

/** Adagrad (tfjs form): s += g²; p −= lr·g/√(s + ε). attrs: lr, epsilon. */
export function adagradStep(lo: i32, hi: i32, arrays: usize, attrs: usize): void {
  const p = arr(arrays, 0);
  const g = arr(arrays, 1);
  const s = arr(arrays, 2);
  const lr = <f32>attr(attrs, 0);
  const eps = <f32>attr(attrs, 1);
  const lv = f32x4.splat(lr);
  const ev = f32x4.splat(eps);
  let i = lo;
  for (; i + 4 <= hi; i += 4) {
    const gi = v128.load(at(g, i));
    const si = f32x4.add(v128.load(at(s, i)), f32x4.mul(gi, gi));
    v128.store(at(s, i), si);
    v128.store(at(p, i), f32x4.sub(v128.load(at(p, i)), f32x4.div(f32x4.mul(lv, gi), f32x4.sqrt(f32x4.add(si, ev)))));
  }
  for (; i < hi; i++) {
    const gi = load<f32>(at(g, i));
    const si = load<f32>(at(s, i)) + gi * gi;
    store<f32>(at(s, i), si);
    store<f32>(at(p, i), load<f32>(at(p, i)) - (lr * gi) / Mathf.sqrt(si + eps));
  }
}
