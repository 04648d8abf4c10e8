// @ts-nocheck -- AssemblyScript (compiled by scripts/build-wasm.mjs, not tsc).

/**
 * Fisher–Yates shuffle of the i32 row numbers order[0, n) in place, drawing from the sfc32
 * generator whose four i32 state words (a, b, c, d) are at `state` and are left at its new
 * position: the draws and arithmetic of `Rng.shuffle` (src/core/rng.ts), so the permutation and
 * the position are the same bits. `fit` shuffles once per epoch; the JS loop runs its first
 * epoch's 8,000 W2 rows unoptimised (3 ms, against 0.06 ms optimised).
 */
export function shuffleIndices(n: i32, order: usize, state: usize): void {
  let a = load<i32>(state);
  let b = load<i32>(state, 4);
  let c = load<i32>(state, 8);
  let d = load<i32>(state, 12);
  for (let i = n - 1; i > 0; i--) {
    const t = a + b + d;
    d = d + 1;
    a = b ^ (<i32>((<u32>b) >> 9));
    b = c + (c << 3);
    c = (c << 21) | (<i32>((<u32>c) >> 11));
    c = c + t;
    // As JS computes Math.floor(((t >>> 0) / 4294967296) * (i + 1)): the same f64 operations.
    const j = <i32>Math.floor((<f64>(<u32>t) / 4294967296.0) * <f64>(i + 1));
    const pi = order + ((<usize>i) << 2);
    const pj = order + ((<usize>j) << 2);
    const tmp = load<i32>(pi);
    store<i32>(pi, load<i32>(pj));
    store<i32>(pj, tmp);
  }
  store<i32>(state, a);
  store<i32>(state, b, 4);
  store<i32>(state, c, 8);
  store<i32>(state, d, 12);
}
