import type { FloatArray } from '../../core/matrix.js';
import type { Kernel } from '../types.js';

/**
 * `y[0, n) = x[0, n)` as a registered kernel, so a backend with a thread pool splits a long copy
 * (fit's per-step backup of ~110k parameters on the W2 network) over its threads instead of
 * leaving it to the calling thread between two split jobs.
 */
export const copyKernel: Kernel = {
  name: 'copy',
  arrays: ['x', 'y'],
  reference(n, list) {
    const x = list[0] as FloatArray;
    const y = list[1] as FloatArray;
    y.set(x.length === n ? x : x.subarray(0, n));
  },
};
