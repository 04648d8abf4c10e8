import { NeuriteError, describe } from '../core/errors.js';
import {
  assertFinite,
  nonFiniteError,
  toMatrix,
  toVector,
  type FloatArray,
  type Matrix,
  type MatrixLike,
  type VectorLike,
} from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { getBackend } from '../backend/registry.js';
import type { Backend } from '../backend/types.js';
import { Dense } from '../nn/dense.js';
import { getLoss, lossScale, type Loss } from '../nn/losses.js';
import { Optimizer, parseOptimizer, type OptimizerSpec } from '../optim/optimizer.js';
import { evaluate, type EvaluateOptions, type Evaluation } from './evaluate.js';
import { FrozenNeurons } from './frozen.js';
import { neuronAt } from './neuron-index.js';
import { fit, type FitOptions, type History } from './fit.js';
import { assertParameterCount } from './network-limits.js';
import { resolveLayers, type NetworkOptions } from './options.js';
import { weightRows } from './sample-weight.js';
import { parseModel, restoreTraining, toModelJSON, type ModelJSON, type ToJSONOptions } from './serialize.js';
import { summarize } from './summary.js';

/** Rows processed at once by predictBatch/evaluate, bounding the activation buffers. */
const CHUNK = 1024;

/** A neuron's incoming weights and bias, as plain numbers. */
export interface Neuron {
  weights: number[];
  bias: number;
}

/**
 * A fully-connected feed-forward network of any shape, trained by backpropagation (`train`, `fit`)
 * or by changing its weights directly (neuroevolution, hand edits).
 *
 * All parameters live in one array (layer by layer: weights row-major [units][inputs], then
 * biases); `layers[l].weights`/`biases` are live views into it.
 *
 * @example
 * ```ts
 * const net = new NeuralNetwork({ layers: [3, 2, 1], activation: 'sigmoid', learningRate: 0.1, seed: 42 });
 * net.train([170, 70, 25], [1]);
 * net.predict([175, 75, 27]); // Float32Array [≈0.5…]
 * ```
 */
export class NeuralNetwork {
  /** The layers after the inputs; `layers[0]` is the first hidden layer. */
  readonly layers: readonly Dense[];
  /** Number of inputs. */
  readonly inputSize: number;
  /** Number of outputs. */
  readonly outputSize: number;
  /** The seed every random choice of this network derives from. */
  readonly seed: number;
  /** The backend running this network's kernels. */
  readonly backend: Backend;
  /** Loss used by `train` and as the default of `fit`/`evaluate`. */
  loss: Loss;
  /** Free-form metadata kept in the JSON form (preprocessing, training details…). */
  metadata: Record<string, unknown> = {};
  /** The optimizer of `train`; `fit` reuses it when given the same spec, so its state carries over. */
  optimizer: Optimizer;
  /** @internal The generator behind initialisation, shuffling and dropout. */
  readonly rng: Rng;
  /** @internal The single parameter vector and its gradient. */
  readonly params: FloatArray;
  readonly grads: FloatArray; // @internal, with params
  /** @internal Input and target buffers for `capacity` rows. */
  input: FloatArray;
  target: FloatArray; // @internal, with input
  private capacity = 0;
  /** Multiply-adds per row of the largest layer, to route tiny steps past the backend's dispatch. */
  private readonly widest: number;
  private readonly frozen = new FrozenNeurons();
  private readonly options: NetworkOptions;

  /** Builds and initialises a network; invalid options throw `NeuriteError` (`INVALID_OPTION`). */
  constructor(options: NetworkOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new NeuriteError('INVALID_OPTION', `NeuralNetwork options must be an object, got ${describe(options)}`);
    }
    this.options = options;
    const { inputs, configs } = resolveLayers(options);
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    if (!Number.isFinite(seed))
      throw new NeuriteError('INVALID_OPTION', `seed must be a finite number, got ${String(seed)}`);
    this.seed = seed;
    this.rng = new Rng(seed);
    this.backend = getBackend(options.backend ?? 'auto');
    this.loss = getLoss(options.loss ?? 'mse');
    if (options.learningRate !== undefined && !(options.learningRate >= 0 && Number.isFinite(options.learningRate))) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `learningRate must be a finite number >= 0, got ${String(options.learningRate)}`,
      );
    }
    this.optimizer = new Optimizer(
      options.optimizer ?? 'sgd',
      options.learningRate ?? (options.optimizer === undefined ? 0.1 : undefined),
    );
    let fanIn = inputs;
    const layers = configs.map((c) => {
      const layer = new Dense(c, fanIn);
      fanIn = c.units;
      return layer;
    });
    const total = layers.reduce((s, l) => s + l.parameterCount, 0);
    assertParameterCount(total);
    this.params = this.backend.alloc(total);
    this.grads = this.backend.alloc(total);
    let offset = 0;
    for (const l of layers) offset = l.bind(this.params, this.grads, offset);
    for (const l of layers) l.initialize(this.rng);
    this.layers = layers;
    this.widest = Math.max(...layers.map((l) => l.inputs * l.units));
    this.inputSize = inputs;
    this.outputSize = fanIn;
    this.input = this.target = this.params.subarray(0, 0);
  }

  /** Total number of weights and biases. */
  get parameterCount(): number {
    return this.params.length;
  }

  /** The options that rebuild this architecture (used by `clone` and serialization). */
  get architecture(): NetworkOptions {
    return {
      layers: [this.inputSize, ...this.layers.map((l) => ({ ...l.config }))],
      loss: this.loss.name,
      optimizer: { ...this.optimizer.spec },
      seed: this.seed,
      ...(this.options.backend !== undefined ? { backend: this.options.backend } : {}),
    };
  }

  /** @internal Grows the input/target and layer buffers to hold `rows` samples. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const b = this.backend;
    if (this.capacity > 0) {
      b.free?.(this.input);
      b.free?.(this.target);
    }
    this.input = b.alloc(rows * this.inputSize);
    this.target = b.alloc(rows * this.outputSize);
    for (const l of this.layers) l.reserve(b, rows);
    this.capacity = rows;
  }

  /** @internal Forward pass over the first m rows of `input`; returns the output buffer. */
  forward(m: number, training: boolean): FloatArray {
    let x = this.input;
    const b = this.ops(m);
    for (const l of this.layers) x = l.forward(b, m, x, training, training ? this.rng : undefined);
    return x;
  }

  /**
   * The kernels for a pass over `m` rows: the backend's tiny-work kernels when every product is
   * that small (W1's 3→2→1 per-sample step on the wasm backend: 2.0–2.2M → 2.45–2.5M steps/s).
   */
  private ops(m: number): Backend {
    const t = this.backend.tiny;
    return t !== undefined && m * this.widest <= t.macs ? t.backend : this.backend;
  }

  /**
   * @internal Loss of the last forward pass against `target`; leaves dL/d(output) in the last
   * layer. With `weights` (one per row), each row's loss and gradient are weighted.
   */
  lossAndGrad(m: number, loss: Loss = this.loss, weights?: FloatArray): number {
    const last = this.layers[this.layers.length - 1] as Dense;
    const n = m * this.outputSize;
    const fused = this.isFused(loss);
    const scale = lossScale(loss, m, this.outputSize);
    const value = this.ops(m).loss(loss, n, last.out, this.target, scale, fused, last.delta);
    if (weights === undefined) return value;
    return weightRows(loss, m, this.outputSize, last.out, this.target, scale, weights, last.delta);
  }

  private isFused(loss: Loss): boolean {
    return (
      loss.fusedWith !== undefined && loss.fusedWith === (this.layers[this.layers.length - 1] as Dense).activation.name
    );
  }

  /** @internal Backward pass after {@link lossAndGrad}; fills the gradient vector. */
  backward(m: number, loss: Loss = this.loss): void {
    const fused = this.isFused(loss);
    const b = this.ops(m);
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l] as Dense;
      const prev = this.layers[l - 1];
      layer.backward(b, m, prev ? prev.out : this.input, prev?.delta, fused && l === this.layers.length - 1);
    }
  }

  /**
   * @internal Applies one optimizer step to the parameter vector, keeping frozen neurons as they
   * are; `save` receives the parameters from before the step.
   */
  applyStep(optimizer: Optimizer, save?: FloatArray): void {
    const keep = this.frozen.save(this.layers);
    optimizer.step(this.backend, this.params.length, this.params, this.grads, save);
    if (keep) this.frozen.restore(this.layers);
  }

  /**
   * One gradient step on one sample (the seed 002 `train`), with the network's loss and optimizer.
   * Returns that sample's loss measured before the step.
   */
  train(input: VectorLike, target: VectorLike): number {
    this.reserve(1);
    toVector(input, this.inputSize, 'input', this.input as Float32Array);
    toVector(target, this.outputSize, 'target', this.target as Float32Array);
    this.forward(1, true);
    const loss = this.lossAndGrad(1);
    if (!Number.isFinite(loss)) {
      throw new NeuriteError('NON_FINITE', `loss is ${String(loss)} for this sample; the weights were left unchanged`);
    }
    this.backward(1);
    this.applyStep(this.optimizer);
    return loss;
  }

  /** The network's outputs for one sample. */
  predict(input: VectorLike): Float32Array {
    this.reserve(1);
    toVector(input, this.inputSize, 'input', this.input as Float32Array);
    const y = this.forward(1, false);
    return Float32Array.from(y.subarray(0, this.outputSize));
  }

  /** The outputs for every row, as a Matrix (`rows` × `outputSize`). */
  predictBatch(inputs: MatrixLike): Matrix {
    const x = toMatrix(inputs, this.inputSize, 'inputs', false);
    const out = new Float32Array(x.rows * this.outputSize);
    this.eachChunk(x, undefined, (start, m, y) => out.set(y.subarray(0, m * this.outputSize), start * this.outputSize));
    return { rows: x.rows, cols: this.outputSize, data: out };
  }

  /** @internal Runs forward over `x` (copying `t` to the target buffer), checking values as it copies. */
  eachChunk(x: Matrix, t: Matrix | undefined, fn: (start: number, m: number, y: FloatArray) => void): void {
    const chunk = Math.min(CHUNK, x.rows);
    this.reserve(chunk);
    for (let start = 0; start < x.rows; start += chunk) {
      const m = Math.min(chunk, x.rows - start);
      this.copyChecked(this.input, x, start, m, 'inputs');
      if (t) this.copyChecked(this.target, t, start, m, 'targets');
      fn(start, m, this.forward(m, false));
    }
  }

  // A SIMD pass in backend memory instead of toMatrix's ~1 ns a value (2 ms of W3's 7 ms batch).
  private copyChecked(dst: FloatArray, src: Matrix, start: number, m: number, what: string): void {
    const n = src.cols;
    dst.set(src.data.subarray(start * n, (start + m) * n));
    const bad = this.backend.firstNonFinite(m * n, dst);
    if (bad >= 0) throw nonFiniteError(what, start * n + bad, n, src.data[start * n + bad] as number);
  }

  /** Loss (default: the network's) and metrics over a dataset, without training. */
  evaluate(inputs: MatrixLike, targets: MatrixLike, options: EvaluateOptions = {}): Evaluation {
    return evaluate(this, inputs, targets, options);
  }

  /**
   * Every layer's output for every row (after activation, without dropout): one Matrix per layer,
   * `rows × units`. What each neuron "sees", e.g. for drawing per-neuron activation maps.
   */
  activations(inputs: MatrixLike): Matrix[] {
    const x = toMatrix(inputs, this.inputSize, 'inputs', false);
    const outs = this.layers.map((l) => ({ rows: x.rows, cols: l.units, data: new Float32Array(x.rows * l.units) }));
    this.eachChunk(x, undefined, (start, m) =>
      this.layers.forEach((l, i) => (outs[i] as Matrix).data.set(l.out.subarray(0, m * l.units), start * l.units)),
    );
    return outs;
  }

  /** Neuron j of layer l: its incoming weights (one per input of the layer) and bias. */
  getNeuron(l: number, j: number): Neuron {
    const layer = neuronAt(this.layers, l, j);
    return {
      weights: Array.from(layer.weights.subarray(j * layer.inputs, (j + 1) * layer.inputs)),
      bias: layer.biases[j] as number,
    };
  }

  /** Overwrites neuron j of layer l's incoming weights and/or bias. */
  setNeuron(l: number, j: number, values: Partial<Neuron>): void {
    const layer = neuronAt(this.layers, l, j);
    if (values.weights !== undefined) {
      const w = toVector(values.weights, layer.inputs, `weights of layer ${String(l)} neuron ${String(j)}`);
      layer.weights.set(w, j * layer.inputs);
    }
    if (values.bias !== undefined) {
      if (typeof values.bias !== 'number' || !Number.isFinite(values.bias)) {
        throw new NeuriteError(
          'NON_FINITE',
          `bias of layer ${String(l)} neuron ${String(j)} must be a finite number, got ${describe(values.bias)}`,
        );
      }
      layer.biases[j] = values.bias;
    }
  }

  /** Stops (or, with `false`, resumes) training of one neuron's weights and bias. */
  freezeNeuron(l: number, j: number, frozen = true): void {
    neuronAt(this.layers, l, j);
    this.frozen.toggle(l, j, frozen);
  }

  /** True when {@link freezeNeuron} froze this neuron. */
  isFrozen(l: number, j: number): boolean {
    return this.frozen.has(l, j);
  }

  /** A copy of every parameter: layer by layer, weights (row-major [units][inputs]) then biases. */
  getWeights(): Float32Array {
    return Float32Array.from(this.params);
  }

  /** Replaces every parameter from a flat vector laid out as {@link getWeights} returns it. */
  setWeights(flat: ArrayLike<number>): void {
    if (flat == null || typeof flat.length !== 'number' || flat.length !== this.params.length) {
      throw new NeuriteError(
        'SHAPE_MISMATCH',
        `weights must have ${String(this.params.length)} values (parameterCount), got ${flat == null ? String(flat) : String(flat.length)}`,
      );
    }
    assertFinite(flat, 'weights');
    this.params.set(flat);
  }

  /**
   * An independent copy: same architecture, weights, loss and optimizer settings (fresh optimizer
   * state), its random generator continuing from this one's position (same shuffles and dropout).
   */
  clone(): NeuralNetwork {
    const copy = new NeuralNetwork({ ...this.architecture, backend: this.backend });
    copy.rng.setState(this.rng.getState());
    copy.optimizer = new Optimizer(this.optimizer.spec);
    copy.params.set(this.params);
    copy.metadata = structuredClone(this.metadata);
    for (const { layer, neuron } of this.frozen.entries()) copy.freezeNeuron(layer, neuron);
    return copy;
  }

  /**
   * Trains on a dataset by mini-batch gradient descent. Asynchronous: it yields to the event loop
   * between batches so progress can render and `signal` can stop it.
   *
   * @example
   * ```ts
   * const h = await net.fit(xs, ys, { epochs: 200, batchSize: 4, optimizer: 'adam', loss: 'mse' });
   * h.loss; // one mean loss per epoch
   * ```
   */
  fit(inputs: MatrixLike, targets: MatrixLike, options: FitOptions = {}): Promise<History> {
    return fit(this, inputs, targets, options);
  }

  /** A readable table of layers, shapes and parameter counts. */
  summary(): string {
    return summarize(this);
  }

  /** The JSON-safe form of this network, with its optimizer's state unless `{ optimizerState: false }`. */
  toJSON(options?: ToJSONOptions): ModelJSON {
    return toModelJSON(this, options);
  }

  /**
   * Restores a network from {@link toJSON}'s output (or the parsed model file): bit-identical
   * predictions, and training resumes exactly when the optimizer state was saved. Anything else
   * fails with `INVALID_MODEL` naming what is wrong.
   */
  static fromJSON(json: unknown, options: Pick<NetworkOptions, 'backend'> = {}): NeuralNetwork {
    const parsed = parseModel(json);
    let net: NeuralNetwork;
    try {
      net = new NeuralNetwork({ ...parsed.options, ...options });
    } catch (e) {
      if (e instanceof NeuriteError && e.code === 'INVALID_OPTION')
        throw new NeuriteError('INVALID_MODEL', `invalid model: ${e.message}`);
      throw e;
    }
    net.params.set(parsed.weights);
    net.metadata = parsed.metadata;
    restoreTraining(net, parsed);
    return net;
  }

  /** @internal A fresh optimizer for `fit`, or the network's own when the spec is the same. */
  optimizerFor(spec: OptimizerSpec | undefined): Optimizer {
    if (spec === undefined) return this.optimizer;
    const parsed = parseOptimizer(spec);
    if (JSON.stringify(parsed) !== JSON.stringify(this.optimizer.spec)) this.optimizer = new Optimizer(parsed);
    return this.optimizer;
  }
}
