/**
 * `neurite/select`: model selection. k-fold cross-validation and hyper-parameter search (random
 * search and successive halving) over any {@link FoldEvaluator}, run serially. Browser-safe; the
 * fold splits themselves (`kFold`, `stratifiedKFold`) are in `neurite/data`, and
 * `neurite/select/node` adds `trialPool` to run the jobs on worker threads.
 *
 * @packageDocumentation
 */
export * from './search-space.js';
export * from './cross-validate.js';
export * from './tune.js';
