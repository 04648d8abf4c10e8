import { NeuriteError, assertInt, assertNumber } from '../core/errors.js';
import type { ActivationName } from '../nn/activations.js';

/** What {@link planTraining} looks at: the size and kind of the table, after encoding. */
export interface TableShape {
  /** Training rows (all of them: the plan sets aside its own validation rows). */
  readonly rows: number;
  /** Encoded input columns (one-hot columns counted). */
  readonly inputs: number;
  /** Output columns: classes (1 for two classes), or regression targets. */
  readonly outputs: number;
  readonly task: 'classification' | 'regression';
}

/** Settings a caller may fix; everything left out is chosen from the {@link TableShape}. */
export interface PlanOverrides {
  /** Hidden layer widths. */
  readonly hidden?: readonly number[];
  readonly activation?: ActivationName;
  /** Adam's step size. */
  readonly learningRate?: number;
  /** L2 penalty added to every gradient (weights and biases). */
  readonly weightDecay?: number;
  readonly batchSize?: number;
  /** Dropout on the hidden layers. */
  readonly dropout?: number;
  /** Most epochs of the validated run (early stopping usually ends it sooner). */
  readonly maxEpochs?: number;
  /** Epochs without a better validation loss before stopping. */
  readonly patience?: number;
  /** Share of the rows held out to choose when to stop (0 = no validation: train maxEpochs). */
  readonly validationFraction?: number;
  /**
   * Choose the epoch count from this many validation parts (each row held out once; their curves
   * averaged) instead of one held-out share; 1 = one share of `validationFraction`.
   */
  readonly validationFolds?: number;
  /**
   * After early stopping, train a fresh network on every row for the chosen number of epochs
   * (`true`), or keep the early-stopped network, which never saw the validation rows (`false`).
   */
  readonly refit?: boolean;
}

/** Every key of {@link PlanOverrides}, for the unknown-key checks of the functions that take them. */
export const PLAN_OVERRIDE_KEYS = [
  'hidden',
  'activation',
  'learningRate',
  'weightDecay',
  'batchSize',
  'dropout',
  'maxEpochs',
  'patience',
  'validationFraction',
  'validationFolds',
  'refit',
] as const satisfies readonly (keyof PlanOverrides)[];

/** Every setting of a run, as chosen, and why. */
export interface TrainingPlan {
  readonly hidden: readonly number[];
  readonly activation: ActivationName;
  readonly optimizer: 'adam';
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly batchSize: number;
  readonly dropout: number;
  readonly maxEpochs: number;
  readonly patience: number;
  readonly validationFraction: number;
  readonly validationFolds: number;
  readonly refit: boolean;
  /** One sentence: what was chosen from the table and why. */
  readonly reason: string;
}

/** Never fewer validation rows than this when validating: fewer make the stopping epoch a coin toss. */
const MIN_VALIDATION_ROWS = 30;

/**
 * Chooses network and training settings for a table from its shape: a ReLU network whose width
 * follows the inputs, Adam with L2 weight decay, early stopping on a held-out share of the rows,
 * then a refit on every row. The numbers were measured on real tables (bench/tables.ts,
 * docs/real-tables.md); `overrides` fix any of them.
 *
 * @example
 * ```ts
 * const plan = planTraining({ rows: 1347, inputs: 64, outputs: 10, task: 'classification' });
 * plan.hidden; // e.g. [128]
 * plan.reason; // 'classification, 1347 rows × 64 inputs: …'
 * ```
 */
export function planTraining(shape: TableShape, overrides: PlanOverrides = {}): TrainingPlan {
  checkShape(shape);
  const { rows, inputs } = shape;
  const width = Math.min(256, Math.max(64, 2 ** Math.ceil(Math.log2(2 * inputs))));
  const hidden = overrides.hidden ?? [width];
  const tooFew = rows < 2 * MIN_VALIDATION_ROWS;
  // A fraction the caller gives means one held-out share; else small tables average several parts.
  const validationFolds =
    overrides.validationFolds ?? (overrides.validationFraction !== undefined || tooFew ? 1 : DEFAULT_FOLDS(rows));
  const validationFraction =
    validationFolds > 1
      ? 1 / validationFolds
      : (overrides.validationFraction ?? (tooFew ? 0 : Math.min(0.25, Math.max(0.1, MIN_VALIDATION_ROWS / rows))));
  const batchSize = overrides.batchSize ?? Math.min(200, Math.max(16, 2 ** Math.round(Math.log2(rows / 20))));
  const plan: Omit<TrainingPlan, 'reason'> = {
    hidden,
    activation: overrides.activation ?? 'relu',
    optimizer: 'adam',
    learningRate: overrides.learningRate ?? 1e-3,
    weightDecay: overrides.weightDecay ?? 1e-4,
    batchSize,
    dropout: overrides.dropout ?? 0,
    maxEpochs: overrides.maxEpochs ?? 500,
    patience: overrides.patience ?? 20,
    validationFraction,
    validationFolds,
    refit: overrides.refit ?? true,
  };
  checkPlan(plan);
  const held =
    plan.validationFolds > 1
      ? `${String(plan.validationFolds)} validation folds`
      : `${pctOf(plan.validationFraction)} held-out rows`;
  const stop =
    plan.validationFraction > 0
      ? `epochs chosen on ${held} (patience ${String(plan.patience)}, best weights)${plan.refit ? ', then refit on all rows' : ''}`
      : `no validation rows (too few rows), ${String(plan.maxEpochs)} epochs`;
  const reason = `${shape.task}, ${String(rows)} rows × ${String(inputs)} inputs: ${[inputs, ...plan.hidden, shape.outputs].join('-')} ${plan.activation}, adam lr ${String(plan.learningRate)}, weight decay ${String(plan.weightDecay)}, batch ${String(plan.batchSize)}; ${stop}`;
  return { ...plan, reason };
}

/** Validation parts by table size: averaging over folds steadies the epoch count where rows are few. */
const DEFAULT_FOLDS = (rows: number): number => (rows <= 1000 ? 5 : rows <= 3000 ? 3 : 1);

const pctOf = (f: number): string => `${String(Math.round(f * 100))}%`;

function checkShape(s: TableShape): void {
  if (typeof s !== 'object' || s === null) throw new NeuriteError('INVALID_OPTION', 'planTraining needs a table shape');
  assertInt(s.rows, 'rows', 1);
  assertInt(s.inputs, 'inputs', 1);
  assertInt(s.outputs, 'outputs', 1);
  if (s.task !== 'classification' && s.task !== 'regression') {
    throw new NeuriteError(
      'INVALID_OPTION',
      `task must be 'classification' or 'regression', got ${JSON.stringify(s.task)}`,
    );
  }
}

function checkPlan(p: Omit<TrainingPlan, 'reason'>): void {
  p.hidden.forEach((u, i) => assertInt(u, `hidden[${String(i)}]`, 1));
  assertNumber(p.learningRate, 'learningRate', 0, Infinity, true);
  assertNumber(p.weightDecay, 'weightDecay', 0);
  assertInt(p.batchSize, 'batchSize', 1);
  assertNumber(p.dropout, 'dropout', 0, 0.95);
  assertInt(p.maxEpochs, 'maxEpochs', 1);
  assertInt(p.patience, 'patience', 0);
  assertNumber(p.validationFraction, 'validationFraction', 0, 0.9);
  assertInt(p.validationFolds, 'validationFolds', 1);
}
