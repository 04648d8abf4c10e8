// @ts-nocheck -- AssemblyScript (compiled by asc, not tsc); the TS project only type-strips it away.

/** a·b + c: fused where relaxed SIMD is enabled (one rounding instead of two). */
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}
