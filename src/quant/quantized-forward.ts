import type { FloatArray } from '../core/matrix.js';
import { quantizedAffine } from '../backend/js/quantized-affine.js';
import { ActId, type Kernel } from '../backend/types.js';
import type { Activation } from '../nn/activations.js';

/** f32s per layer in a plan: inputs, stride, units, weight bound, activation id, its parameter. */
export const PLAN_STRIDE = 6;

/** Arrays per layer of a call: sx (row scales), w, sw, b, z (pre-activations), y (outputs). */
export const FORWARD_LAYER_ARRAYS = 6;

/**
 * Layers a call may have: 3 + 6 per layer arrays within the wasm backend's table of 64 (a deeper
 * network runs layer by layer).
 */
export const FORWARD_MAX_LAYERS = 10;

/** Scalars of a {@link quantizedForwardKernel} call: the layer count, and multiply-adds per row (how a pool sizes its split). */
export type QuantizedForwardAttrs = { layers: number; macs: number };

/** Whether the wasm build's `quantizedForward` runs this activation (its `actForward` ids, and softmax by rows). */
export function forwardRunsNatively(act: Activation): boolean {
  return act.id >= 0 && act.id <= ActId.fastSigmoid;
}

/**
 * The whole forward pass of a quantized network over rows of a batch as one kernel: for each
 * layer, `quantizedAffine` into z, then its activation into y (softmax by rows), y feeding the
 * next layer. Positions are rows and rows are independent, so a thread pool splits one call
 * over its threads: one job per batch instead of two per layer, each thread taking its rows
 * through every layer while they are in its cache.
 *
 * arrays: `x` (rows × inputs), `q` (scratch of `quantizedAffine` for the widest layer), `plan`
 * ({@link PLAN_STRIDE} floats per layer: k, kp, n, wmax, activation id, parameter), then per layer
 * {@link FORWARD_LAYER_ARRAYS}: `sx` (rows), `w`, `sw`, `b`, `z` and `y` (rows × n). The reference is
 * the layer-by-layer path: the reference `quantizedAffine`, then the running backend's activation
 * (hence one kernel object per network: it holds the activations, which a native build knows by
 * `plan`'s ids).
 */
export function quantizedForwardKernel(acts: readonly Activation[]): Kernel<QuantizedForwardAttrs> {
  return {
    name: 'quantizedForward',
    arrays: ['x', 'q', 'plan', '(sx, w, sw, b, z, y) per layer'],
    reference(rows, list, { layers }, backend) {
      const plan = list[2] as FloatArray;
      let x = list[0] as FloatArray;
      for (let l = 0; l < layers; l++) {
        const p = l * PLAN_STRIDE;
        const [k, kp, n, wmax] = [0, 1, 2, 3].map((i) => plan[p + i] as number) as [number, number, number, number];
        const a = 3 + l * FORWARD_LAYER_ARRAYS;
        const [sx, w, sw, b, z, y] = list.slice(a, a + FORWARD_LAYER_ARRAYS) as FloatArray[];
        quantizedAffine.reference(rows, [x, list[1] as FloatArray, sx!, w!, sw!, b!, z!], { k, kp, n, wmax }, backend);
        const act = acts[l] as Activation;
        if (act.rowwise) backend.softmaxRows(rows, n, z!, y!);
        else backend.actForward(act, rows * n, z!, y!);
        x = y!;
      }
    },
  };
}
