import { NeuriteError } from '../core/errors.js';
import { matrix, toMatrix, type Matrix, type MatrixLike } from '../core/matrix.js';
import { checkOptions } from '../core/options.js';
import { Rng } from '../core/rng.js';
import type { BackendChoice } from '../backend/registry.js';
import type { EpochLogs, History } from './fit.js';
import { PLAN_OVERRIDE_KEYS, planTraining, type PlanOverrides, type TrainingPlan } from './auto-plan.js';
import { accuracyScore } from '../metrics/accuracy.js';
import { r2Score } from '../metrics/regression.js';
import { baselinePredictions, foldRows, holdoutRows, pickRows } from './holdout.js';
import { NeuralNetwork } from './network.js';
import { checkSampleWeight, classWeights, type ClassWeight } from './sample-weight.js';
import { columnScale, foldTargetScale, standardized } from './target-scale.js';

/** Options of {@link autoFit}: the task, a seed, and any settings to fix instead of choosing them. */
export interface AutoFitOptions extends PlanOverrides {
  readonly task: 'classification' | 'regression';
  /** Seed of the validation split, the initial weights and the shuffling (default: drawn at random). */
  readonly seed?: number;
  readonly backend?: BackendChoice;
  /** Aborting stops after the current batch; the network keeps the best weights seen so far. */
  readonly signal?: AbortSignal;
  /** Called when each phase starts: the validated run, then the refit on all rows. */
  readonly onPhase?: (phase: AutoFitPhase) => void;
  readonly onEpochEnd?: (epoch: number, logs: EpochLogs) => void | Promise<void>;
  readonly onBatchEnd?: (batch: number, logs: { loss: number; epoch: number; batches: number }) => void;
  /**
   * Classification: weights by class, as `fit`'s (`'balanced'`: `n_samples / (n_classes * count)`,
   * counted on each run's own training rows), so rare classes count as much as common ones.
   */
  readonly classWeight?: ClassWeight;
  /** One weight (finite, >= 0) per row, multiplying the class weight; the validation rows' weights are unused. */
  readonly sampleWeight?: ArrayLike<number>;
}

const AUTO_FIT_KEYS = [
  ...PLAN_OVERRIDE_KEYS,
  'task',
  'seed',
  'backend',
  'signal',
  'onPhase',
  'onEpochEnd',
  'onBatchEnd',
  'classWeight',
  'sampleWeight',
] as const satisfies readonly (keyof AutoFitOptions)[];

/** One training run inside {@link autoFit}. */
export interface AutoFitPhase {
  readonly name: 'validate' | 'refit';
  /** Which validation part (0-based) of how many; the refit is part 0 of 1. */
  readonly part: number;
  readonly parts: number;
  /** The settings of the whole fit, as chosen. */
  readonly plan: TrainingPlan;
  /** At most this many epochs (early stopping may end the validated run sooner). */
  readonly epochs: number;
  readonly batches: number;
  readonly rows: number;
  readonly validationRows: number;
}

/** The validation rows' score next to the baseline's (majority class, or the training mean). */
export interface ValidationScore {
  readonly rows: number;
  readonly metric: 'accuracy' | 'r2';
  readonly score: number;
  readonly baseline: number;
}

/** What {@link autoFit} returns. */
export interface AutoFitResult {
  /** The trained network; a regression network predicts in the targets' own units. */
  readonly network: NeuralNetwork;
  readonly plan: TrainingPlan;
  readonly seed: number;
  /** The validated run (loss and validation loss per epoch). */
  readonly history: History;
  /** The refit on every row, when the plan refits. */
  readonly refitHistory?: History;
  /** Epochs the returned network was trained for (the validated run's best epoch count when refitting). */
  readonly epochs: number;
  /** The early-stopped network's score on the validation rows, and the baseline's; absent without validation. */
  readonly validation?: ValidationScore;
  readonly stopReason: History['stopReason'];
}

/**
 * Trains a network on an encoded table (`x`: scaled inputs, `y`: one-hot classes, one 0/1 column,
 * or regression targets in any units) with settings chosen from its size by {@link planTraining}:
 * early stopping on held-out rows with the best weights restored, then a refit on every row for that
 * many epochs. Regression targets are standardised for training and the scale folded back into the
 * output layer, so the network predicts in the targets' units.
 *
 * @example
 * ```ts
 * const r = await autoFit(x, y, { task: 'classification', seed: 1 });
 * r.plan.reason; // what was chosen and why
 * r.validation; // { metric: 'accuracy', score: 0.97, baseline: 0.4, rows: 30 }
 * r.network.predict(x[0]);
 * ```
 */
export async function autoFit(
  inputs: MatrixLike,
  targets: MatrixLike,
  options: AutoFitOptions,
): Promise<AutoFitResult> {
  checkOptions(options, AUTO_FIT_KEYS, 'autoFit options');
  const x = toMatrix(inputs, undefined, 'inputs');
  const y = toMatrix(targets, undefined, 'targets');
  if (x.rows !== y.rows)
    throw new NeuriteError('SHAPE_MISMATCH', `inputs has ${String(x.rows)} rows but targets has ${String(y.rows)}`);
  if (x.rows === 0) throw new NeuriteError('EMPTY_DATA', 'autoFit needs at least one row');
  const task = options.task;
  const weights = checkSampleWeight(options.sampleWeight, x.rows);
  if (options.classWeight !== undefined) {
    if (task !== 'classification')
      throw new NeuriteError('INVALID_OPTION', `classWeight needs task 'classification', got ${JSON.stringify(task)}`);
    classWeights(options.classWeight, y); // refused here, before any training, when malformed
  }
  const plan = planTraining({ rows: x.rows, inputs: x.cols, outputs: y.cols, task }, options);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  const scale = task === 'regression' ? columnScale(y) : undefined;
  const yt = scale === undefined ? y : standardized(y, scale);
  const rng = new Rng(seed);
  let history: History;
  let validation: ValidationScore | undefined;
  let network: NeuralNetwork;
  let epochs: number;
  let refitHistory: History | undefined;
  if (plan.validationFraction > 0) {
    const stratify = task === 'classification';
    const parts =
      plan.validationFolds > 1
        ? foldRows(y, plan.validationFolds, stratify, rng)
        : [holdoutRows(y, plan.validationFraction, stratify, rng)];
    // Out-of-part predictions of each validated network (and of the baseline) on its own held rows.
    const predicted = matrix(y.rows, y.cols);
    const baseline = matrix(y.rows, y.cols);
    const histories: History[] = [];
    let first: NeuralNetwork | undefined;
    for (const [i, { fit, held }] of parts.entries()) {
      const xv = pickRows(x, held);
      const yv = pickRows(yt, held);
      const yf = pickRows(yt, fit);
      const net = buildPlannedNetwork(plan, x.cols, y.cols, task, seed, options.backend);
      first ??= net;
      const phase = { name: 'validate', part: i, parts: parts.length } as const;
      const w = weights === undefined ? undefined : Float32Array.from(fit, (r) => weights[r] as number);
      histories.push(await train(net, plan, pickRows(x, fit), yf, w, plan.maxEpochs, options, phase, [xv, yv]));
      putRows(predicted, held, net.predictBatch(xv));
      putRows(baseline, held, baselinePredictions(yf, yv, task));
      if (aborted(options, histories)) break;
    }
    history = meanHistory(histories);
    epochs = history.bestEpoch + 1;
    const held = Int32Array.from(parts.slice(0, histories.length).flatMap((p) => [...p.held]));
    const [p, b, t] = [predicted, baseline, yt].map((m) => pickRows(m, held)) as [Matrix, Matrix, Matrix];
    validation =
      task === 'classification'
        ? { rows: held.length, metric: 'accuracy', score: accuracyScore(t, p), baseline: accuracyScore(t, b) }
        : { rows: held.length, metric: 'r2', score: r2(t, p), baseline: r2(t, b) };
    network = first as NeuralNetwork;
    if (plan.refit && !aborted(options, histories)) {
      network = buildPlannedNetwork(plan, x.cols, y.cols, task, seed, options.backend);
      refitHistory = await train(network, plan, x, yt, weights, epochs, options, { name: 'refit', part: 0, parts: 1 });
    }
  } else {
    network = buildPlannedNetwork(plan, x.cols, y.cols, task, seed, options.backend);
    history = await train(network, plan, x, yt, weights, plan.maxEpochs, options, { name: 'refit', part: 0, parts: 1 });
    epochs = history.epochs;
  }
  if (scale !== undefined) foldTargetScale(network, scale);
  return {
    network,
    plan,
    seed,
    history,
    ...(refitHistory === undefined ? {} : { refitHistory }),
    epochs,
    ...(validation === undefined ? {} : { validation }),
    stopReason: refitHistory?.stopReason ?? history.stopReason,
  };
}

const aborted = (o: AutoFitOptions, hs: readonly History[]): boolean =>
  o.signal?.aborted === true || hs.some((h) => h.stopReason === 'aborted');

function putRows(into: Matrix, rows: Int32Array, from: Matrix): void {
  rows.forEach((r, i) => into.data.set(from.data.subarray(i * from.cols, (i + 1) * from.cols), r * into.cols));
}

/**
 * The validated runs' curves averaged epoch by epoch (a run stopped early counts with its last
 * value), so the epoch count is chosen from all parts at once; one run is returned as it is.
 */
function meanHistory(hs: readonly History[]): History {
  if (hs.length === 1) return hs[0] as History;
  const epochs = Math.max(...hs.map((h) => h.epochs));
  const mean = (pick: (h: History) => readonly number[]): number[] =>
    Array.from({ length: epochs }, (_, e) => {
      let sum = 0;
      for (const h of hs) {
        const v = pick(h);
        sum += v[Math.min(e, v.length - 1)] as number;
      }
      return sum / hs.length;
    });
  const valLoss = mean((h) => h.valLoss ?? h.loss);
  return {
    loss: mean((h) => h.loss),
    valLoss,
    metrics: {},
    learningRate: (hs[0] as History).learningRate,
    epochs,
    stopReason: hs.every((h) => h.stopReason === 'earlyStopping') ? 'earlyStopping' : (hs.at(-1) as History).stopReason,
    bestEpoch: valLoss.indexOf(Math.min(...valLoss)),
  };
}

/** The network a training plan describes, with the output layer and loss of the task. */
export function buildPlannedNetwork(
  plan: TrainingPlan,
  inputs: number,
  outputs: number,
  task: 'classification' | 'regression',
  seed: number,
  backend: BackendChoice | undefined,
): NeuralNetwork {
  const out =
    task === 'regression'
      ? ({ outputActivation: 'linear', loss: 'mse' } as const)
      : outputs === 1
        ? ({ outputActivation: 'sigmoid', loss: 'binaryCrossEntropy' } as const)
        : ({ outputActivation: 'softmax', loss: 'categoricalCrossEntropy' } as const);
  return new NeuralNetwork({
    layers: [
      inputs,
      ...plan.hidden.map((units) => (plan.dropout > 0 ? { units, dropout: plan.dropout } : units)),
      outputs,
    ],
    activation: plan.activation,
    ...out,
    optimizer: { type: 'adam', learningRate: plan.learningRate, weightDecay: plan.weightDecay },
    seed,
    ...(backend === undefined ? {} : { backend }),
  });
}

/**
 * One run of `fit`. The weights of the best validation epoch are kept by hand: `fit`'s
 * `restoreBest` only acts when patience runs out, not when the last epoch is reached first.
 */
async function train(
  net: NeuralNetwork,
  plan: TrainingPlan,
  x: Matrix,
  y: Matrix,
  sampleWeight: ArrayLike<number> | undefined,
  epochs: number,
  o: AutoFitOptions,
  phase: Pick<AutoFitPhase, 'name' | 'part' | 'parts'>,
  validation?: readonly [Matrix, Matrix],
): Promise<History> {
  const batchSize = Math.min(plan.batchSize, x.rows);
  o.onPhase?.({
    ...phase,
    plan,
    epochs,
    batches: Math.ceil(x.rows / batchSize),
    rows: x.rows,
    validationRows: validation?.[0].rows ?? 0,
  });
  let best: Float32Array | undefined;
  let bestLoss = Infinity;
  const history = await net.fit(x, y, {
    epochs,
    batchSize,
    optimizer: net.optimizer.spec,
    ...(sampleWeight === undefined ? {} : { sampleWeight }),
    ...(o.classWeight === undefined ? {} : { classWeight: o.classWeight }),
    ...(validation === undefined
      ? {}
      : { validationData: validation, earlyStopping: { patience: plan.patience, restoreBest: true } }),
    ...(o.signal === undefined ? {} : { signal: o.signal }),
    onEpochEnd: (e, logs) => {
      if (logs.valLoss !== undefined && logs.valLoss < bestLoss) {
        bestLoss = logs.valLoss;
        best = net.getWeights();
      }
      return o.onEpochEnd?.(e, logs);
    },
    ...(o.onBatchEnd === undefined ? {} : { onBatchEnd: o.onBatchEnd }),
  });
  if (best !== undefined) net.setWeights(best);
  return history;
}

// scikit-learn's r2_score, which is undefined (NaN) for a single held-out row rather than an error.
const r2 = (t: Matrix, p: Matrix): number => (t.rows < 2 ? NaN : r2Score(t, p));
