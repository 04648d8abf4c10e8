// Clamp where the rational approximation reaches ±1 in float32 (Eigen's ptanh_float bound).
const TANH_CLAMP = 7.90531110763549805;

/**
 * tanh by the rational minimax approximation Eigen and XNNPACK use for float32 (13/6 odd/even
 * polynomials, clamped at ±7.9053). Max absolute error vs Math.tanh ≈ 3e-7, i.e. within float32
 * rounding, at a fraction of Math.tanh's cost (no exp). The definition of `ActId.fastTanh`; the
 * wasm build's version (assembly/activations.ts `fastTanh4`) is held to it by test/conformance.
 */
export function fastTanh(x: number): number {
  if (x > TANH_CLAMP) return 1;
  if (x < -TANH_CLAMP) return -1;
  const x2 = x * x;
  let p = x2 * -2.76076847742355e-16 + 2.00018790482477e-13;
  p = x2 * p + -8.60467152213735e-11;
  p = x2 * p + 5.12229709037114e-8;
  p = x2 * p + 1.48572235717979e-5;
  p = x2 * p + 6.37261928875436e-4;
  p = x2 * p + 4.89352455891786e-3;
  let q = x2 * 1.19825839466702e-6 + 1.18534705686654e-4;
  q = x2 * q + 2.268434632439e-3;
  q = x2 * q + 4.89352518554385e-3;
  // NaN fails both comparisons above and propagates through the polynomials.
  return (x * p) / q;
}

/** sigmoid(x) = ½·tanh(x/2) + ½, through {@link fastTanh} (max error ≈ 1.5e-7): `ActId.fastSigmoid`. */
export function fastSigmoid(x: number): number {
  return 0.5 * fastTanh(0.5 * x) + 0.5;
}
