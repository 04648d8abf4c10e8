/**
 * Mean and population standard deviation of `values`, in float64, with the rule neurite's
 * scalers share for columns that do not vary: `std` is 1 when every value is equal or the
 * spread is only float rounding, so scaling gives 0 for such a column instead of NaN or noise.
 * `values` must not be empty.
 *
 * @example
 * ```ts
 * meanStd([1, 2, 3]); // { mean: 2, std: 0.816… }
 * meanStd([5, 5]); // { mean: 5, std: 1 }
 * ```
 */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  // Two passes: the one-pass E[x²] − E[x]² formula cancels badly for large values.
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const d = (values[i] as number) - mean;
    ss += d * d;
  }
  const s = Math.sqrt(ss / values.length);
  // min === max catches exact constants; the relative floor catches columns whose spread is
  // only float rounding, which would otherwise be blown up into noise of order 1.
  return { mean, std: min === max || !(s > 1e-7 * Math.max(1, Math.abs(mean))) ? 1 : s };
}
