// Whether a thread pool splits its jobs over the threads or keeps them on the calling thread,
// decided by measuring both. On a VM whose two vCPUs share one physical core (or are time-sliced
// on one), a worker spinning for its next job slows everything the caller does alone: on the
// bench VM each W2 product alone ran 1.5× faster split, while a whole W2 epoch on two threads took
// as long as on one or longer (S10-C: 88.7k samples/s against 116k; the caller's own small
// kernels ran twice as slowly with the worker spinning). Only the whole loop shows which way
// pays, so the choice times windows of calls, the caller's work between them included, runs a
// window the other way now and then, and switches when that window was clearly faster than the
// windows around it. Results never depend on it: a split job computes every value as one thread
// does. Browser-safe: no Node imports.

/** Options of {@link SplitChoice}; the defaults are what the pools use. */
export interface SplitChoiceOptions {
  /** Milliseconds, monotonic (default `performance.now`). */
  clock?: () => number;
  /** Pool calls per measured window (default 128: ~18 W2 batches, 10–15 ms). */
  window?: number;
  /** A window run the other way must be this much faster than its neighbours to switch (default 0.05). */
  margin?: number;
}

/** Windows before the first trial of the other way, and the longest wait between trials. */
const FIRST_TRIAL = 2;
const MAX_TRIAL = 32;
/**
 * A window this many times longer than the one before held a pause (the caller idle, awaiting or
 * yielding to the event loop), not only work: it is not compared, and a trial it belongs to is
 * dropped. Either way of running changed a W2 window by 2× at most.
 */
const PAUSED = 3;

/**
 * The split-or-solo choice of one pool. The pool calls {@link begin} before a job (true: split
 * it) and {@link end} after it; the clock is read once per window (Node's `performance.now`
 * allocates, and a training step must not). In the steady state one window in `every` (2 at first,
 * doubling to 32 after each trial that lost) runs the other way; that window is compared with the
 * better of the windows just before and just after it, so neither a drift of the machine's speed
 * nor one slow neighbour switches the pool.
 */
export class SplitChoice {
  /** Whether the pool currently splits its jobs (the way a trial window does not use). */
  splitting = true;
  /** Calls run on the calling thread alone because of this choice. */
  soloCalls = 0;
  /** Times the choice has changed. */
  switches = 0;
  private readonly clock: () => number;
  private readonly window: number;
  private readonly margin: number;
  private calls = 0;
  private startedAt = 0;
  private last = Infinity;
  private current = true;
  /** 0: the usual way; 1: in a trial window; 2: in the window after a trial. */
  private phase = 0;
  private windowsSince = 0;
  private every = FIRST_TRIAL;
  private before = NaN;
  private trial = NaN;

  /** A choice that starts by splitting. */
  constructor(options: SplitChoiceOptions = {}) {
    this.clock = options.clock ?? (() => performance.now());
    this.window = options.window ?? 128;
    this.margin = options.margin ?? 0.05;
  }

  /** Whether the current window splits (`splitting`, or the other way during a trial). */
  get splitNow(): boolean {
    return this.current;
  }

  /** Called before a job; returns whether to split it. */
  begin(): boolean {
    if (this.calls === 0) this.startedAt = this.clock();
    if (!this.current) this.soloCalls++;
    return this.current;
  }

  /** Called after the job {@link begin} was called for. */
  end(): void {
    if (++this.calls < this.window) return;
    this.calls = 0;
    this.windowDone(this.clock() - this.startedAt);
  }

  private windowDone(ms: number): void {
    const paused = ms > PAUSED * this.last;
    this.last = ms;
    if (paused) {
      // Not compared. A paused trial starts over: one window the usual way, then the trial; a
      // paused window after a trial is replaced by the next.
      if (this.phase === 1) {
        this.phase = 0;
        this.windowsSince = this.every - 1;
      }
    } else if (this.phase === 1) {
      this.trial = ms;
      this.phase = 2;
    } else if (this.phase === 2) {
      // Against the better neighbour, so that one slow window (a collection, a busy moment of the
      // machine) next to a trial does not switch the pool.
      if (this.trial < Math.min(this.before, ms) * (1 - this.margin)) {
        this.splitting = !this.splitting;
        this.switches++;
        this.every = FIRST_TRIAL;
      } else this.every = Math.min(MAX_TRIAL, this.every * 2);
      this.phase = 0;
      this.windowsSince = 0;
    } else {
      this.before = ms;
      if (++this.windowsSince >= this.every) this.phase = 1;
    }
    this.current = this.phase === 1 ? !this.splitting : this.splitting;
  }
}
