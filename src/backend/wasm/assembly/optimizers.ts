// @ts-nocheck -- AssemblyScript (compiled by asc, not tsc).
//
// Optimizer updates as one pass over the flat parameter array (formulas: Backend TSDoc in
// src/backend/types.ts). Step-dependent scalars such as Adam's bias correction are computed once
// by the caller in f64.

function at(p: usize, i: i32): usize {
  return p + ((<usize>i) << 2);
}

export function sgdStep(n: i32, p: usize, g: usize, v: usize, lr: f32, momentum: f32, nesterov: i32): void {
  let i = 0;
  const lv = f32x4.splat(lr);
  const mv = f32x4.splat(momentum);
  if (momentum == 0) {
    for (; i + 4 <= n; i += 4) v128.store(at(p, i), f32x4.sub(v128.load(at(p, i)), f32x4.mul(lv, v128.load(at(g, i)))));
    for (; i < n; i++) store<f32>(at(p, i), load<f32>(at(p, i)) - lr * load<f32>(at(g, i)));
    return;
  }
  for (; i + 4 <= n; i += 4) {
    const gi = v128.load(at(g, i));
    const vi = f32x4.add(f32x4.mul(mv, v128.load(at(v, i))), gi);
    v128.store(at(v, i), vi);
    const d = nesterov ? f32x4.add(gi, f32x4.mul(mv, vi)) : vi;
    v128.store(at(p, i), f32x4.sub(v128.load(at(p, i)), f32x4.mul(lv, d)));
  }
  for (; i < n; i++) {
    const gi = load<f32>(at(g, i));
    const vi = momentum * load<f32>(at(v, i)) + gi;
    store<f32>(at(v, i), vi);
    store<f32>(at(p, i), load<f32>(at(p, i)) - lr * (nesterov ? gi + momentum * vi : vi));
  }
}

/**
 * Adam as Kingma & Ba's Algorithm 1 (tfjs, PyTorch): p = keep·p − lrC1·m / (√(v·c2) + ε), with
 * lrC1 = lr/(1−β1ᵗ), c2 = 1/(1−β2ᵗ), keep = 1 − lr·decay. The scalars arrive as the caller's own
 * f64 values and are derived here: a double computed in JS and passed to wasm gets boxed on the
 * heap, and a training step should allocate nothing. (1 − β2 is also exact only in f64.)
 * `save` ≠ 0 receives p from before the update: free here, as the pass is bound by the divide and
 * square root, not by its stores.
 */
export function adamStep(
  n: i32,
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  lr: f64,
  beta1d: f64,
  beta2d: f64,
  epsd: f64,
  t: f64,
  decay: f64,
  save: usize,
): void {
  const lrC1 = <f32>(lr / (1 - Math.pow(beta1d, t)));
  const c2 = <f32>(1 / (1 - Math.pow(beta2d, t)));
  const keep = <f32>(1 - lr * decay);
  const beta1 = <f32>beta1d;
  const beta2 = <f32>beta2d;
  const omb1 = <f32>(1 - beta1d);
  const omb2 = <f32>(1 - beta2d);
  const eps = <f32>epsd;
  let i = 0;
  const b1 = f32x4.splat(beta1);
  const o1 = f32x4.splat(omb1);
  const b2 = f32x4.splat(beta2);
  const o2 = f32x4.splat(omb2);
  const lv = f32x4.splat(lrC1);
  const cv = f32x4.splat(c2);
  const ev = f32x4.splat(eps);
  const kv = f32x4.splat(keep);
  for (; i + 4 <= n; i += 4) {
    const gi = v128.load(at(g, i));
    const mi = f32x4.add(f32x4.mul(b1, v128.load(at(m, i))), f32x4.mul(o1, gi));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(at(v, i))), f32x4.mul(f32x4.mul(o2, gi), gi));
    v128.store(at(m, i), mi);
    v128.store(at(v, i), vi);
    const upd = f32x4.div(f32x4.mul(lv, mi), f32x4.add(f32x4.sqrt(f32x4.mul(vi, cv)), ev));
    const pi = v128.load(at(p, i));
    if (save) v128.store(at(save, i), pi);
    v128.store(at(p, i), f32x4.sub(f32x4.mul(kv, pi), upd));
  }
  for (; i < n; i++) {
    const gi = load<f32>(at(g, i));
    const mi = beta1 * load<f32>(at(m, i)) + omb1 * gi;
    const vi = beta2 * load<f32>(at(v, i)) + omb2 * gi * gi;
    store<f32>(at(m, i), mi);
    store<f32>(at(v, i), vi);
    const pi = load<f32>(at(p, i));
    if (save) store<f32>(at(save, i), pi);
    store<f32>(at(p, i), keep * pi - (lrC1 * mi) / (Mathf.sqrt(vi * c2) + eps));
  }
}

export function rmspropStep(
  n: i32,
  p: usize,
  g: usize,
  s: usize,
  mom: usize,
  lr: f32,
  rhod: f64,
  momentum: f32,
  eps: f32,
): void {
  const rho = <f32>rhod;
  const omr = <f32>(1 - rhod);
  let i = 0;
  const rv = f32x4.splat(rho);
  const cv = f32x4.splat(omr);
  const lv = f32x4.splat(lr);
  const ev = f32x4.splat(eps);
  const mv = f32x4.splat(momentum);
  for (; i + 4 <= n; i += 4) {
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
  for (; i < n; i++) {
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

export function adagradStep(n: i32, p: usize, g: usize, s: usize, lr: f32, eps: f32): void {
  let i = 0;
  const lv = f32x4.splat(lr);
  const ev = f32x4.splat(eps);
  for (; i + 4 <= n; i += 4) {
    const gi = v128.load(at(g, i));
    const si = f32x4.add(v128.load(at(s, i)), f32x4.mul(gi, gi));
    v128.store(at(s, i), si);
    v128.store(at(p, i), f32x4.sub(v128.load(at(p, i)), f32x4.div(f32x4.mul(lv, gi), f32x4.sqrt(f32x4.add(si, ev)))));
  }
  for (; i < n; i++) {
    const gi = load<f32>(at(g, i));
    const si = load<f32>(at(s, i)) + gi * gi;
    store<f32>(at(s, i), si);
    store<f32>(at(p, i), load<f32>(at(p, i)) - (lr * gi) / Mathf.sqrt(si + eps));
  }
}
