// How long one round trip of a cache line between two threads takes: the cost under every job a
// thread pool hands out (publish, claim, finish, see it finished). On the bench VM it flips between
// ~150–200 ns and ~450–550 ns from one minute to the next, and W2 on two threads gains from the
// second thread only in the fast state (bench/RESULTS.md, session 13), so runs record it next to
// the figures it explains.
import { Worker } from 'node:worker_threads';
import { median } from './stats.js';

/** The worker: answers every odd value of slot 0 with the next even one, until it reads -1. */
const ECHO = `
const { workerData } = require('node:worker_threads');
const I = new Int32Array(workerData);
for (;;) {
  let v;
  while (((v = Atomics.load(I, 0)) & 1) === 0) {}
  if (v < 0) break;
  Atomics.store(I, 0, v + 1);
}`;

/** Median over `reps` runs of `trips` round trips, in nanoseconds per round trip. */
export async function coreRoundTripNs(reps = 5, trips = 20_000): Promise<number> {
  const sab = new SharedArrayBuffer(64);
  const I = new Int32Array(sab);
  const w = new Worker(ECHO, { eval: true, workerData: sab });
  try {
    await new Promise<void>((resolve, reject) => {
      w.once('online', resolve);
      w.once('error', reject);
    });
    const per: number[] = [];
    // One more run than kept: the first also waits for both loops to be compiled.
    for (let r = -1; r < reps; r++) {
      const t = performance.now();
      for (let i = 0; i < trips; i++) {
        Atomics.store(I, 0, Atomics.load(I, 0) + 1);
        while ((Atomics.load(I, 0) & 1) === 1) {
          // the worker's answer
        }
      }
      if (r >= 0) per.push(((performance.now() - t) * 1e6) / trips);
    }
    return median(per);
  } finally {
    Atomics.store(I, 0, -1);
    await w.terminate();
  }
}
