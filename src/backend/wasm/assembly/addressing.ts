// @ts-nocheck -- AssemblyScript (compiled by asc, not tsc).
//
// Addressing shared by the kernels: f32 and i8 element addresses in linear memory, and how an
// elementwise export `(lo, hi, arrays, attrs)` reads its call (native-kernels.ts writes it): the
// arrays' byte offsets as i32s at `arrays`, the attrs as f64s at `attrs`. asc -O3 inlines each.

/** Byte address of f32 element `i` of the array at `p`. */
export function at(p: usize, i: i32): usize {
  return p + ((<usize>i) << 2);
}

/** Byte address of i8 element `i` of the array at `p`. */
export function i8at(p: usize, i: i32): usize {
  return p + <usize>i;
}

/** Byte offset of the call's array `k`. */
export function arr(arrays: usize, k: i32): usize {
  return <usize>load<i32>(arrays + ((<usize>k) << 2));
}

/** The call's attr `k`, as written (f64: narrowed by the kernel, it rounds as an f32 parameter would). */
export function attr(attrs: usize, k: i32): f64 {
  return load<f64>(attrs + ((<usize>k) << 3));
}

/** The call's attr `k` as an integer (a size or a count). */
export function attrInt(attrs: usize, k: i32): i32 {
  return <i32>attr(attrs, k);
}
