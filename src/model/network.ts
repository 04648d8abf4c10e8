import { NeuriteError, assertInt, describe } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import { assertFinite, toMatrix, toVector, type Matrix, type MatrixLike, type VectorLike } from '../core/matrix.js';
import { getBackend } from '../backend/registry.js';
import type { Backend } from '../backend/types.js';
import type { Dense } from '../nn/dense.js';
import { getLoss, type Loss } from '../nn/losses.js';
import { Optimizer } from '../optim/optimizer.js';
import { ModelEngine } from './engine.js';
import { evaluate, type EvaluateOptions, type Evaluation } from './evaluate.js';
import { fit, type FitOptions, type History } from './fit.js';
import { checkNetworkOptions, resolveLayers, type NetworkOptions } from './options.js';
import { parseModel, restoreTraining, toModelJSON, type ModelJSON, type ToJSONOptions } from './serialize.js';
import { summarize } from './summary.js';
import { quantize, type QuantizedNetwork, type QuantizeOptions } from '../quant/quantized-network.js';

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
  /**
   * The parameters, buffers and training steps (forward, loss, backward, step) this network runs
   * on; `fit`, `evaluate`, serialization and neuroevolution use it. Its `params` is the vector
   * `getWeights` copies.
   */
  readonly engine: ModelEngine;
  /** Loss used by `train` and as the default of `fit`/`evaluate`. */
  loss: Loss;
  /** Free-form metadata kept in the JSON form (preprocessing, training details…). */
  metadata: Record<string, unknown> = {};
  /** The optimizer of `train`; `fit` reuses it when given the same spec, so its state carries over. */
  optimizer: Optimizer;
  private readonly options: NetworkOptions;

  /** Builds and initialises a network; invalid options throw `NeuriteError` (`INVALID_OPTION`). */
  constructor(options: NetworkOptions) {
    checkNetworkOptions(options);
    this.options = options;
    const { inputs, configs } = resolveLayers(options);
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    this.seed = seed;
    this.backend = getBackend(options.backend ?? 'auto');
    this.loss = getLoss(options.loss ?? 'mse');
    const lr: unknown = options.learningRate;
    if (lr !== undefined && !(typeof lr === 'number' && lr >= 0 && Number.isFinite(lr))) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `learningRate must be a finite number >= 0, got ${describe(options.learningRate)}`,
      );
    }
    this.optimizer = new Optimizer(
      options.optimizer ?? 'sgd',
      options.learningRate ?? (options.optimizer === undefined ? 0.1 : undefined),
    );
    this.engine = new ModelEngine(this.backend, inputs, configs, seed);
    this.layers = this.engine.layers;
    this.inputSize = inputs;
    this.outputSize = this.engine.layout.outputs;
  }

  /** Total number of weights and biases. */
  get parameterCount(): number {
    return this.engine.params.length;
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

  /**
   * One gradient step on one sample (the seed 002 `train`), with the network's loss and optimizer.
   * Returns that sample's loss measured before the step.
   */
  train(input: VectorLike, target: VectorLike): number {
    const e = this.engine;
    // Small stacks: one compiled call (W1's 3→2→1 step); anything it declines runs the kernels below.
    const fast = e.trainSample(input, target, this.loss, this.optimizer);
    if (fast !== undefined && fast - fast === 0) return fast;
    e.reserve(1);
    toVector(input, this.inputSize, 'input', e.input as Float32Array);
    toVector(target, this.outputSize, 'target', e.target as Float32Array);
    e.forward(1, true);
    const loss = e.loss(1, this.loss);
    if (!Number.isFinite(loss)) {
      throw new NeuriteError('NON_FINITE', `loss is ${String(loss)} for this sample; the weights were left unchanged`);
    }
    e.backward(1, this.loss);
    e.step(this.optimizer);
    return loss;
  }

  /** The network's outputs for one sample. */
  predict(input: VectorLike): Float32Array {
    const e = this.engine;
    e.reserve(1);
    toVector(input, this.inputSize, 'input', e.input as Float32Array);
    const y = e.forward(1, false);
    return Float32Array.from(y.subarray(0, this.outputSize));
  }

  /** The outputs for every row, as a Matrix (`rows` × `outputSize`). */
  predictBatch(inputs: MatrixLike): Matrix {
    const x = toMatrix(inputs, this.inputSize, 'inputs', false);
    const out = new Float32Array(x.rows * this.outputSize);
    this.engine.eachChunk(x, undefined, (start, m, y) =>
      out.set(y.subarray(0, m * this.outputSize), start * this.outputSize),
    );
    return { rows: x.rows, cols: this.outputSize, data: out };
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
    this.engine.eachChunk(x, undefined, (start, m) =>
      this.layers.forEach((l, i) => (outs[i] as Matrix).data.set(l.out.subarray(0, m * l.units), start * l.units)),
    );
    return outs;
  }

  /** Neuron j of layer l: its incoming weights (one per input of the layer) and bias. */
  getNeuron(l: number, j: number): Neuron {
    const layer = this.neuronAt(l, j);
    return {
      weights: Array.from(layer.weights.subarray(j * layer.inputs, (j + 1) * layer.inputs)),
      bias: layer.biases[j] as number,
    };
  }

  /** Overwrites neuron j of layer l's incoming weights and/or bias. */
  setNeuron(l: number, j: number, values: Partial<Neuron>): void {
    const layer = this.neuronAt(l, j);
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
    this.neuronAt(l, j);
    this.engine.frozen.toggle(l, j, frozen);
  }

  /** True when {@link freezeNeuron} froze this neuron. */
  isFrozen(l: number, j: number): boolean {
    return this.engine.frozen.has(l, j);
  }

  /** A copy of every parameter: layer by layer, weights (row-major [units][inputs]) then biases. */
  getWeights(): Float32Array {
    return Float32Array.from(this.engine.params);
  }

  /** Replaces every parameter from a flat vector laid out as {@link getWeights} returns it. */
  setWeights(flat: ArrayLike<number>): void {
    const params = this.engine.params;
    if (flat == null || typeof flat.length !== 'number' || flat.length !== params.length) {
      throw new NeuriteError(
        'SHAPE_MISMATCH',
        `weights must have ${String(params.length)} values (parameterCount), got ${flat == null ? String(flat) : String(flat.length)}`,
      );
    }
    assertFinite(flat, 'weights');
    params.set(flat);
  }

  /**
   * An independent copy: same architecture, weights, loss and optimizer settings (fresh optimizer
   * state), its random generator continuing from this one's position (same shuffles and dropout).
   */
  clone(): NeuralNetwork {
    const copy = new NeuralNetwork({ ...this.architecture, backend: this.backend });
    copy.engine.rng.setState(this.engine.rng.getState());
    copy.optimizer = new Optimizer(this.optimizer.spec);
    copy.engine.params.set(this.engine.params);
    copy.metadata = structuredClone(this.metadata);
    for (const { layer, neuron } of this.engine.frozen.entries()) copy.freezeNeuron(layer, neuron);
    return copy;
  }

  /**
   * Trains on a dataset by mini-batch gradient descent. Asynchronous: it yields to the event loop
   * between batches so progress can render and `signal` can stop it. A NaN or ±Infinity in the
   * data rejects with `NON_FINITE` naming the first one; a `Matrix` is checked batch by batch in
   * the first epoch, and a bad value found there puts back the weights, optimizer state, loss and
   * generator as the call found them.
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

  /**
   * This network for inference with int8 weights and activations and int32 sums (see
   * {@link QuantizedNetwork}): a model file about 4× smaller, and faster batched products on wasm.
   */
  quantize(options: QuantizeOptions = {}): QuantizedNetwork {
    return quantize(this, options);
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
    checkOptions(options, ['backend'], 'fromJSON options');
    const parsed = parseModel(json);
    let net: NeuralNetwork;
    try {
      net = new NeuralNetwork({ ...parsed.options, ...options });
    } catch (e) {
      if (e instanceof NeuriteError && e.code === 'INVALID_OPTION')
        throw new NeuriteError('INVALID_MODEL', `invalid model: ${e.message}`);
      throw e;
    }
    net.engine.params.set(parsed.weights);
    net.metadata = parsed.metadata;
    restoreTraining(net, parsed);
    return net;
  }

  // Layer l after checking that it exists and has a neuron j (SHAPE_MISMATCH otherwise).
  private neuronAt(l: number, j: number): Dense {
    assertInt(l, 'layer index', 0);
    assertInt(j, 'neuron index', 0);
    const layer = this.layers[l];
    if (layer === undefined) {
      throw new NeuriteError(
        'SHAPE_MISMATCH',
        `layer index ${String(l)} is out of range; the network has ${String(this.layers.length)} layers (0…${String(this.layers.length - 1)})`,
      );
    }
    if (j >= layer.units) {
      throw new NeuriteError(
        'SHAPE_MISMATCH',
        `neuron index ${String(j)} is out of range; layer ${String(l)} has ${String(layer.units)} neurons`,
      );
    }
    return layer;
  }
}
