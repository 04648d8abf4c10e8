/**
 * neurite-redis: neuroevolution past one machine. {@link redisEvaluator} is a `ParallelEvaluator`
 * for `evolve` that sends each genome's evaluation through a BullMQ queue on Redis to
 * {@link redisWorker}s (the `neurite worker` command), with results identical to a serial run;
 * {@link redisTrialRunner} does the same for `tune`'s trials (a `TrialRunner` of `neurite/select`).
 * Node only; depends on `neurite`, `bullmq` and `ioredis` (the library itself has no dependencies).
 *
 * @packageDocumentation
 * @module neurite-redis
 */
export { redisEvaluator, type RedisEvaluator, type RedisEvaluatorOptions } from './evaluator.js';
export { redisWorker, type RedisWorker, type RedisWorkerOptions, type TrialEvaluatorOptions } from './worker.js';
export { redisTrialRunner, type RedisTrialRunner, type RedisTrialRunnerOptions } from './trials.js';
export type { DataFile, FitnessJob, TrialJob } from './protocol.js';
export * from './settings.js';
