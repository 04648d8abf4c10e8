import { assertInt, assertNumber } from '../core/errors.js';
import type { FloatArray } from '../core/matrix.js';
import type { Rng } from '../core/rng.js';
import type { Backend } from '../backend/types.js';
import { getActivation, type Activation, type ActivationName } from './activations.js';
import { defaultInitializer, initialize, type InitializerName } from './initializers.js';
import type { LayerParams } from './param-layout.js';

/** The JSON description of a fully-connected layer. */
export interface DenseConfig {
  /** Number of neurons. */
  units: number;
  /** Activation name; default depends on the network options. */
  activation: ActivationName;
  /** leakyRelu slope / elu scale. */
  alpha?: number;
  /** Weight initialiser; default He for the ReLU family, Glorot otherwise. */
  init?: InitializerName;
  /** Fraction of this layer's outputs zeroed during training (inverted dropout). */
  dropout?: number;
}

/**
 * A fully-connected layer: y = f(x·Wᵀ + b). It owns no parameters: `weights` and `biases` are
 * views into the network's single parameter array, so the optimizer, the genome and the file
 * format all see one vector. Activation buffers are preallocated for `capacity` rows.
 */
export class Dense {
  readonly inputs: number;
  readonly units: number;
  readonly activation: Activation;
  readonly init: InitializerName;
  readonly dropout: number;
  /** Row-major [units][inputs]: row j is neuron j's incoming weights (PyTorch nn.Linear layout). */
  weights: FloatArray;
  biases: FloatArray;
  gradWeights: FloatArray;
  gradBiases: FloatArray;
  /** Pre-activations, activations, output after dropout, and dL/d(output) for `capacity` rows. */
  z: FloatArray;
  y: FloatArray;
  out: FloatArray;
  delta: FloatArray;
  private mask: FloatArray | undefined;
  capacity = 0;

  /** A layer of `config.units` neurons over `inputs` inputs; `bind` it before use. */
  constructor(config: DenseConfig, inputs: number) {
    assertInt(config.units, 'units');
    assertInt(inputs, 'inputs');
    this.inputs = inputs;
    this.units = config.units;
    this.activation = getActivation(config.activation, config.alpha);
    this.init = config.init ?? defaultInitializer(this.activation.name);
    const dropout = config.dropout ?? 0;
    assertNumber(dropout, 'dropout', 0, 0.999999);
    this.dropout = dropout;
    const empty = new Float32Array(0);
    this.weights = this.biases = this.gradWeights = this.gradBiases = empty;
    this.z = this.y = this.out = this.delta = empty;
  }

  /** Parameters this layer holds: units·inputs weights then units biases. */
  get parameterCount(): number {
    return this.units * this.inputs + this.units;
  }

  /** The layer's JSON description. */
  get config(): DenseConfig {
    const c: DenseConfig = { units: this.units, activation: this.activation.name, init: this.init };
    if (this.activation.name === 'leakyRelu' || this.activation.name === 'elu') c.alpha = this.activation.param;
    if (this.dropout > 0) c.dropout = this.dropout;
    return c;
  }

  /** Points the layer at its slice of the network's parameter and gradient arrays (see `ParamLayout`). */
  bind(params: FloatArray, grads: FloatArray, at: LayerParams): void {
    const nw = this.units * this.inputs;
    this.weights = params.subarray(at.weightOffset, at.weightOffset + nw);
    this.biases = params.subarray(at.biasOffset, at.biasOffset + this.units);
    this.gradWeights = grads.subarray(at.weightOffset, at.weightOffset + nw);
    this.gradBiases = grads.subarray(at.biasOffset, at.biasOffset + this.units);
  }

  /** Draws initial weights; biases start at zero. */
  initialize(rng: Rng): void {
    initialize(this.init, this.weights, this.inputs, this.units, rng);
    this.biases.fill(0);
  }

  /** Makes sure the buffers hold at least `rows` samples (reallocates only when growing). */
  reserve(b: Backend, rows: number): void {
    if (rows <= this.capacity) return;
    for (const buf of [this.z, this.y, this.delta, this.mask]) if (buf && buf.length > 0) b.free?.(buf);
    if (this.out !== this.y && this.out.length > 0) b.free?.(this.out);
    const n = rows * this.units;
    this.z = b.alloc(n);
    this.y = b.alloc(n);
    this.delta = b.alloc(n);
    if (this.dropout > 0) {
      this.mask = b.alloc(n);
      this.out = b.alloc(n);
    } else {
      this.out = this.y;
    }
    this.capacity = rows;
  }

  /** Forward pass over m rows of `x`; returns the output buffer (valid for the first m·units values). */
  forward(b: Backend, m: number, x: FloatArray, training: boolean, rng: Rng | undefined): FloatArray {
    const n = m * this.units;
    b.affine(m, this.units, this.inputs, x, this.weights, this.biases, this.z);
    if (this.activation.rowwise) b.softmaxRows(m, this.units, this.z, this.y);
    else b.actForward(this.activation, n, this.z, this.y);
    if (this.dropout === 0) return this.y;
    if (!training || rng === undefined) {
      this.out.set(this.y.subarray(0, n));
      return this.out;
    }
    const mask = this.mask as FloatArray;
    const keep = 1 / (1 - this.dropout);
    for (let i = 0; i < n; i++) mask[i] = rng.next() < this.dropout ? 0 : keep;
    b.mul(n, this.y, mask, this.out);
    return this.out;
  }

  /**
   * Backward pass. `delta` holds dL/d(output) for m rows, or dL/dz already when `deltaIsZ`
   * (fused softmax/sigmoid + cross-entropy). Writes the parameter gradients and, when `dx` is
   * given, dL/dx for the previous layer.
   */
  backward(b: Backend, m: number, x: FloatArray, dx: FloatArray | undefined, deltaIsZ: boolean): void {
    const n = m * this.units;
    const d = this.delta;
    if (!deltaIsZ) {
      if (this.mask !== undefined) b.mul(n, d, this.mask, d);
      if (this.activation.rowwise) b.softmaxBackward(m, this.units, this.y, d, d);
      else b.actBackward(this.activation, n, this.z, this.y, d, d);
    }
    // dW = dZᵀ·X, db = column sums of dZ, dX = dZ·W.
    b.gemm(true, false, this.units, this.inputs, m, 1, d, x, 0, this.gradWeights);
    b.colSum(m, this.units, d, 0, this.gradBiases);
    if (dx !== undefined) b.gemm(false, false, m, this.inputs, this.units, 1, d, this.weights, 0, dx);
  }
}
