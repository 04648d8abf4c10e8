import { NeuriteError, assertInt, assertNumber, assertOneOf, describe } from '../core/errors.js';
import { copyKernel } from '../backend/js/copy.js';
import { jsBackend } from '../backend/js/index.js';
import { nonFiniteError, toMatrix, type FloatArray, type Matrix, type MatrixLike } from '../core/matrix.js';
import { checkOptions } from '../core/options.js';
import { getLoss, type Loss, type LossName } from '../nn/losses.js';
import { Optimizer, parseOptimizer, type OptimizerName, type OptimizerSpec } from '../optim/optimizer.js';
import { metricCount, metricSum, parseMetrics, type MetricName } from './metrics.js';
import type { ModelEngine } from './engine.js';
import { rowsIn } from './evaluate.js';
import type { NeuralNetwork } from './network.js';
import { checkSampleWeight, rowWeights, type ClassWeight } from './sample-weight.js';
import { saveTraining, type TrainingSnapshot } from './fit-rollback.js';

/** What `onEpochEnd` and `onBatchEnd` receive. */
export interface EpochLogs {
  loss: number;
  valLoss?: number;
  learningRate: number;
  /** Requested metrics on the training batches (`accuracy`, …) and on validation (`valAccuracy`, …). */
  [metric: string]: number | undefined;
}

/** Early stopping: stop when the monitored loss has not improved by `minDelta` for `patience` epochs. */
export interface EarlyStopping {
  patience: number;
  minDelta?: number;
  /** Put back the weights of the best epoch when stopping (Keras `restore_best_weights`). */
  restoreBest?: boolean;
  /** Default: `'valLoss'` when validating, else `'loss'`. */
  monitor?: 'loss' | 'valLoss';
}

/** Options of {@link NeuralNetwork.fit}. */
export interface FitOptions {
  /** Passes over the data (default 10). */
  epochs?: number;
  /** Samples per gradient step (default 32; larger than the data means full batch). */
  batchSize?: number;
  /**
   * Default: the network's loss. A loss named here becomes the network's, as `optimizer` does, so
   * `summary`, `evaluate` and the saved file say what was trained on.
   */
  loss?: LossName;
  /**
   * Default: the network's optimizer. Passing the same spec again continues its state (moments,
   * step count and the schedule's epoch), also after `toJSON`/`fromJSON`.
   */
  optimizer?: OptimizerName | OptimizerSpec;
  /** Reshuffle the training rows every epoch (default true). */
  shuffle?: boolean;
  /** Fraction of rows, taken from the end before shuffling (as Keras does), held out for validation. */
  validationSplit?: number;
  /** Explicit validation set (overrides validationSplit). */
  validationData?: readonly [MatrixLike, MatrixLike];
  earlyStopping?: EarlyStopping;
  /** Metrics reported per epoch, on training batches and validation. */
  metrics?: readonly MetricName[];
  onEpochEnd?: (epoch: number, logs: EpochLogs) => void | Promise<void>;
  onBatchEnd?: (batch: number, logs: { loss: number; epoch: number; batches: number }) => void;
  /** Aborting stops after the current batch; `fit` resolves with `stopReason: 'aborted'`. */
  signal?: AbortSignal;
  /**
   * One weight (finite, >= 0) per row of `inputs`: each row's loss and gradient are multiplied by
   * it, and the loss is still the mean over rows (Keras' `sample_weight`). With `validationSplit`,
   * the weights of the held-out rows are unused; validation losses are unweighted.
   */
  sampleWeight?: ArrayLike<number>;
  /**
   * Weights by class, multiplying `sampleWeight` when both are given: `'balanced'` for
   * `n_samples / (n_classes * count)` as scikit-learn computes it (on the training rows), an array
   * with one weight per class, or a record `{ [class]: weight }` (classes left out weigh 1). A
   * row's class is the argmax of its one-hot target, or its 0/1 target for a single output.
   */
  classWeight?: ClassWeight;
}

/** Every key {@link FitOptions} accepts, for the unknown-key check. */
const FIT_KEYS = [
  'epochs',
  'batchSize',
  'loss',
  'optimizer',
  'shuffle',
  'validationSplit',
  'validationData',
  'earlyStopping',
  'metrics',
  'onEpochEnd',
  'onBatchEnd',
  'signal',
  'sampleWeight',
  'classWeight',
] as const satisfies readonly (keyof FitOptions)[];
const EARLY_STOPPING_KEYS = [
  'patience',
  'minDelta',
  'restoreBest',
  'monitor',
] as const satisfies readonly (keyof EarlyStopping)[];

/** What `fit` returns: one entry per completed epoch. */
export interface History {
  /**
   * Mean training loss per row per epoch, each batch measured before its update (as Keras). For
   * `ssr` that is each row's sum of squared residuals averaged over the rows, so it compares with
   * `valLoss` (and `evaluate`) over a set of another size.
   */
  loss: number[];
  /** Validation loss per epoch, when validating. */
  valLoss?: number[];
  /** Requested metrics per epoch, e.g. `accuracy`, `valAccuracy`. */
  metrics: Record<string, number[]>;
  /** Learning rate in force during each epoch. */
  learningRate: number[];
  epochs: number;
  stopReason: 'completed' | 'earlyStopping' | 'aborted';
  /** Epoch (0-based) with the best monitored loss. */
  bestEpoch: number;
}

/** An empty history, with `valLoss` only when validating (so it is absent, not empty, otherwise). */
export function newHistory(validating: boolean): History {
  const history: History = {
    loss: [],
    metrics: {},
    learningRate: [],
    epochs: 0,
    stopReason: 'completed',
    bestEpoch: -1,
  };
  if (validating) history.valLoss = [];
  return history;
}

/** Yield to the event loop this often so progress can render and abort signals arrive. */
const YIELD_MS = 40;
const yieldNow = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

interface Split {
  x: Matrix;
  y: Matrix;
  /**
   * The caller's whole inputs and targets when some of their training rows are not checked yet
   * (a Matrix is taken as given): `trainBatches` checks each batch as it gathers it in the first
   * epoch, and the whole data is scanned only to name a bad value.
   */
  unchecked?: { x: Matrix; y: Matrix };
  /** One weight per training row, when `sampleWeight` or `classWeight` is given. */
  weights?: Float32Array;
  valX?: Matrix;
  valY?: Matrix;
}

/**
 * Throws NON_FINITE for the first NaN or ±Infinity of the inputs, else of the targets, as
 * `toMatrix` names it, scanning on the network's backend (on wasm a copy and SIMD pass per 64 KiB
 * block: 3 ms for W2's 6.3M inputs).
 */
function assertFiniteData(net: NeuralNetwork, x: Matrix, y: Matrix): void {
  for (const [m, what] of [
    [x, 'inputs'],
    [y, 'targets'],
  ] as const) {
    const bad = net.engine.backend.firstNonFinite(m.data.length, m.data);
    if (bad >= 0) throw nonFiniteError(what, bad, m.cols, m.data[bad] as number);
  }
}

function split(net: NeuralNetwork, inputs: MatrixLike, targets: MatrixLike, o: FitOptions, epochs: number): Split {
  // Arrays of rows are checked as toMatrix copies them; a Matrix is checked batch by batch (see Split).
  const x = toMatrix(inputs, net.inputSize, 'inputs', false);
  const y = toMatrix(targets, net.outputSize, 'targets', false);
  if (x.rows !== y.rows) {
    throw new NeuriteError('SHAPE_MISMATCH', `inputs has ${String(x.rows)} rows but targets has ${String(y.rows)}`);
  }
  let unchecked = x === inputs || y === targets ? { x, y } : undefined;
  // Checked whole now instead: when nothing trains; when class weights read every target before
  // training (a NaN there is NON_FINITE, not a bad class); and when the data is no larger than the
  // copy of the weights and optimizer state that checking batch by batch keeps to put back.
  const kept = net.engine.params.length * (1 + (net.optimizer.t > 0 ? net.optimizer.rule.slots : 0));
  if (unchecked && (epochs === 0 || o.classWeight !== undefined || x.data.length + y.data.length <= kept)) {
    assertFiniteData(net, x, y);
    unchecked = undefined;
  }
  const lazy = (s: Split): Split => (unchecked ? { ...s, unchecked } : s);
  const sampleWeight = checkSampleWeight(o.sampleWeight, x.rows);
  const weighted = (s: Split): Split => {
    const w = rowWeights(sampleWeight?.subarray(0, s.x.rows), o.classWeight, s.y);
    return lazy(w ? { ...s, weights: w } : s);
  };
  if (o.validationData !== undefined) {
    const valX = toMatrix(o.validationData[0], net.inputSize, 'validationData inputs');
    const valY = toMatrix(o.validationData[1], net.outputSize, 'validationData targets');
    if (valX.rows !== valY.rows)
      throw new NeuriteError('SHAPE_MISMATCH', `validationData inputs and targets differ in rows`);
    return weighted({ x, y, valX, valY });
  }
  const f = o.validationSplit ?? 0;
  assertNumber(f, 'validationSplit', 0, 1);
  const nVal = Math.floor(x.rows * f);
  if (nVal === 0) return weighted({ x, y });
  const nTrain = x.rows - nVal;
  if (nTrain < 1)
    throw new NeuriteError(
      'EMPTY_DATA',
      `validationSplit ${String(f)} leaves no training rows out of ${String(x.rows)}`,
    );
  // The held-out rows never pass through a training batch: check them now.
  if (unchecked) {
    const b = net.engine.backend;
    const vx = x.data.subarray(nTrain * x.cols);
    const vy = y.data.subarray(nTrain * y.cols);
    if (b.firstNonFinite(vx.length, vx) >= 0 || b.firstNonFinite(vy.length, vy) >= 0) assertFiniteData(net, x, y);
  }
  const rows = (m: Matrix, a: number, b: number): Matrix => ({
    rows: b - a,
    cols: m.cols,
    data: m.data.subarray(a * m.cols, b * m.cols),
  });
  return weighted({
    x: rows(x, 0, nTrain),
    y: rows(y, 0, nTrain),
    valX: rows(x, nTrain, x.rows),
    valY: rows(y, nTrain, x.rows),
  });
}

/** A fresh optimizer for `fit`, or the network's own when the spec is the same, so its state carries over. */
function optimizerFor(net: NeuralNetwork, given: OptimizerName | OptimizerSpec | undefined): Optimizer {
  if (given === undefined) return net.optimizer;
  const parsed = parseOptimizer(typeof given === 'string' ? { type: given } : given);
  if (JSON.stringify(parsed) !== JSON.stringify(net.optimizer.spec)) net.optimizer = new Optimizer(parsed);
  return net.optimizer;
}

/** Checks the option values `fit` does not hand to another parser (keys, switches, callbacks, signal). */
function checkFitOptions(o: FitOptions): void {
  checkOptions(o, FIT_KEYS, 'fit options');
  const opts = o as Record<string, unknown>;
  for (const k of ['onEpochEnd', 'onBatchEnd'] as const) {
    if (opts[k] !== undefined && typeof opts[k] !== 'function')
      throw new NeuriteError('INVALID_OPTION', `${k} must be a function, got ${describe(opts[k])}`);
  }
  if (opts['shuffle'] !== undefined && typeof opts['shuffle'] !== 'boolean')
    throw new NeuriteError('INVALID_OPTION', `shuffle must be true or false, got ${describe(opts['shuffle'])}`);
  const signal = opts['signal'];
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || !('aborted' in signal)))
    throw new NeuriteError('INVALID_OPTION', `signal must be an AbortSignal, got ${describe(signal)}`);
  const vd = opts['validationData'];
  if (vd !== undefined && (!Array.isArray(vd) || vd.length !== 2))
    throw new NeuriteError('INVALID_OPTION', `validationData must be [inputs, targets], got ${describe(vd)}`);
  const es = opts['earlyStopping'];
  if (es !== undefined) {
    checkOptions(es, EARLY_STOPPING_KEYS, 'earlyStopping');
    const e = es as Record<string, unknown>;
    assertInt(e['patience'], 'earlyStopping.patience', 0);
    if (e['minDelta'] !== undefined) assertNumber(e['minDelta'], 'earlyStopping.minDelta', 0);
    if (e['restoreBest'] !== undefined && typeof e['restoreBest'] !== 'boolean')
      throw new NeuriteError(
        'INVALID_OPTION',
        `earlyStopping.restoreBest must be true or false, got ${describe(e['restoreBest'])}`,
      );
    if (e['monitor'] !== undefined) assertOneOf(e['monitor'], ['loss', 'valLoss'], 'earlyStopping.monitor');
  }
}

/**
 * Early stopping and best-epoch tracking (Keras `EarlyStopping`): after each epoch, `update`
 * says whether to stop, having put back the best epoch's weights when asked to.
 */
class Monitor {
  private best = Infinity;
  private wait = 0;
  private readonly bestParams: FloatArray | undefined;

  constructor(
    private readonly engine: ModelEngine,
    private readonly es: EarlyStopping | undefined,
    readonly watch: 'loss' | 'valLoss',
  ) {
    this.bestParams = es?.restoreBest === true ? engine.backend.alloc(engine.params.length) : undefined;
  }

  /** Records an epoch's monitored loss; true when training should stop. */
  update(value: number, epoch: number, history: History): boolean {
    if (value < this.best - (this.es?.minDelta ?? 0)) {
      this.best = value;
      history.bestEpoch = epoch;
      this.wait = 0;
      this.bestParams?.set(this.engine.params);
      return false;
    }
    if (this.es === undefined || ++this.wait <= this.es.patience) return false;
    if (this.bestParams) this.engine.params.set(this.bestParams);
    return true;
  }

  free(): void {
    if (this.bestParams) this.engine.backend.free?.(this.bestParams);
  }
}

/** Networks inside `fit`, so a second call on one of them is refused instead of interleaving. */
const training = new WeakSet<NeuralNetwork>();

// A function, so TypeScript does not narrow `aborted` across the awaits that can change it.
const isAborted = (s: AbortSignal | undefined): boolean => s?.aborted === true;

/** Implementation of {@link NeuralNetwork.fit}; see there. */
export async function fit(
  net: NeuralNetwork,
  inputs: MatrixLike,
  targets: MatrixLike,
  o: FitOptions = {},
): Promise<History> {
  if (training.has(net)) {
    throw new NeuriteError(
      'BUSY',
      'cannot start training because another fit() call on this network is ongoing; await it (or abort it with its signal) first',
    );
  }
  checkFitOptions(o);
  const epochs = o.epochs ?? 10;
  assertInt(epochs, 'epochs', 0);
  const batchSize = o.batchSize ?? 32;
  assertInt(batchSize, 'batchSize');
  const loss: Loss = o.loss !== undefined ? getLoss(o.loss) : net.loss;
  const metrics = parseMetrics(o.metrics);
  const data = split(net, inputs, targets, o, epochs);
  // Taken before this call changes anything (the optimizer below, the loss, then the steps).
  const before = data.unchecked ? saveTraining(net) : undefined;
  try {
    const optimizer = optimizerFor(net, o.optimizer);
    // The loss trained on becomes the network's, as the optimizer does: summary, evaluate and the file say what was used.
    net.loss = loss;
    training.add(net);
    try {
      return await epochLoop(net, data, { epochs, batchSize, loss, metrics, optimizer }, o, before);
    } finally {
      training.delete(net);
    }
  } finally {
    before?.free();
  }
}

interface Plan {
  epochs: number;
  batchSize: number;
  loss: Loss;
  metrics: MetricName[];
  optimizer: Optimizer;
}

/** The epochs: shuffle, the batches, the epoch's logs and validation, then the monitor and callbacks. */
async function epochLoop(
  net: NeuralNetwork,
  data: Split,
  plan: Plan,
  o: FitOptions,
  before: TrainingSnapshot | undefined,
): Promise<History> {
  const { loss, metrics, optimizer } = plan;
  const e = net.engine;
  const b = e.backend;
  const n = data.x.rows;
  const bs = Math.min(plan.batchSize, n);
  // Batches are gathered straight from the caller's rows. Copying the dataset into backend memory
  // first made every fit's first epoch pay for touching that much fresh memory: 125 ms for MNIST's
  // 25 MB on the bench VM, most of the first epoch's excess over a warm one (see bench/RESULTS.md).
  const X = data.x.data;
  const Y = data.y.data;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const batchWeights = data.weights ? new Float32Array(bs) : undefined;
  e.reserve(bs);
  // The weights before the last step, whose loss was found finite: put back if training diverges.
  const backup = b.alloc(e.params.length);
  const monitor = new Monitor(e, o.earlyStopping, o.earlyStopping?.monitor ?? (data.valX ? 'valLoss' : 'loss'));
  const history = newHistory(data.valX !== undefined);
  const batching: Batching = {
    net,
    data,
    plan,
    o,
    X,
    Y,
    order,
    bs,
    backup,
    batchWeights,
    lastYield: Date.now(),
    before,
  };
  try {
    for (let epoch = 0; epoch < plan.epochs; epoch++) {
      // The optimizer's own epoch count, so a schedule continues across fit calls and restored files.
      optimizer.startEpoch(optimizer.epochs);
      // A fresh permutation of the rows every epoch, set by the generator's position alone (not by
      // the last epoch's order), so fit 3 + fit 4 = fit 7, also across a saved and restored file.
      if (o.shuffle !== false) {
        for (let i = 0; i < n; i++) order[i] = i;
        if (b.shuffle?.(order, e.rng) !== true) e.rng.shuffle(order);
      }
      const sums = metrics.map(() => 0);
      const lossSum = await trainBatches(batching, epoch, sums);
      if (isAborted(o.signal)) {
        history.stopReason = 'aborted';
        break;
      }
      if (!Number.isFinite(b.sumSquares(e.params.length, e.params))) {
        e.params.set(backup);
        throw new NeuriteError(
          'NON_FINITE',
          `training diverged: weights became non-finite in epoch ${String(epoch + 1)}; the last finite weights were restored`,
          { epoch },
        );
      }
      const logs: EpochLogs = { loss: lossSum / n, learningRate: optimizer.learningRate };
      metrics.forEach((name, i) => (logs[name] = (sums[i] as number) / metricCount(name, n, net.outputSize)));
      if (data.valX && data.valY) validate(net, data.valX, data.valY, loss, metrics, logs);
      record(history, logs, epoch);
      const monitored = (monitor.watch === 'valLoss' ? logs.valLoss : logs.loss) ?? logs.loss;
      optimizer.endEpoch(monitored);
      const stop = monitor.update(monitored, epoch, history);
      if (stop) history.stopReason = 'earlyStopping';
      await o.onEpochEnd?.(epoch, logs);
      if (stop) break;
    }
  } finally {
    b.free?.(backup);
    monitor.free();
  }
  return history;
}

/** What every batch of one fit uses, made once per fit (`lastYield` changes as it runs). */
interface Batching {
  net: NeuralNetwork;
  data: Split;
  plan: Plan;
  o: FitOptions;
  X: FloatArray;
  Y: FloatArray;
  order: Int32Array;
  bs: number;
  backup: FloatArray;
  batchWeights: Float32Array | undefined;
  lastYield: number;
  /** The state before this call, when the first epoch checks its batches (see {@link Split.unchecked}). */
  before: TrainingSnapshot | undefined;
}

/**
 * One epoch's batches in `order`, up to an abort: gather, forward, the divergence check, backward,
 * the weight backup, the optimizer step (gathering the next batch meanwhile), `onBatchEnd`.
 * Returns the epoch's loss summed over rows and adds each metric's sum to `sums`.
 */
async function trainBatches(c: Batching, epoch: number, sums: number[]): Promise<number> {
  const { net, o, X, Y, order, bs, backup, batchWeights } = c;
  const { loss, metrics, optimizer } = c.plan;
  const weights = c.data.weights;
  const e = net.engine;
  const b = e.backend;
  const n = c.data.x.rows;
  const batches = Math.ceil(n / bs);
  // Every training row passes through exactly one batch an epoch, so the first epoch checks them all.
  const unchecked = epoch === 0 ? c.data.unchecked : undefined;
  let lossSum = 0;
  // Batch `ready` was gathered during the previous step, if no pass has used the buffers since.
  let ready = -1;
  let readyMark = -1;
  for (let bi = 0; bi < batches; bi++) {
    // Checked before the batch, so an already-aborted signal (or one aborted in onEpochEnd) changes no weight.
    if (isAborted(o.signal)) break;
    const start = bi * bs;
    const m = Math.min(bs, n - start);
    if (ready !== bi || readyMark !== e.passes) {
      b.gatherRows(m, net.inputSize, order, start, X, e.input);
      b.gatherRows(m, net.outputSize, order, start, Y, e.target);
    }
    if (
      unchecked &&
      (b.firstNonFinite(m * net.inputSize, e.input) >= 0 || b.firstNonFinite(m * net.outputSize, e.target) >= 0)
    ) {
      // As if the data had been checked before training: nothing of this call stays.
      c.before?.restore();
      assertFiniteData(net, unchecked.x, unchecked.y);
      throw new NeuriteError('NON_FINITE', 'the training data changed during fit and now holds NaN or Infinity');
    }
    if (weights && batchWeights)
      for (let r = 0; r < m; r++) batchWeights[r] = weights[order[start + r] as number] as number;
    const out = e.forward(m, true);
    const value = e.loss(m, loss, batchWeights);
    if (!Number.isFinite(value)) {
      if (epoch + bi > 0) e.params.set(backup);
      throw new NeuriteError(
        'NON_FINITE',
        `training diverged: loss became ${String(value)} at epoch ${String(epoch + 1)}, batch ${String(bi + 1)}; the weights were restored to the last ones with a finite loss (try a lower learning rate or gradient clipping)`,
        { epoch, batch: bi },
      );
    }
    lossSum += value * rowsIn(loss, m);
    metrics.forEach((name, i) => (sums[i] = (sums[i] as number) + metricSum(name, m, net.outputSize, out, e.target)));
    e.backward(m, loss);
    // The weights whose loss was just found finite, to put back if a later one is not (a kernel,
    // so a thread pool shares the copy). Then the update, during which the calling thread gathers
    // the next batch (its input and target buffers are free now) while the pool's workers take
    // the update's chunks: the gather, a serial JS copy from the caller's rows (~40–75 µs of a
    // W2 batch on the bench VM), otherwise kept the workers idle. In plain JS, not the backend:
    // that may not be re-entered.
    b.run(copyKernel, e.params.length, [e.params, backup], {});
    const next = bi + 1;
    readyMark = e.passes;
    if (next < batches) {
      const ns = next * bs;
      const nm = Math.min(bs, n - ns);
      e.step(optimizer, () => {
        jsBackend.gatherRows(nm, net.inputSize, order, ns, X, e.input);
        jsBackend.gatherRows(nm, net.outputSize, order, ns, Y, e.target);
        ready = next;
      });
    } else e.step(optimizer);
    o.onBatchEnd?.(bi, { loss: value, epoch, batches });
    if (Date.now() - c.lastYield > YIELD_MS) {
      await yieldNow();
      c.lastYield = Date.now();
    }
  }
  return lossSum;
}

/** Adds the validation loss and metrics (`valAccuracy`, …) to an epoch's logs. */
function validate(net: NeuralNetwork, x: Matrix, y: Matrix, loss: Loss, metrics: MetricName[], logs: EpochLogs): void {
  const v = net.evaluate(x, y, { loss: loss.name, metrics });
  logs.valLoss = v.loss;
  for (const name of metrics) logs[`val${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`] = v[name];
}

/** Appends an epoch's logs to the history. */
function record(history: History, logs: EpochLogs, epoch: number): void {
  history.loss.push(logs.loss);
  history.learningRate.push(logs.learningRate);
  if (logs.valLoss !== undefined) history.valLoss?.push(logs.valLoss);
  for (const [k, v] of Object.entries(logs))
    if (k !== 'loss' && k !== 'valLoss' && k !== 'learningRate' && v !== undefined) (history.metrics[k] ??= []).push(v);
  history.epochs = epoch + 1;
}
