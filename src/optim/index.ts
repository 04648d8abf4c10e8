export {
  Optimizer,
  parseOptimizer,
  defaultLearningRate,
  ruleFor,
  OPTIMIZER_NAMES,
  type OptimizerName,
  type OptimizerSpec,
} from './optimizer.js';
export { createSchedule, SCHEDULE_NAMES, type Schedule, type ScheduleSpec, type ScheduleState } from './schedules.js';
export type { OptimizerState } from './state.js';
export type { Rule } from './rule.js';
export { chain } from './chain.js';
export { clipNorm, clipValue, weightDecay } from './transforms.js';
export { sgd, type SgdOptions } from './sgd.js';
export { adam, adamw, type AdamOptions } from './adam.js';
export { rmsprop, type RmspropOptions } from './rmsprop.js';
export { adagrad, type AdagradOptions } from './adagrad.js';
