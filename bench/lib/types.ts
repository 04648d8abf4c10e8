/** One measured figure; printed as one JSON line. */
export interface BenchResult {
  workload: string;
  subject: string;
  metric: string;
  value: number;
  unit: string;
  /** Which direction is better, for the ratio table. */
  better: 'higher' | 'lower';
  /**
   * The same figure timed by this process's CPU time (`process.cpuUsage()`, user + system, all its
   * threads) instead of the wall clock, where the workload measures it: on a shared machine other
   * processes stretch the wall clock but not this (bench/ab.ts compares it).
   */
  cpuValue?: number;
  [extra: string]: unknown;
}

/** Options every workload receives. */
export interface RunOptions {
  /** Fewer repetitions (CI smoke runs); never fewer workloads. */
  quick: boolean;
}

/**
 * A workload file in bench/workloads/ (`wN-name.ts`) default-exports one of these. The runner
 * calls `run` once per subject, each in a fresh process, so JIT state, thread pools and peak RSS
 * never leak from one subject into another.
 */
export interface Workload {
  /** `'W1'` … */
  id: string;
  title: string;
  /** Subjects to run, in order (see bench/lib/subjects.ts for the neurite and tfjs names). */
  subjects: readonly string[];
  /** The subject the ratio table divides by. */
  baseline: string;
  run(
    subject: string,
    emit: (r: Omit<BenchResult, 'workload' | 'subject'>) => void,
    options: RunOptions,
  ): Promise<void>;
}
