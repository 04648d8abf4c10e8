// @ts-nocheck -- AssemblyScript entry (compiled by scripts/build-wasm.mjs, not tsc).
//
// The module imports its memory and never allocates: the JS side owns the heap layout, so every
// export takes byte offsets into linear memory and sizes. No runtime, no data segments, so several
// instances (one per worker thread) can share one memory safely.

export { gemmBlock, gemmIsDirect, gemmScratchBytes, gemmTileRows } from './gemm';
export { actForward, actBackward, softmaxRows, softmaxBackward } from './activations';
export { fillRows, colSum, mul, axpy, scale, clip, sumSquares, firstNonFinite, gatherRows, copyRange } from './vector';
export { sgdStep, momentumStep, adamStep, rmspropStep, adagradStep } from './optimizers';
export { populationAffine, populationForward } from './population';
export { shuffleIndices } from './shuffle';
export { quantizedAffine, quantizedForward } from './quantized';

/** First byte the JS heap may use (the module has no static data, but stay honest). */
export function heapBase(): usize {
  return __heap_base;
}
