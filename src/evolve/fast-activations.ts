import { fastSigmoid, fastTanh } from '../backend/js/fast-activations.js';
import { ActId, type ActKernel } from '../backend/types.js';
import type { Activation } from '../nn/activations.js';

/**
 * The kernel record to run for `act` in the batch forward pass: with `'fast'`, tanh and sigmoid
 * become the backend's `fastTanh`/`fastSigmoid` kernels (float32 rational approximations); every
 * other activation, and every activation with `'exact'`, is returned unchanged.
 */
export function batchActivation(act: Activation, mode: 'exact' | 'fast'): ActKernel {
  if (mode === 'exact') return act;
  if (act.id === ActId.tanh) return { id: ActId.fastTanh, param: 0, f: fastTanh, df: (_x, y) => 1 - y * y };
  if (act.id === ActId.sigmoid) return { id: ActId.fastSigmoid, param: 0, f: fastSigmoid, df: (_x, y) => y * (1 - y) };
  return act;
}
