// Whether a thread pool splits its jobs over the threads or keeps them on the calling thread,
// decided by measuring both. On a VM whose two vCPUs share one physical core (or are time-sliced
// on one), a worker spinning for its next job slows everything the caller does alone: on the
// bench VM each W2 product alone ran 1.5× faster split, while a whole W2 epoch on two threads took
// as long as on one or longer (S10-C: 88.7k samples/s against 116k; the caller's own small
// kernels ran twice as slowly with the worker spinning). Only the whole loop shows which way
// pays, so the choice times windows of calls (about 10 ms each), the caller's work between them
// included, runs a window the other way now and then, and switches when that window was clearly
// faster than the windows around it. Results never depend on it: a split job computes every value
// as one thread does. Browser-safe: no Node imports.

/** Options of {@link SplitChoice}; the defaults are what the pools use. */
export interface SplitChoiceOptions {
  /** Milliseconds, monotonic (default `performance.now`). */
  clock?: () => number;
  /** Pool calls in the first window (default 64); later windows are sized to last about `windowMs`. */
  window?: number;
  /** How long a window should last (ms, default 10: ~15 W2 batches, ~4 quantized W3 batches). */
  windowMs?: number;
  /** A window run the other way must be this much faster than its neighbours to switch (default 0.05). */
  margin?: number;
}

/** Windows before the first trial of the other way, and the longest wait between trials. */
const FIRST_TRIAL = 2;
const MAX_TRIAL = 32;
/** Fewest and most calls in a window. */
const MIN_WINDOW = 8;
const MAX_WINDOW = 1024;
/**
 * A window whose work per call (see {@link SplitChoice.begin}) differs from the last one's by
 * more than this factor belongs to another loop (a fit's windows differ by under 1.4× even when
 * they hold 8 calls; a `predictBatch` loop after it differs by 50×): it is not compared, and a
 * trial comes soon, since what paid in the old loop may not in the new one (a fit that kept to one
 * thread, then a quantized inference loop that gains 1.3× from a second).
 */
const CHANGED = 2;
/**
 * A window that took this many times longer per unit of work than the one before held a pause
 * (the caller idle, awaiting or yielding to the event loop), not only work: it is not compared,
 * and a trial it belongs to is dropped. Either way of running changed a W2 window by 2× at most.
 */
const PAUSED = 3;

/**
 * The split-or-solo choice of one pool. The pool calls {@link begin} before a job (true: split
 * it) and {@link end} after it; the clock is read once per window (Node's `performance.now`
 * allocates, and a training step must not), and a window's time is taken per unit of work, so
 * windows that cut a loop's calls at different places compare. In the steady state one window in
 * `every` (2 at first, doubling to 32 after each trial that lost) runs the other way; that window
 * is compared with the better of the windows just before and just after it, so neither a drift of
 * the machine's speed nor one slow neighbour switches the pool.
 */
export class SplitChoice {
  /** Whether the pool currently splits its jobs (the way a trial window does not use). */
  splitting = true;
  /** Calls run on the calling thread alone because of this choice. */
  soloCalls = 0;
  /** Times the choice has changed. */
  switches = 0;
  private readonly clock: () => number;
  private readonly windowMs: number;
  private readonly margin: number;
  private window: number;
  private calls = 0;
  private work = 0;
  private startedAt = 0;
  private lastCost = Infinity;
  private lastPerCall = NaN;
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
    this.window = options.window ?? 64;
    this.windowMs = options.windowMs ?? 10;
    this.margin = options.margin ?? 0.05;
  }

  /** Whether the current window splits (`splitting`, or the other way during a trial). */
  get splitNow(): boolean {
    return this.current;
  }

  /**
   * Called before a job of `work` units (> 0; any measure that grows with the job's cost, e.g.
   * its multiply-adds / 256 or its elements); returns whether to split it.
   */
  begin(work: number): boolean {
    if (this.calls === 0) this.startedAt = this.clock();
    this.work += work;
    if (!this.current) this.soloCalls++;
    return this.current;
  }

  /** Called after the job {@link begin} was called for. */
  end(): void {
    if (++this.calls < this.window) return;
    const ms = this.clock() - this.startedAt;
    const work = this.work;
    this.calls = 0;
    this.work = 0;
    this.windowDone(ms, work);
  }

  private windowDone(ms: number, work: number): void {
    const calls = this.window;
    const cost = ms / work;
    const perCall = work / calls;
    const changed = !(perCall <= CHANGED * this.lastPerCall && perCall * CHANGED >= this.lastPerCall);
    const paused = cost > PAUSED * this.lastCost;
    this.lastCost = cost;
    this.lastPerCall = perCall;
    // Windows of about `windowMs`, whatever a loop's calls take.
    if (!paused && ms > 0)
      this.window = Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, Math.round((calls * this.windowMs) / ms)));
    if (changed) {
      // Another loop (or the first window): a trial in it soon, against its own windows.
      this.phase = 0;
      this.every = FIRST_TRIAL;
      this.windowsSince = 0;
    } else if (paused) {
      // Not compared. A paused trial starts over after one window the usual way; a paused window
      // after a trial is replaced by the next.
      if (this.phase === 1) {
        this.phase = 0;
        this.windowsSince = this.every - 1;
      }
    } else if (this.phase === 1) {
      this.trial = cost;
      this.phase = 2;
    } else if (this.phase === 2) {
      // Against the better neighbour, so that one slow window (a collection, a busy moment of the
      // machine) next to a trial does not switch the pool.
      if (this.trial < Math.min(this.before, cost) * (1 - this.margin)) {
        this.splitting = !this.splitting;
        this.switches++;
        this.every = FIRST_TRIAL;
      } else this.every = Math.min(MAX_TRIAL, this.every * 2);
      this.phase = 0;
      this.windowsSince = 0;
    } else {
      this.before = cost;
      if (++this.windowsSince >= this.every) this.phase = 1;
    }
    this.current = this.phase === 1 ? !this.splitting : this.splitting;
  }
}
