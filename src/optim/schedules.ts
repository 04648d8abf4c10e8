import { NeuriteError, assertInt, assertNumber, describe } from '../core/errors.js';
import { checkOptions } from '../core/options.js';

/** Learning-rate schedules, evaluated once per epoch (Keras `LearningRateScheduler` semantics). */
export type ScheduleSpec =
  | { type: 'step'; stepSize: number; gamma?: number }
  | { type: 'exponential'; decayRate: number; decaySteps?: number }
  | { type: 'cosine'; epochs: number; minLearningRate?: number }
  | { type: 'reduceOnPlateau'; factor?: number; patience?: number; minDelta?: number; minLearningRate?: number };

/** Names of the schedules. */
export const SCHEDULE_NAMES = ['step', 'exponential', 'cosine', 'reduceOnPlateau'] as const;

/** The keys each schedule's spec may have. */
const SCHEDULE_KEYS: Readonly<Record<ScheduleSpec['type'], readonly string[]>> = {
  step: ['type', 'stepSize', 'gamma'],
  exponential: ['type', 'decayRate', 'decaySteps'],
  cosine: ['type', 'epochs', 'minLearningRate'],
  reduceOnPlateau: ['type', 'factor', 'patience', 'minDelta', 'minLearningRate'],
};

/**
 * What a schedule remembers besides the epoch, as JSON-safe numbers (`null` for "none yet"). Only
 * `reduceOnPlateau` has any: `{ multiplier, best, wait }`.
 */
export type ScheduleState = Readonly<Record<string, number | null>>;

/** A schedule instance: the learning rate for an epoch, told the monitored loss after each epoch. */
export interface Schedule {
  /** Learning rate to use during `epoch` (0-based). */
  rate(epoch: number, base: number): number;
  /** Reports the monitored loss at the end of an epoch (only reduceOnPlateau listens). */
  observe(loss: number): void;
  /** A copy of the schedule's own state; absent on schedules that depend on the epoch alone. */
  getState?(): ScheduleState;
  /** Restores {@link Schedule.getState}'s output (check it first with `scheduleStateProblem`). */
  setState?(state: ScheduleState): void;
}

/**
 * Builds a schedule from its JSON form.
 *
 * @example
 * ```ts
 * createSchedule({ type: 'step', stepSize: 10, gamma: 0.5 }).rate(25, 0.1); // 0.025
 * ```
 */
export function createSchedule(spec: ScheduleSpec): Schedule {
  if (typeof spec !== 'object' || (spec as unknown) === null) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `a schedule must be an object such as { type: 'cosine', epochs: 50 }, got ${describe(spec)}`,
    );
  }
  // Own names only: a type such as 'constructor' must not reach Object.prototype.
  const type = spec.type as unknown;
  if (typeof type === 'string' && Object.hasOwn(SCHEDULE_KEYS, type)) {
    checkOptions(spec, SCHEDULE_KEYS[type as ScheduleSpec['type']], `the ${type} schedule`);
  }
  switch (spec.type) {
    case 'step': {
      assertInt(spec.stepSize, 'schedule.stepSize');
      const gamma = spec.gamma ?? 0.1;
      assertNumber(gamma, 'schedule.gamma', 0, 1);
      return { rate: (e, base) => base * Math.pow(gamma, Math.floor(e / spec.stepSize)), observe: () => undefined };
    }
    case 'exponential': {
      assertNumber(spec.decayRate, 'schedule.decayRate', 0, 1, true);
      const steps = spec.decaySteps ?? 1;
      assertNumber(steps, 'schedule.decaySteps', 0, Infinity, true);
      return { rate: (e, base) => base * Math.pow(spec.decayRate, e / steps), observe: () => undefined };
    }
    case 'cosine': {
      assertInt(spec.epochs, 'schedule.epochs');
      const min = spec.minLearningRate ?? 0;
      assertNumber(min, 'schedule.minLearningRate', 0);
      return {
        rate: (e, base) =>
          min + 0.5 * (base - min) * (1 + Math.cos((Math.PI * Math.min(e, spec.epochs)) / spec.epochs)),
        observe: () => undefined,
      };
    }
    case 'reduceOnPlateau':
      return plateau(spec);
    default:
      throw new NeuriteError(
        'INVALID_OPTION',
        `unknown schedule ${describe((spec as { type?: unknown }).type)}; expected one of: ${SCHEDULE_NAMES.join(', ')}`,
      );
  }
}

function plateau(spec: Extract<ScheduleSpec, { type: 'reduceOnPlateau' }>): Schedule {
  const factor = spec.factor ?? 0.1;
  const patience = spec.patience ?? 10;
  const minDelta = spec.minDelta ?? 1e-4;
  const min = spec.minLearningRate ?? 0;
  assertNumber(factor, 'schedule.factor', 0, 1, true);
  assertInt(patience, 'schedule.patience', 0);
  let multiplier = 1;
  let best = Infinity;
  let wait = 0;
  return {
    rate: (_e, base) => Math.max(min, base * multiplier),
    getState: () => ({ multiplier, best: Number.isFinite(best) ? best : null, wait }),
    setState(state) {
      multiplier = state['multiplier'] as number;
      best = state['best'] ?? Infinity;
      wait = state['wait'] as number;
    },
    observe(loss) {
      if (loss < best - minDelta) {
        best = loss;
        wait = 0;
      } else if (++wait > patience) {
        multiplier *= factor;
        wait = 0;
      }
    },
  };
}

const isState = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Why `state` cannot be the saved state of a schedule built from `spec` (or of no schedule, when
 * `spec` is undefined), as "what … must be, got …"; undefined when it fits.
 */
export function scheduleStateProblem(spec: ScheduleSpec | undefined, state: unknown): string | undefined {
  if (spec?.type !== 'reduceOnPlateau') {
    const what = spec === undefined ? 'without a schedule' : `for a ${spec.type} schedule`;
    return state === undefined ? undefined : `schedule must be absent ${what}, got ${describe(state)}`;
  }
  if (!isState(state)) return `schedule must be an object { multiplier, best, wait }, got ${describe(state)}`;
  const { multiplier, best, wait } = state;
  if (!finite(multiplier) || multiplier < 0 || multiplier > 1)
    return `schedule.multiplier must be a number >= 0 and <= 1, got ${describe(multiplier)}`;
  if (best !== null && !finite(best)) return `schedule.best must be a finite number or null, got ${describe(best)}`;
  if (!Number.isSafeInteger(wait) || (wait as number) < 0)
    return `schedule.wait must be an integer >= 0, got ${describe(wait)}`;
  return undefined;
}
