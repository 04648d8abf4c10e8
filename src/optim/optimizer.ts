import { NeuriteError, assertNumber, describe } from '../core/errors.js';
import { checkOptions, closest } from '../core/options.js';
import type { FloatArray } from '../core/matrix.js';
import type { Backend } from '../backend/types.js';
import { adagrad } from './adagrad.js';
import { adam, adamw } from './adam.js';
import { chain } from './chain.js';
import { rmsprop } from './rmsprop.js';
import type { Rule } from './rule.js';
import { createSchedule, type Schedule, type ScheduleSpec } from './schedules.js';
import { sgd } from './sgd.js';
import { optimizerStateProblem, type OptimizerState } from './state.js';
import { clipNorm, clipValue, weightDecay } from './transforms.js';

/** Names of the built-in optimizers. */
export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';

/**
 * An optimizer as a name or an object: the rule's hyper-parameters plus the transforms applied to
 * the gradient first (clipping by value, clipping by global norm, L2 weight decay) and an optional
 * learning-rate schedule.
 */
export interface OptimizerSpec {
  type: OptimizerName;
  learningRate?: number;
  momentum?: number;
  nesterov?: boolean;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  rho?: number;
  initialAccumulatorValue?: number;
  /** L2 penalty added to the gradient (decoupled decay for `adamw`). */
  weightDecay?: number;
  /** Clip each gradient component to [−clipValue, clipValue]. */
  clipValue?: number;
  /** Rescale the whole gradient vector when its L2 norm exceeds clipNorm. */
  clipNorm?: number;
  schedule?: ScheduleSpec;
}

/** How a spec's `type` becomes an update rule: the spec keys the rule reads, and the rule's factory. */
interface RuleEntry {
  readonly keys: readonly (keyof OptimizerSpec)[];
  readonly make: (s: OptimizerSpec) => Rule;
}

function entry<K extends keyof OptimizerSpec>(
  keys: K[],
  make: (o: { [P in K]?: NonNullable<OptimizerSpec[P]> }) => Rule,
): RuleEntry {
  return { keys, make: (s) => make(pick(s, keys)) };
}

/** The update rules by name: a new rule is one file in src/optim plus one row here. */
const RULES: Record<OptimizerName, RuleEntry> = {
  sgd: entry(['learningRate', 'momentum', 'nesterov'], sgd),
  adam: entry(['learningRate', 'beta1', 'beta2', 'epsilon'], adam),
  adamw: entry(['learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay'], adamw),
  rmsprop: entry(['learningRate', 'rho', 'momentum', 'epsilon'], rmsprop),
  adagrad: entry(['learningRate', 'initialAccumulatorValue', 'epsilon'], adagrad),
};

/** Every built-in optimizer name. */
export const OPTIMIZER_NAMES = Object.keys(RULES) as readonly OptimizerName[];

/**
 * The learning rate an optimizer named without one uses: its rule's default (sgd 0.01, adam,
 * adamw and rmsprop 0.001, adagrad 0.01), the same wherever the optimizer is named.
 */
export function defaultLearningRate(type: OptimizerName): number {
  return RULES[type].make({ type }).learningRate ?? 0;
}

/**
 * The rule a spec describes: its gradient transforms (L2 weight decay unless the update rule
 * reads `weightDecay` itself, as AdamW does; clipping by value; clipping by global norm), then
 * its update rule, as one {@link chain}.
 */
export function ruleFor(s: OptimizerSpec): Rule {
  const entry = RULES[s.type];
  const rules: Rule[] = [];
  if (s.weightDecay !== undefined && s.weightDecay > 0 && !entry.keys.includes('weightDecay'))
    rules.push(weightDecay(s.weightDecay));
  if (s.clipValue !== undefined) rules.push(clipValue(s.clipValue));
  if (s.clipNorm !== undefined) rules.push(clipNorm(s.clipNorm));
  const update = entry.make(s);
  return rules.length === 0 ? update : chain(...rules, update);
}

function pick<K extends keyof OptimizerSpec>(
  s: OptimizerSpec,
  keys: K[],
): { [P in K]?: NonNullable<OptimizerSpec[P]> } {
  const out: Partial<Record<K, unknown>> = {};
  for (const k of keys) if (s[k] !== undefined) out[k] = s[k];
  return out as { [P in K]?: NonNullable<OptimizerSpec[P]> };
}

/** The spec keys every optimizer takes besides its rule's own: the transforms and the schedule. */
const COMMON_KEYS = ['type', 'learningRate', 'weightDecay', 'clipValue', 'clipNorm', 'schedule'] as const;

/** Names other libraries use for these options, too far from ours for the edit distance to find. */
const HINTS: Readonly<Record<string, string>> = {
  lr: 'learningRate',
  eta: 'learningRate',
  learning_rate: 'learningRate',
  beta_1: 'beta1',
  beta_2: 'beta2',
  eps: 'epsilon',
  decay: 'weightDecay',
  weight_decay: 'weightDecay',
  l2: 'weightDecay',
  clipnorm: 'clipNorm',
  clipvalue: 'clipValue',
  initial_accumulator_value: 'initialAccumulatorValue',
};

/**
 * Normalises a name or object into a validated {@link OptimizerSpec}. Each rule takes the keys of
 * its own table row plus the common ones; any other key is refused with `INVALID_OPTION` naming it
 * and the closest valid key (`lr` → `learningRate`), and every value is checked, shown as given.
 */
export function parseOptimizer(spec: OptimizerName | OptimizerSpec, defaultLearningRate?: number): OptimizerSpec {
  const given: unknown = spec;
  const type: unknown = typeof given === 'string' ? given : (given as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !(OPTIMIZER_NAMES as readonly string[]).includes(type)) {
    const near = typeof type === 'string' ? closest(type, OPTIMIZER_NAMES) : undefined;
    throw new NeuriteError(
      'INVALID_OPTION',
      `unknown optimizer ${describe(type)}${near === undefined ? '' : `; did you mean '${near}'?`} Expected one of: ${OPTIMIZER_NAMES.join(', ')}`,
    );
  }
  const entry = RULES[type as OptimizerName];
  if (typeof given !== 'string') {
    checkOptions(given, [...new Set([...COMMON_KEYS, ...entry.keys])], `the ${type} optimizer`, HINTS);
  }
  const s: OptimizerSpec =
    typeof given === 'string' ? { type: type as OptimizerName } : { ...(given as OptimizerSpec) };
  if (s.learningRate === undefined && defaultLearningRate !== undefined) s.learningRate = defaultLearningRate;
  if (s.learningRate !== undefined) assertNumber(s.learningRate, 'learningRate', 0);
  if (s.weightDecay !== undefined) assertNumber(s.weightDecay, 'weightDecay', 0);
  if (s.clipValue !== undefined) assertNumber(s.clipValue, 'clipValue', 0, Infinity, true);
  if (s.clipNorm !== undefined) assertNumber(s.clipNorm, 'clipNorm', 0, Infinity, true);
  // The rule checks its own hyper-parameters, and the schedule its spec, as they are made.
  entry.make(s);
  if (s.schedule !== undefined) createSchedule(s.schedule);
  return s;
}

/**
 * A stateful optimizer over one flat parameter vector: gradient transforms, then the rule, in a
 * handful of backend calls per step.
 */
export class Optimizer {
  readonly spec: OptimizerSpec;
  readonly rule: Rule;
  private readonly schedule: Schedule | undefined;
  private state: FloatArray[] = [];
  /** `[params, grads, ...state]` as the rule receives it; rebuilt only when an array changes. */
  private io: FloatArray[] = [];
  /** Steps taken so far. */
  t = 0;
  /** Epochs completed ({@link endEpoch} calls): where the schedule is, which `fit` continues from. */
  epochs = 0;
  /** The learning rate currently in force (after the schedule). */
  learningRate: number;

  /** @param defaultLearningRate used when `spec` names no learning rate (else the rule's default). */
  constructor(spec: OptimizerName | OptimizerSpec, defaultLearningRate?: number) {
    this.spec = parseOptimizer(spec, defaultLearningRate);
    this.rule = ruleFor(this.spec);
    this.schedule = this.spec.schedule ? createSchedule(this.spec.schedule) : undefined;
    this.learningRate = this.rule.learningRate ?? 0;
  }

  /** Sets the learning rate for `epoch` from the schedule (no-op without one). */
  startEpoch(epoch: number): void {
    if (this.schedule) this.learningRate = this.schedule.rate(epoch, this.rule.learningRate ?? 0);
  }

  /** Tells the schedule the monitored loss at the end of an epoch, and counts the epoch. */
  endEpoch(loss: number): void {
    this.schedule?.observe(loss);
    this.epochs++;
  }

  /**
   * One update of `params` (n values) from `grads`; `grads` is modified by the transforms.
   * `meanwhile` is other work for the calling thread while the update runs (see `Rule.apply`).
   */
  step(b: Backend, n: number, params: FloatArray, grads: FloatArray, meanwhile?: () => void): void {
    if (this.state.length !== this.rule.slots || (this.state[0] !== undefined && this.state[0].length < n)) {
      this.state = Array.from({ length: this.rule.slots }, () => b.alloc(n));
      this.t = 0;
    }
    if (this.io[0] !== params || this.io[1] !== grads || this.io[2] !== this.state[0])
      this.io = [params, grads, ...this.state];
    this.t++;
    this.rule.apply(b, n, this.io, this.learningRate, this.t, meanwhile);
  }

  /**
   * A copy of the training state: step and epoch counts, the learning rate in force, the rule's
   * state arrays and the schedule's state. `setState` on a fresh optimizer with the same spec then
   * continues bit for bit.
   */
  getState(): OptimizerState {
    const state: OptimizerState = {
      steps: this.t,
      epochs: this.epochs,
      learningRate: this.learningRate,
      slots: this.state.map((a) => Float32Array.from(a)),
    };
    const schedule = this.schedule?.getState?.();
    if (schedule !== undefined) state.schedule = schedule;
    return state;
  }

  /**
   * Replaces the training state with a copy of `state` (as {@link getState} returns it), its arrays
   * allocated on backend `b` for `n` parameters. The whole state is checked first and nothing
   * changes when it does not fit: wrong array count or length → `SHAPE_MISMATCH`, NaN or Infinity →
   * `NON_FINITE`, anything else → `INVALID_OPTION`.
   */
  setState(b: Backend, n: number, state: OptimizerState): void {
    const problem = optimizerStateProblem(state, this.rule, this.spec.schedule, n);
    if (problem !== undefined) throw new NeuriteError(problem.code, `optimizer state: ${problem.message}`);
    this.state = state.slots.map((a) => {
      const copy = b.alloc(n);
      copy.set(a);
      return copy;
    });
    this.t = state.steps;
    this.epochs = state.epochs;
    this.learningRate = state.learningRate;
    if (state.schedule !== undefined) this.schedule?.setState?.(state.schedule);
  }

  /** Forgets the moments and the step count (e.g. after weights are replaced). */
  reset(): void {
    this.state = [];
    this.t = 0;
  }
}
