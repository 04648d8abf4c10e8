import { describe, expect, it } from 'vitest';
import { SplitChoice } from '../../../src/backend/wasm/split-choice.js';

/**
 * Drives a choice as a pool does, on a clock the test moves: each call costs `cost(split, i)` ms
 * and is followed by `gap` ms of the caller's own work; each call is `work` units. Returns how
 * many calls were split.
 */
function drive(
  choice: SplitChoice,
  calls: number,
  cost: (split: boolean, i: number) => number,
  gap = 0.01,
  work = 1,
): number {
  let split = 0;
  for (let i = 0; i < calls; i++) {
    const s = choice.begin(work);
    if (s) split++;
    now += cost(s, i);
    choice.end();
    now += gap;
  }
  return split;
}

let now = 0;
const clock = (): number => now;
const WINDOW = 16;
const fresh = (): SplitChoice => new SplitChoice({ clock, window: WINDOW, windowMs: WINDOW });

describe('SplitChoice: split or keep on the calling thread, by measuring both', () => {
  it('keeps splitting while that is faster, and tries the other way ever more rarely', () => {
    const c = fresh();
    const calls = 400 * WINDOW;
    const split = drive(c, calls, (s) => (s ? 1 : 1.5));
    expect(c.splitting).toBe(true);
    expect(c.switches).toBe(0);
    // Trials after 2, 4, 8, 16, then every 32 windows: 15 trial windows in 400.
    expect(c.soloCalls).toBe(calls - split);
    expect(c.soloCalls).toBeGreaterThan(0);
    expect(c.soloCalls).toBeLessThanOrEqual(16 * WINDOW);
  });

  it('moves to the calling thread when that is clearly faster, and stays there', () => {
    const c = fresh();
    const calls = 400 * WINDOW;
    const split = drive(c, calls, (s) => (s ? 1.3 : 1));
    expect(c.splitting).toBe(false);
    expect(c.switches).toBe(1);
    // Two windows and one trial before the switch; then trials of splitting only.
    expect(split).toBeLessThanOrEqual(3 * WINDOW + 16 * WINDOW);
    expect(c.soloCalls).toBe(calls - split);
  });

  it('does not switch for a difference within the margin, nor for one slow window next to a trial', () => {
    const close = fresh();
    drive(close, 200 * WINDOW, (s) => (s ? 1.03 : 1));
    expect(close.switches).toBe(0);
    // The window before the first trial is slow: only the better neighbour counts. (Window 0 sizes
    // the windows; 1 and 2 run the usual way, 3 is the trial, 4 follows.)
    const spike = fresh();
    drive(spike, 200 * WINDOW, (s, i) => (Math.floor(i / WINDOW) === 2 ? 3 : s ? 1 : 1.02));
    expect(spike.switches).toBe(0);
  });

  it('follows the machine when the faster way changes', () => {
    const c = fresh();
    const half = 300 * WINDOW;
    drive(c, half, (s) => (s ? 1.5 : 1));
    expect(c.splitting).toBe(false);
    drive(c, half, (s) => (s ? 1 : 1.5));
    expect(c.splitting).toBe(true);
    expect(c.switches).toBe(2);
  });

  it('does not compare windows that held a pause of the caller', () => {
    // Splitting is faster, but the windows just before and after the first trial (windows 2 and
    // 4) each hold a 100 ms pause (the caller awaiting something): compared, they would make the
    // trial look faster and switch the pool.
    const c = fresh();
    drive(c, 200 * WINDOW, (s, i) => (s ? 1 : 1.2) + (i === 2 * WINDOW + 3 || i === 4 * WINDOW + 3 ? 100 : 0));
    expect(c.switches).toBe(0);
    expect(c.soloCalls).toBeGreaterThan(0);
  });

  it('tries the other way soon when another loop starts', () => {
    // A fit that found the calling thread alone faster and tried splitting ever more rarely, then
    // an inference loop of other jobs (ten times the work per call) that gains from splitting: six
    // windows of the 8-call minimum (its calls take 5-10 ms) find it.
    const c = fresh();
    drive(c, 300 * WINDOW, (s) => (s ? 1.5 : 1));
    expect(c.splitting).toBe(false);
    drive(c, 48, (s) => (s ? 5 : 10), 0.01, 10);
    expect(c.splitting).toBe(true);
    expect(c.switches).toBe(2);
  });

  it('splits the first calls, before it has measured anything', () => {
    const c = new SplitChoice();
    expect(c.begin(1)).toBe(true);
    c.end();
    expect(c.splitNow).toBe(true);
  });
});
