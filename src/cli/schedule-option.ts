import { InvalidArgumentError } from 'commander';
import { NeuriteError, SCHEDULE_NAMES, createSchedule, type ScheduleSpec } from '../index.js';

/**
 * A learning-rate schedule as `--schedule` gives it: one of the library's schedules, `cosine`'s
 * `epochs` left out (the run's epochs fill it in), or `'none'` for a constant rate.
 */
export type ScheduleOption =
  | 'none'
  | Exclude<ScheduleSpec, { type: 'cosine' }>
  | (Omit<Extract<ScheduleSpec, { type: 'cosine' }>, 'epochs'> & { epochs?: number });

/** Each schedule's parameters and their defaults, for `--help` (`src/optim/schedules.ts` checks them). */
const PARAMETERS: Readonly<Record<(typeof SCHEDULE_NAMES)[number], string>> = {
  step: 'stepSize=N (required), gamma=0.1',
  exponential: 'decayRate=R (required), decaySteps=1',
  cosine: 'epochs=the run’s, minLearningRate=0',
  reduceOnPlateau: 'factor=0.1, patience=10, minDelta=1e-4, minLearningRate=0',
};

/** The help line of `--schedule`. */
export const SCHEDULE_HELP = `learning-rate schedule: none, or NAME[:key=value,…] with ${SCHEDULE_NAMES.map((n) => `${n} (${PARAMETERS[n]})`).join('; ')}; e.g. step:stepSize=10,gamma=0.5`;

/**
 * Commander argument parser for `--schedule`: `none`, or a schedule name with optional
 * `key=value` parameters after a colon (`reduceOnPlateau:patience=5,factor=0.5`). The spec is
 * checked by the library's `createSchedule`, so a wrong name, key or value is refused here.
 */
export function scheduleArg(value: string): ScheduleOption {
  if (value === 'none') return 'none';
  const [name = '', params] = value.split(/:(.*)/s);
  if (!(SCHEDULE_NAMES as readonly string[]).includes(name)) {
    throw new InvalidArgumentError(
      `expected none or one of: ${SCHEDULE_NAMES.join(', ')} (optionally name:key=value,…).`,
    );
  }
  const spec: Record<string, unknown> = { type: name };
  for (const pair of (params ?? '').split(',').filter((p) => p.trim() !== '')) {
    const [key = '', raw] = pair.split('=').map((s) => s.trim());
    const v = Number(raw);
    if (raw === undefined || raw === '' || !Number.isFinite(v)) {
      throw new InvalidArgumentError(
        `${JSON.stringify(pair)}: expected key=number, e.g. ${name}:${PARAMETERS[name as keyof typeof PARAMETERS].split(',')[0] ?? ''}.`,
      );
    }
    spec[key] = v;
  }
  try {
    // cosine's epochs default to the run's; any count checks the rest.
    createSchedule((name === 'cosine' ? { epochs: 1, ...spec } : spec) as ScheduleSpec);
  } catch (e) {
    if (e instanceof NeuriteError)
      throw new InvalidArgumentError(`${e.message} (${name}: ${PARAMETERS[name as keyof typeof PARAMETERS]}).`);
    throw e;
  }
  return spec as ScheduleOption;
}

/** The library's spec of a schedule option for a run of `epochs`; undefined for `none`. */
export function scheduleSpec(s: ScheduleOption, epochs: number): ScheduleSpec | undefined {
  if (s === 'none') return undefined;
  return s.type === 'cosine' ? { ...s, epochs: s.epochs ?? Math.max(1, epochs) } : s;
}

/** `cosine`, `step (stepSize 10, gamma 0.5)`: for reports. */
export function describeSchedule(s: ScheduleOption): string {
  if (s === 'none') return 'none';
  const params = Object.entries(s).filter(([k]) => k !== 'type');
  return params.length === 0 ? s.type : `${s.type} (${params.map(([k, v]) => `${k} ${String(v)}`).join(', ')})`;
}
