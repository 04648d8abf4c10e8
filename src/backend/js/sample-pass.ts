import type { FloatArray } from '../../core/matrix.js';
import { ActId, type ActKernel, type Kernel } from '../types.js';
import { actBackward, actForward, softmaxBackward, softmaxRows } from './activations.js';
import { dot } from './gemm.js';

/** Arrays per layer in a {@link samplePass} call, after the input: w, b, gw, gb, z, y, delta. */
export const SAMPLE_LAYER_ARRAYS = 7;
/** Floats per layer in a {@link samplePass} table: inputs, units, activation id, activation param. */
export const SAMPLE_TABLE_STRIDE = 4;

/** Scalars of a {@link samplePass} call: `backward` 0 runs the forward pass, 1 the backward pass. */
export type SamplePassAttrs = {
  layers: number;
  backward: number;
  /** 1 when the last layer's delta already holds dL/dz (softmax/sigmoid fused with cross-entropy). */
  fusedLast: number;
};

/**
 * Activation ids whose forward and backward the reference loops compute from the id alone (no
 * record `f`/`df`): only these can go through {@link samplePass}, whose table carries ids.
 */
export const SAMPLE_PASS_ACTS: ReadonlySet<number> = new Set([
  ActId.linear,
  ActId.sigmoid,
  ActId.tanh,
  ActId.relu,
  ActId.leakyRelu,
  ActId.fastTanh,
  ActId.fastSigmoid,
  ActId.softmax,
]);

// One record reused for every layer: the loops read only `id` and `param` for the ids above, so
// setting them replaces allocating an ActKernel per layer and step.
const act: { id: number; param: number } & ActKernel = { id: 0, param: 0, f: () => NaN, df: () => NaN };

/** Where layer `l` is in a call, likewise one reused record: its first array in the list, inputs and units. */
const at = { o: 0, k: 0, units: 0 };

/** Fills {@link at} and {@link act} for layer `l` from the table. */
function enter(table: FloatArray, l: number): typeof at {
  const t = l * SAMPLE_TABLE_STRIDE;
  at.o = 1 + l * SAMPLE_LAYER_ARRAYS;
  at.k = table[t] as number;
  at.units = table[t + 1] as number;
  act.id = table[t + 2] as number;
  act.param = table[t + 3] as number;
  return at;
}

/**
 * One sample through a whole dense stack in one call: the per-sample `train` step without a
 * dispatch per layer and kernel (W1's 3 → 2 → 1 spends most of its time there). The forward pass
 * (`backward` = 0) and the backward pass (`backward` = 1) are this kernel's two halves; the loss
 * between them and the optimizer step after stay the backend's `loss` and the rule's kernel.
 *
 * arrays: the input row, then per layer {@link SAMPLE_LAYER_ARRAYS}: weights (row-major [units][inputs]),
 * biases, their gradients, and the layer's z, y and delta buffers; the last array is the table
 * ({@link SAMPLE_TABLE_STRIDE} floats per layer). Every value is the one the general path
 * (`affine`, `actForward`/`softmaxRows`, then `actBackward`/`softmaxBackward`, `gemm` for dW and
 * dX, `colSum` for db, each on one row) stores, operation for operation: the two are bit-identical
 * (test/model/sample-pass.test.ts). Activations outside {@link SAMPLE_PASS_ACTS} and dropout are
 * not supported (the caller takes the general path).
 */
export const samplePass: Kernel<SamplePassAttrs> = {
  name: 'samplePass',
  arrays: ['x', '...layers', 'table'],
  reference(_n, list, { layers, backward, fusedLast }) {
    const table = list[list.length - 1] as FloatArray;
    if (backward === 0) {
      let x = list[0] as FloatArray;
      for (let l = 0; l < layers; l++) {
        const { o, k, units } = enter(table, l);
        const w = list[o] as FloatArray;
        const b = list[o + 1] as FloatArray;
        const z = list[o + 4] as FloatArray;
        const y = list[o + 5] as FloatArray;
        for (let j = 0; j < units; j++) z[j] = (b[j] as number) + dot(x, 0, w, j * k, k);
        if (act.id === ActId.softmax) softmaxRows(1, units, z, y);
        else actForward(act, units, z, y);
        x = y;
      }
      return;
    }
    for (let l = layers - 1; l >= 0; l--) {
      const { o, k, units } = enter(table, l);
      const w = list[o] as FloatArray;
      const gw = list[o + 2] as FloatArray;
      const gb = list[o + 3] as FloatArray;
      const z = list[o + 4] as FloatArray;
      const y = list[o + 5] as FloatArray;
      const d = list[o + 6] as FloatArray;
      const x = (l === 0 ? list[0] : list[o - 2]) as FloatArray;
      if (!(fusedLast === 1 && l === layers - 1)) {
        if (act.id === ActId.softmax) softmaxBackward(1, units, y, d, d);
        else actBackward(act, units, z, y, d, d);
      }
      // As gemm(dᵀ·x) and colSum with beta 0 store them: 0 + product (so −0 becomes +0 alike).
      for (let i = 0; i < units; i++) {
        const di = d[i] as number;
        for (let j = 0; j < k; j++) gw[i * k + j] = 0 + di * (x[j] as number);
        gb[i] = 0 + di;
      }
      if (l === 0) continue;
      // dX = d·W as gemm's i-p-j loop accumulates it: rounded to float32 after every term.
      const dx = list[o - 1] as FloatArray;
      for (let j = 0; j < k; j++) dx[j] = 0;
      for (let p = 0; p < units; p++) {
        const dp = d[p] as number;
        for (let j = 0; j < k; j++) dx[j] = (dx[j] as number) + dp * (w[p * k + j] as number);
      }
    }
  },
};
