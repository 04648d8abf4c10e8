import { nonFiniteError, type FloatArray, type Matrix } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import type { Backend, SampleStep, SampleStepPlan } from '../backend/types.js';
import { Dense, type DenseConfig } from '../nn/dense.js';
import { builtinLossId, lossScale, type Loss } from '../nn/losses.js';
import { paramLayout, type ParamLayout } from '../nn/param-layout.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Rule } from '../optim/rule.js';
import { sgdKernel } from '../optim/sgd.js';
import { FrozenNeurons } from './frozen.js';
import { SamplePath } from './sample-path.js';
import { weightRows } from './sample-weight.js';

/** Rows processed at once by {@link ModelEngine.eachChunk}, bounding the activation buffers. */
const CHUNK = 1024;

/**
 * What a network computes with: the parameter vector and its gradient (laid out by one
 * {@link ParamLayout}), the layers viewing them, the input/target/activation buffers, the seeded
 * generator, and the five steps of training: `reserve`, `forward`, `loss`, `backward`, `step`.
 * `NeuralNetwork` is the user-facing class around it; `fit`, `evaluate`, serialization and
 * neuroevolution work through this interface rather than the network's insides.
 *
 * A pass over m rows reads the first m rows of `input` (and `target`), which callers fill, after
 * `reserve(m)`, by copying or gathering into them.
 */
export class ModelEngine {
  /** The backend running the kernels; parameters and buffers live in its memory. */
  readonly backend: Backend;
  /** Where each layer's weights and biases sit in `params`. */
  readonly layout: ParamLayout;
  /** The layers after the inputs, viewing their slices of `params` and `grads`. */
  readonly layers: readonly Dense[];
  /** Every parameter, in the order of `layout`. */
  readonly params: FloatArray;
  /** dL/d(params) of the last `backward`. */
  readonly grads: FloatArray;
  /** The generator behind initialisation, shuffling and dropout. */
  readonly rng: Rng;
  /** Neurons that `step` leaves as they are. */
  readonly frozen = new FrozenNeurons();
  /** Input rows of the next pass (`capacity` rows). */
  input: FloatArray;
  /** Target rows of the next `loss` (`capacity` rows). */
  target: FloatArray;
  private capacity = 0;
  private forwards = 0;
  /** Multiply-adds per row of the largest layer, to route tiny steps past the backend's dispatch. */
  private readonly widest: number;
  /** One-row passes as one kernel call each (the per-sample `train` step), when the layers allow it. */
  private readonly sample: SamplePath | undefined;
  /** The backend's compiled per-sample step for `stepFor` (loss, rule), if it has one. */
  private stepFn: SampleStep | undefined;
  private stepFor: [Loss, Rule] | undefined;
  /** Whether `stepFn` applies the update itself (plain SGD where the reference `sgd` kernel would run). */
  private stepUpdates = false;

  /** Builds the layers of `configs` over `inputs` inputs and initialises them from `seed`. */
  constructor(backend: Backend, inputs: number, configs: readonly DenseConfig[], seed: number) {
    this.backend = backend;
    this.layout = paramLayout(
      inputs,
      configs.map((c) => c.units),
    );
    this.rng = new Rng(seed);
    this.params = backend.alloc(this.layout.length);
    this.grads = backend.alloc(this.layout.length);
    this.layers = configs.map((c, i) => {
      const entry = this.layout.layers[i]!;
      const layer = new Dense(c, entry.inputs);
      layer.bind(this.params, this.grads, entry);
      return layer;
    });
    for (const l of this.layers) l.initialize(this.rng);
    this.widest = Math.max(...this.layers.map((l) => l.inputs * l.units));
    backend.prepare?.(this.widest);
    this.sample = SamplePath.for(this.layers);
    this.input = this.target = this.params.subarray(0, 0);
  }

  /** Grows the input/target and layer buffers to hold `rows` samples. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const b = this.backend;
    if (this.capacity > 0) {
      b.free?.(this.input);
      b.free?.(this.target);
    }
    this.input = b.alloc(rows * this.layout.inputs);
    this.target = b.alloc(rows * this.layout.outputs);
    for (const l of this.layers) l.reserve(b, rows);
    this.capacity = rows;
    this.sample?.bind(this.input);
  }

  /**
   * One per-sample training step (`NeuralNetwork.train`) as one call of the backend's compiled step
   * ({@link Backend.sampleStep}), bit-identical to `reserve`/`forward`/`loss`/`backward`/`step` on
   * the same row. Returns the loss before the step; `undefined`, or a non-finite loss, when it
   * changed nothing: no compiled step for this stack, loss and optimizer, frozen neurons, or rows
   * that fail the checks (the caller then takes the general path, which reports the problem).
   */
  trainSample(input: unknown, target: unknown, loss: Loss, optimizer: Optimizer): number | undefined {
    const key = this.stepFor;
    if (key === undefined || key[0] !== loss || key[1] !== optimizer.rule) this.compileStep(loss, optimizer.rule);
    const fn = this.stepFn;
    if (fn === undefined || this.frozen.size !== 0) return undefined;
    const value = fn(this.params, this.grads, input, target, optimizer.learningRate, loss);
    if (value === undefined || value - value !== 0) return value;
    // What Optimizer.step does around a plain SGD kernel (no state slots): count the step.
    if (this.stepUpdates) optimizer.t++;
    else this.step(optimizer);
    return value;
  }

  // The compiled step for (loss, rule): only where the general path would run the reference
  // kernels it reproduces, i.e. where the fused samplePass path applies.
  private compileStep(loss: Loss, rule: Rule): void {
    this.stepFor = [loss, rule];
    this.stepFn = undefined;
    const ops = this.ops(1);
    if (this.sample === undefined || !SamplePath.applies(ops) || ops.sampleStep === undefined) return;
    const b = this.backend;
    // The update joins the step when the `sgd` kernel would run its reference on these parameters.
    this.stepUpdates =
      rule.kernel === sgdKernel && (!b.accelerates(sgdKernel.name) || this.params.length <= (b.tiny?.elements ?? 0));
    const plan: SampleStepPlan = {
      layers: this.layers.map((l, i) => ({
        inputs: l.inputs,
        units: l.units,
        act: l.activation.id,
        param: l.activation.param,
        weightOffset: this.layout.layers[i]!.weightOffset,
        biasOffset: this.layout.layers[i]!.biasOffset,
      })),
      fusedLast: this.isFused(loss),
      scale: lossScale(loss, 1, this.layout.outputs),
      update: this.stepUpdates,
      loss: builtinLossId(loss),
    };
    // The backend's own step when it has one (the wasm backend's runs unboxed from its first call),
    // else that of the reference kernels it hands tiny work to; both reproduce those kernels.
    this.stepFn = (b === ops ? undefined : b.sampleStep?.(plan)) ?? ops.sampleStep(plan);
  }

  /**
   * Forward passes so far. Every use of `input` by anyone (predict, evaluate, train) ends in a
   * forward pass, so rows put in `input` are still there while this has not moved.
   */
  get passes(): number {
    return this.forwards;
  }

  /** Forward pass over the first m rows of `input` (dropout when `training`); returns the output buffer. */
  forward(m: number, training: boolean): FloatArray {
    this.forwards++;
    let x = this.input;
    const b = this.ops(m);
    if (m === 1 && this.sample !== undefined && SamplePath.applies(b)) return this.sample.forward(b);
    for (const l of this.layers) x = l.forward(b, m, x, training, training ? this.rng : undefined);
    return x;
  }

  /**
   * The loss of the last forward pass against `target`, leaving dL/d(output) in the last layer.
   * With `weights` (one per row), each row's loss and gradient are weighted (see `weightRows`).
   */
  loss(m: number, loss: Loss, weights?: FloatArray): number {
    const last = this.layers[this.layers.length - 1]!;
    const n = this.layout.outputs;
    const scale = lossScale(loss, m, n);
    const value = this.ops(m).loss(loss, m * n, last.out, this.target, scale, this.isFused(loss), last.delta);
    if (weights === undefined) return value;
    return weightRows(loss, m, n, last.out, this.target, scale, weights, last.delta);
  }

  /** Backward pass after {@link ModelEngine.loss | loss} with the same loss; fills `grads`. */
  backward(m: number, loss: Loss): void {
    const fused = this.isFused(loss);
    const b = this.ops(m);
    if (m === 1 && this.sample !== undefined && SamplePath.applies(b)) return this.sample.backward(b, fused);
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l]!;
      const prev = this.layers[l - 1];
      layer.backward(b, m, prev ? prev.out : this.input, prev?.delta, fused && l === this.layers.length - 1);
    }
  }

  /** One optimizer step on `params` from `grads`, keeping frozen neurons as they are. */
  step(optimizer: Optimizer, meanwhile?: () => void): void {
    const keep = this.frozen.save(this.layers);
    optimizer.step(this.backend, this.params.length, this.params, this.grads, meanwhile);
    if (keep) this.frozen.restore(this.layers);
  }

  /**
   * Runs the forward pass (no dropout) over `x` in chunks of up to 1024 rows, copying the chunk's
   * rows of `t` into `target` when given and checking every value as it copies; `fn` receives the
   * chunk's first row, its row count and the output buffer.
   */
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

  /**
   * The kernels for a pass over `m` rows: the backend's tiny-work kernels when every product is
   * that small (W1's 3→2→1 per-sample step on the wasm backend: 2.0–2.2M → 2.45–2.5M steps/s).
   */
  private ops(m: number): Backend {
    const t = this.backend.tiny;
    return t !== undefined && m * this.widest <= t.macs ? t.backend : this.backend;
  }

  // Softmax/sigmoid followed by its cross-entropy: the loss kernel leaves dL/dz = p − t directly.
  private isFused(loss: Loss): boolean {
    return loss.fusedWith !== undefined && loss.fusedWith === this.layers[this.layers.length - 1]!.activation.name;
  }
}
