import { describe, expect, it } from 'vitest';
import { SplitChoice } from '../../../src/backend/wasm/split-choice.js';

/**
 * Drives a choice as a pool does, on a clock the test moves: each call costs `cost(split, i)` ms
 * and is followed by `gap` ms of the caller's own work. Returns how many calls were split.
 */
function drive(choice: SplitChoice, calls: number, cost: (split: boolean, i: number) => number, gap = 0.01): number {
  let split = 0;
  for (let i = 0; i < calls; i++) {
    const s = choice.begin();
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
const fresh = (): SplitChoice => new SplitChoice({ clock, window: WINDOW });

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
    // The window before the first trial (window 2) is slow: only the better neighbour counts.
    const spike = fresh();
    drive(spike, 200 * WINDOW, (s, i) => (Math.floor(i / WINDOW) === 1 ? 3 : s ? 1 : 1.02));
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
    // Splitting is faster, but the windows just before and after the first trial (windows 1 and
    // 3) each hold a 100 ms pause (the caller awaiting something): compared, they would make the
    // trial look faster and switch the pool.
    const c = fresh();
    drive(c, 200 * WINDOW, (s, i) => (s ? 1 : 1.2) + (i === WINDOW + 3 || i === 3 * WINDOW + 3 ? 100 : 0));
    expect(c.switches).toBe(0);
    expect(c.soloCalls).toBeGreaterThan(0);
  });

  it('splits the first calls, before it has measured anything', () => {
    const c = new SplitChoice();
    expect(c.begin()).toBe(true);
    c.end();
    expect(c.splitNow).toBe(true);
  });
});
