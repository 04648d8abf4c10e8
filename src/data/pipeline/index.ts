export * from './pipeline.js';
export * from './transform.js';
export * from './read-pipeline.js';
export * from './describe.js';
export { inferRole, type ColumnRole, type RoleChoice, type RoleHints } from './column-role.js';
export { parseDate, DATE_PARTS, type DatePart } from './dates.js';
export { IMPUTE_METHODS, type ImputeMethod } from './impute.js';
export { SCALE_METHODS, type Scale, type ScaleMethod } from './scale.js';
export { resolveColumns, columnsOf } from './select-columns.js';
export {
  STEP_KINDS,
  STEP_NAMES,
  type ColumnStep,
  type StepName,
  type StepKind,
  type CellOutcome,
  type FitSettings,
  type NumericStep,
  type CategoricalStep,
  type BooleanStep,
  type DateStep,
} from './steps/index.js';
export {
  decodePredictions,
  encodeTarget,
  fitTarget,
  anyMissing,
  targetClasses,
  targetNames,
  targetTask,
  type TablePredictions,
  type TargetStep,
} from './target.js';
