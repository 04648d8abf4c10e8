import type { FloatArray } from '../core/matrix.js';
import { SAMPLE_PASS_ACTS, SAMPLE_TABLE_STRIDE, samplePass, type SamplePassAttrs } from '../backend/js/sample-pass.js';
import type { Backend } from '../backend/types.js';
import type { Dense } from '../nn/dense.js';

/**
 * The fused per-sample path of a network (the `samplePass` kernel): one call runs the forward, one
 * the backward pass of a whole stack for one row, in place of two to five kernel calls per layer.
 * Only where the general path would run the reference kernels (a `js` backend, or a backend's
 * tiny-work kernels), so that the two are bit-identical; {@link SamplePath.for} says `undefined`
 * for stacks the kernel cannot run (dropout, activations it knows only by their `f`/`df`).
 */
export class SamplePath {
  private arrays: FloatArray[] = [];
  private readonly table: Float64Array;
  private readonly fwd: SamplePassAttrs;
  private readonly bwd: SamplePassAttrs;

  private constructor(private readonly layers: readonly Dense[]) {
    // Float64: activation parameters such as leakyRelu's 0.1 must reach the kernel unrounded.
    this.table = new Float64Array(layers.length * SAMPLE_TABLE_STRIDE);
    layers.forEach((l, i) => {
      this.table.set([l.inputs, l.units, l.activation.id, l.activation.param], i * SAMPLE_TABLE_STRIDE);
    });
    this.fwd = { layers: layers.length, backward: 0, fusedLast: 0 };
    this.bwd = { layers: layers.length, backward: 1, fusedLast: 0 };
  }

  /** The path for these layers, or `undefined` when the kernel cannot run them. */
  static for(layers: readonly Dense[]): SamplePath | undefined {
    const ok = layers.every((l) => l.dropout === 0 && SAMPLE_PASS_ACTS.has(l.activation.id));
    return ok ? new SamplePath(layers) : undefined;
  }

  /** Whether `ops` (the kernels a one-row pass would use) are the reference ones this path reproduces. */
  static applies(ops: Backend): boolean {
    return ops.name === 'js' || ops.name === 'js64';
  }

  /** Points the kernel at the current buffers (after the model reallocates them). */
  bind(input: FloatArray): void {
    this.arrays = [input];
    for (const l of this.layers) this.arrays.push(l.weights, l.biases, l.gradWeights, l.gradBiases, l.z, l.y, l.delta);
    this.arrays.push(this.table);
  }

  /** Forward pass of the row in `input`; returns the output buffer. */
  forward(ops: Backend): FloatArray {
    ops.run(samplePass, 1, this.arrays, this.fwd);
    return (this.layers[this.layers.length - 1] as Dense).y;
  }

  /** Backward pass after the loss left dL/d(output) (or dL/dz when `fusedLast`) in the last delta. */
  backward(ops: Backend, fusedLast: boolean): void {
    this.bwd.fusedLast = fusedLast ? 1 : 0;
    ops.run(samplePass, 1, this.arrays, this.bwd);
  }
}
