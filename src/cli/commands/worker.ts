import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_LOCKS, DEFAULT_QUEUE, DEFAULT_TUNE_QUEUE, redactUrl } from '../../redis/settings.js';
import { foldFitModule } from '../model-selection.js';
import { intArg } from '../options.js';
import { processIo, type Io } from '../output.js';

/** Options of `neurite worker`. */
export interface WorkerCliOptions {
  redis: string;
  module?: string;
  export: string;
  concurrency?: number;
  queue: string;
  tuneQueue: string;
  lockMs: number;
  stalledMs: number;
}

/** Registers `neurite worker`. */
export function register(program: Command): void {
  program
    .command('worker')
    .description(
      'run the trials of `neurite tune --redis` and, with --module, score the genomes of `neurite evolve --redis`: one process per machine, until Ctrl-C or SIGTERM',
    )
    .requiredOption('--redis <url>', 'Redis to take jobs from: redis://[user:password@]host:port, or rediss:// for TLS')
    .option('--module <file.mjs>', 'ES module exporting the fitness, the same as the coordinator’s (evolve jobs)')
    .option('--export <name>', 'name of the fitness export', 'fitness')
    .option('--concurrency <n>', 'jobs at once, one worker thread each (default: all cores)', intArg(1))
    .option('--queue <name>', 'queue of evolve jobs', DEFAULT_QUEUE)
    .option('--tune-queue <name>', 'queue of tune trials', DEFAULT_TUNE_QUEUE)
    .option(
      '--lock-ms <n>',
      'job lock: a crashed worker’s jobs return after about lock + stalled-check ms',
      intArg(200),
      DEFAULT_LOCKS.lockDuration,
    )
    .option(
      '--stalled-ms <n>',
      'how often to look for jobs whose worker stopped',
      intArg(100),
      DEFAULT_LOCKS.stalledInterval,
    )
    .action(async (opts: WorkerCliOptions) => {
      await runWorker(opts, processIo);
    });
}

/** Runs `neurite worker` until SIGINT or SIGTERM, then finishes the jobs in hand and exits. */
export async function runWorker(opts: WorkerCliOptions, io: Io): Promise<void> {
  // Loaded only here: the other commands never pay for bullmq and ioredis.
  const { redisWorker } = await import('../../redis/index.js');
  let failures = 0;
  const worker = await redisWorker({
    url: opts.redis,
    ...(opts.module !== undefined ? { module: resolve(opts.module) } : {}),
    exportName: opts.export,
    queue: opts.queue,
    trials: { module: foldFitModule(), queue: opts.tuneQueue },
    lockDuration: opts.lockMs,
    stalledInterval: opts.stalledMs,
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    onJob: (job, result) => {
      if (result.error === undefined) return;
      failures++;
      const what =
        'generation' in job
          ? `generation ${String(job.generation)} genome ${String(job.index)}`
          : `round ${String(job.batch + 1)} trial ${String(job.index + 1)}`;
      io.err(`job ${job.run} ${what} failed: ${result.error}\n`);
    },
  });
  io.err(
    `neurite worker: ${String(worker.concurrency)} thread(s) on queue(s) ${worker.queues.join(', ')} at ${redactUrl(opts.redis)}; Ctrl-C to stop\n`,
  );
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await worker.close();
  io.err(`neurite worker: stopped${failures > 0 ? ` (${String(failures)} failed job(s))` : ''}\n`);
}
