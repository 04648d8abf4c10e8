import { booleanStep, type BooleanStep } from './boolean.js';
import { categoricalStep, type CategoricalStep } from './categorical.js';
import { dateStep, type DateStep } from './date.js';
import { numericStep, type NumericStep } from './numeric.js';
import type { StepKind } from './step.js';

export type { BooleanStep } from './boolean.js';
export type { CategoricalStep } from './categorical.js';
export type { DateStep } from './date.js';
export type { NumericStep } from './numeric.js';
export type { CellOutcome, FitSettings, StepKind } from './step.js';

/** One fitted column step: how one raw column becomes model inputs. */
export type ColumnStep = NumericStep | CategoricalStep | BooleanStep | DateStep;

/** The kinds of column step. */
export type StepName = ColumnStep['kind'];

/**
 * Every column step, by the `kind` its JSON carries: a new kind is one file and one row here
 * (the reader, the transform and the notes pick it up from this table).
 */
export const STEP_KINDS: { readonly [K in StepName]: StepKind<Extract<ColumnStep, { kind: K }>> } = {
  numeric: numericStep,
  categorical: categoricalStep,
  boolean: booleanStep,
  date: dateStep,
};

/** Every step kind name. */
export const STEP_NAMES = Object.keys(STEP_KINDS) as StepName[];

/** The table entry for a step, typed for that step. */
export function stepKind<S extends ColumnStep>(step: S): StepKind<S> {
  return STEP_KINDS[step.kind] as unknown as StepKind<S>;
}
