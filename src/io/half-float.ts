/** The value of an IEEE 754 half-precision (float16) bit pattern, as weight files store them. */
export function halfToFloat(h: number): number {
  const e = (h >> 10) & 31;
  const m = h & 1023;
  const v = e === 0 ? m * 2 ** -24 : e === 31 ? (m === 0 ? Infinity : NaN) : (1 + m / 1024) * 2 ** (e - 15);
  return h & 32768 ? -v : v;
}
