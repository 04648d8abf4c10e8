import * as tf from '@tensorflow/tfjs';
import {
  NeuralNetwork,
  getBackend,
  Rng,
  type ActivationName,
  type LayerSpec,
  type LossName,
  type OptimizerSpec,
} from '../../src/index.js';
import { testBackend } from '../helpers/backends.js';
import { firstMismatch, oneHotRows, probabilityRows, randomRows } from '../helpers/random.js';

/** Activations tfjs-layers computes exactly as neurite does (gelu via tfjs' tanh form `gelu_new`). */
export const TFJS_ACTIVATIONS: readonly ActivationName[] = [
  'linear',
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'elu',
  'softplus',
  'gelu',
  'softmax',
];

/** Losses with an equivalent in tf ops, and the output activation each needs. */
export const TFJS_LOSSES: readonly LossName[] = [
  'mse',
  'ssr',
  'mae',
  'huber',
  'binaryCrossEntropy',
  'categoricalCrossEntropy',
];

export interface OracleLayer {
  units: number;
  activation: ActivationName;
  alpha?: number;
}

/** A network, a batch and an optimizer for {@link compareWithTfjs}. */
export interface OracleSpec {
  inputs: number;
  layers: OracleLayer[];
  loss: LossName;
  optimizer: OptimizerSpec;
  rows: number;
  seed: number;
  steps: number;
  /** neurite backend name (default: the suite's backend). */
  backend?: string;
  /** Input rows to use instead of random ones (`rows` × `inputs`). */
  x?: number[][];
}

/** Everything compared, as pairs (ours, tfjs'), so the test decides tolerances and messages. */
export interface OracleResult {
  outputs: [Float32Array, Float32Array];
  loss: [number, number];
  gradients: [Float32Array, Float32Array];
  /** Loss before each step: neurite's fit history vs tfjs' minimize cost. */
  history: [number[], number[]];
  weights: [Float32Array, Float32Array];
  /** Weights before the steps (to show the steps moved them). */
  initial: Float32Array;
}

let ready: Promise<void> | undefined;
/** Selects tfjs' cpu backend once (float32, plain JS kernels). */
export function tfReady(): Promise<void> {
  ready ??= tf.setBackend('cpu').then((ok) => {
    if (!ok) throw new Error('tfjs cpu backend unavailable');
  });
  return ready;
}

/** A random spec: 1–6 inputs, 1–3 hidden layers of random activations, an output valid for the loss. */
export function randomSpec(seed: number, loss: LossName, optimizer: OptimizerSpec, steps = 5): OracleSpec {
  const rng = new Rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)] as T;
  const layer = (units: number, activation: ActivationName): OracleLayer => {
    // A 1-unit softmax is the constant 1: no gradient would flow through it.
    const l: OracleLayer = { units: activation === 'softmax' ? Math.max(2, units) : units, activation };
    // Explicit alphas: tfjs' leakyReLU layer defaults to 0.3, ours to 0.01.
    if (activation === 'leakyRelu') l.alpha = Math.round(rng.uniform(0.01, 0.3) * 100) / 100;
    // tfjs' ELU layer only implements alpha = 1 (other values are covered by the float64 gradient checks).
    if (activation === 'elu') l.alpha = 1;
    return l;
  };
  const hidden = 1 + rng.int(3);
  const layers: OracleLayer[] = [];
  for (let i = 0; i < hidden; i++) layers.push(layer(1 + rng.int(6), pick(TFJS_ACTIVATIONS)));
  const outputs = 1 + rng.int(4);
  const out: ActivationName =
    loss === 'categoricalCrossEntropy'
      ? 'softmax'
      : loss === 'binaryCrossEntropy'
        ? 'sigmoid'
        : pick(['linear', 'tanh', 'sigmoid', 'softmax'] as const);
  layers.push(layer(outputs, out));
  return { inputs: 1 + rng.int(6), layers, loss, optimizer, rows: 2 + rng.int(7), seed, steps };
}

function data(spec: OracleSpec): { x: number[][]; y: number[][] } {
  const rng = new Rng(spec.seed * 31 + 7);
  const x = spec.x ?? randomRows(rng, spec.rows, spec.inputs, -2, 2);
  const n = (spec.layers[spec.layers.length - 1] as OracleLayer).units;
  const y =
    spec.loss === 'categoricalCrossEntropy'
      ? spec.seed % 2 === 0
        ? oneHotRows(rng, spec.rows, n)
        : probabilityRows(rng, spec.rows, n)
      : spec.loss === 'binaryCrossEntropy'
        ? randomRows(rng, spec.rows, n, 0, 1).map((r) => r.map((v) => (spec.seed % 2 === 0 ? Math.round(v) : v)))
        : randomRows(rng, spec.rows, n, -1.5, 1.5);
  return { x, y };
}

/** tfjs layers equivalent to one neurite Dense layer: a Dense, plus a separate layer where the alpha matters. */
function tfLayers(l: OracleLayer, inputShape: number | undefined): tf.layers.Layer[] {
  const withAlpha = l.activation === 'leakyRelu' || l.activation === 'elu';
  const activation = withAlpha ? 'linear' : l.activation === 'gelu' ? 'gelu_new' : l.activation;
  const dense = tf.layers.dense({
    units: l.units,
    activation: activation as 'linear',
    useBias: true,
    ...(inputShape !== undefined ? { inputShape: [inputShape] } : {}),
  });
  if (!withAlpha) return [dense];
  const alpha = l.alpha as number;
  return [dense, l.activation === 'elu' ? tf.layers.elu({ alpha }) : tf.layers.leakyReLU({ alpha })];
}

/** neurite's loss written in tf ops (tfjs' own huber and Keras-style cross-entropies where they exist). */
export function tfLoss(name: LossName, t: tf.Tensor, p: tf.Tensor): tf.Scalar {
  switch (name) {
    case 'mse':
      return tf.losses.meanSquaredError(t, p) as tf.Scalar;
    case 'ssr':
      return tf.sum(tf.square(tf.sub(p, t)));
    case 'mae':
      return tf.losses.absoluteDifference(t, p) as tf.Scalar;
    case 'huber':
      return tf.losses.huberLoss(t, p, undefined, 1) as tf.Scalar;
    case 'binaryCrossEntropy':
      return tf.mean(tf.metrics.binaryCrossentropy(t, p));
    case 'categoricalCrossEntropy':
      return tf.mean(tf.metrics.categoricalCrossentropy(t, p));
  }
}

/** The tfjs optimizer with the same hyper-parameters (adamw: tfjs Adam plus the decoupled decay done by hand). */
function tfOptimizer(o: OptimizerSpec): tf.Optimizer {
  const lr = o.learningRate as number;
  switch (o.type) {
    case 'sgd':
      return (o.momentum ?? 0) > 0
        ? tf.train.momentum(lr, o.momentum as number, o.nesterov === true)
        : tf.train.sgd(lr);
    case 'adam':
    case 'adamw':
      return tf.train.adam(lr, o.beta1, o.beta2, o.epsilon);
    case 'rmsprop':
      return tf.train.rmsprop(lr, o.rho, o.momentum ?? 0, o.epsilon);
    case 'adagrad':
      return tf.train.adagrad(lr, o.initialAccumulatorValue ?? 0.1);
  }
}

/** Our flat parameter layout (per layer: W [units][inputs] row-major, then b) from tfjs' kernels [inputs][units]. */
function flatten(kernels: { kernel: Float32Array; bias: Float32Array; inputs: number; units: number }[]): Float32Array {
  const out: number[] = [];
  for (const { kernel, bias, inputs, units } of kernels) {
    for (let j = 0; j < units; j++) for (let i = 0; i < inputs; i++) out.push(kernel[i * units + j] as number);
    out.push(...bias);
  }
  return Float32Array.from(out);
}

/**
 * Builds `spec` in neurite (on the suite's backend) and as an equivalent `tf.sequential` with the
 * same weights, then returns both sides of: forward outputs, loss, per-parameter gradients, the
 * loss before each of `steps` full-batch optimizer steps, and the weights after them.
 */
export async function compareWithTfjs(spec: OracleSpec, tfSpec: OptimizerSpec = spec.optimizer): Promise<OracleResult> {
  await tfReady();
  const layers: LayerSpec[] = spec.layers.map((l) => {
    const s: LayerSpec = { units: l.units, activation: l.activation };
    if (l.alpha !== undefined) s.alpha = l.alpha;
    return s;
  });
  const net = new NeuralNetwork({
    layers: [spec.inputs, ...layers],
    loss: spec.loss,
    seed: spec.seed,
    backend: spec.backend !== undefined ? getBackend(spec.backend) : testBackend(),
  });
  // Non-zero biases, so bias handling is compared too.
  const rng = new Rng(spec.seed + 1);
  for (const l of net.layers) for (let j = 0; j < l.units; j++) l.biases[j] = Math.fround(rng.uniform(-0.3, 0.3));
  const { x, y } = data(spec);

  const model = tf.sequential();
  spec.layers.forEach((l, i) => {
    for (const layer of tfLayers(l, i === 0 ? spec.inputs : undefined)) model.add(layer);
  });
  const denses = model.layers.filter((l) => l.getClassName() === 'Dense');
  denses.forEach((d, li) => {
    const ours = net.layers[li]!;
    const kernel = new Float32Array(ours.inputs * ours.units);
    for (let j = 0; j < ours.units; j++)
      for (let i = 0; i < ours.inputs; i++) kernel[i * ours.units + j] = ours.weights[j * ours.inputs + i] as number;
    d.setWeights([tf.tensor2d(kernel, [ours.inputs, ours.units]), tf.tensor1d(Float32Array.from(ours.biases))]);
  });
  const vars = denses.flatMap((d) => d.trainableWeights.map((w) => w.read() as unknown as tf.Variable));
  const shapes = net.layers.map((l) => ({ inputs: l.inputs, units: l.units }));
  const readTf = (tensors: tf.Tensor[]): Float32Array =>
    flatten(
      shapes.map((s, li) => ({
        ...s,
        kernel: tensors[2 * li]!.dataSync() as Float32Array,
        bias: tensors[2 * li + 1]!.dataSync() as Float32Array,
      })),
    );

  const xt = tf.tensor2d(x);
  const yt = tf.tensor2d(y);
  try {
    // Forward and loss.
    const ourOut = net.predictBatch(x).data;
    const tfOut = tf.tidy(() => model.predict(xt) as tf.Tensor).dataSync() as Float32Array;
    const ourLoss = net.evaluate(x, y).loss;
    const tfLossValue = tf.tidy(() => tfLoss(spec.loss, yt, model.apply(xt) as tf.Tensor)).dataSync()[0] as number;

    // Gradients of the loss with respect to every parameter.
    const e = net.engine;
    e.reserve(spec.rows);
    e.input.set(x.flat());
    e.target.set(y.flat());
    e.forward(spec.rows, true);
    e.loss(spec.rows, net.loss);
    e.backward(spec.rows, net.loss);
    const ourGrads = Float32Array.from(e.grads);
    const { grads } = tf.variableGrads(() => tfLoss(spec.loss, yt, model.apply(xt) as tf.Tensor), vars);
    const tfGrads = readTf(vars.map((v) => grads[v.name] as tf.Tensor));
    tf.dispose(Object.values(grads));

    const initial = net.getWeights();
    // `steps` full-batch steps: fit with batchSize = rows and no shuffling vs optimizer.minimize.
    const history = await net.fit(x, y, {
      epochs: spec.steps,
      batchSize: spec.rows,
      shuffle: false,
      optimizer: spec.optimizer,
    });
    const opt = tfOptimizer(tfSpec);
    const tfHistory: number[] = [];
    const lr = spec.optimizer.learningRate as number;
    const l2 = spec.optimizer.type === 'adamw' ? 0 : (spec.optimizer.weightDecay ?? 0);
    const decoupled = spec.optimizer.type === 'adamw' ? (spec.optimizer.weightDecay ?? 0.004) : 0;
    for (let s = 0; s < spec.steps; s++) {
      const { value, grads: g } = opt.computeGradients(() => {
        const base = tfLoss(spec.loss, yt, model.apply(xt) as tf.Tensor);
        // L2 weight decay as neurite applies it: g += wd·p, i.e. the loss plus wd/2·Σp².
        return l2 > 0 ? tf.add(base, tf.mul(l2 / 2, tf.addN(vars.map((v) => tf.sum(tf.square(v)))))) : base;
      }, vars);
      // neurite reports the data loss only (the penalty is applied to the gradient).
      tfHistory.push(tf.tidy(() => tfLoss(spec.loss, yt, model.apply(xt) as tf.Tensor)).dataSync()[0] as number);
      value.dispose();
      // AdamW: p ← (1 − lr·wd)·p, then the Adam update computed from the gradient at the old p.
      if (decoupled > 0) for (const v of vars) v.assign(tf.tidy(() => tf.mul(v, 1 - lr * decoupled)));
      opt.applyGradients(g);
      tf.dispose(Object.values(g));
    }
    opt.dispose();
    const tfWeights = readTf(vars);
    // neurite reports every loss per row (ssr: the sum of squared residuals over the rows); the
    // tfjs ssr here is the batch's plain sum, which is also what both sides step on.
    const perRow = (v: number): number => (spec.loss === 'ssr' ? v / spec.rows : v);
    return {
      outputs: [ourOut, tfOut],
      loss: [ourLoss, perRow(tfLossValue)],
      gradients: [ourGrads, tfGrads],
      history: [history.loss, tfHistory.map(perRow)],
      weights: [net.getWeights(), tfWeights],
      initial,
    };
  } finally {
    xt.dispose();
    yt.dispose();
    model.dispose();
  }
}

/** Describes the first element outside |a − b| <= atol + rtol·max(|a|, |b|), or undefined. */
export function mismatch(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol: number): string | undefined {
  const m = firstMismatch(a, b, rtol, atol);
  return m && `index ${String(m.index)}: neurite ${String(m.a)} vs tfjs ${String(m.b)}`;
}
