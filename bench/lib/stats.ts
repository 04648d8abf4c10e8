/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** CPU seconds (user + system, every thread) this process has used so far. */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Seconds taken by `fn`. */
export function seconds(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

/**
 * Runs `fn` until it has run at least `calls` times and for at least `minSeconds`, so JIT tiers,
 * wasm tier-up and thread pools reach their steady state before anything is timed (a 2-thread
 * batched W3 forward took 18–20 ms on its first call, 8–9 ms on calls 2–8, 4.5 ms after).
 */
export function warmUp(fn: () => void, calls: number, minSeconds: number): void {
  const t0 = performance.now();
  for (let i = 0; i < calls || performance.now() - t0 < minSeconds * 1000; i++) fn();
}

/** Seconds taken by an async `fn`. */
export async function secondsAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
