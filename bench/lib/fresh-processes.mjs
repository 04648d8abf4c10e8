// The drivers of the cold benchmarks (w1-cold.mjs, w2-cold.mjs): each measurement is a fresh
// `node` process running the script's own `--child <subject>`, subjects alternated, repeated.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import process from 'node:process';

/** Median of a non-empty list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs `script --child <subject>` in a fresh process `reps` times per subject, alternating the
 * subjects; returns each child's JSON line (parsed) and the range of the 1-minute load average
 * taken before each.
 */
export function freshProcesses(script, subjects, reps) {
  const rows = [];
  const loads = [];
  for (let r = 0; r < reps; r++) {
    for (const s of subjects) {
      loads.push(loadavg()[0]);
      const res = spawnSync(process.execPath, [script, '--child', s], { encoding: 'utf8' });
      const line = res.stdout.split('\n').find((l) => l.startsWith('{'));
      if (line === undefined) throw new Error(`${s}: ${res.stderr}`);
      rows.push(JSON.parse(line));
    }
  }
  return { rows, loadMin: Math.min(...loads).toFixed(2), loadMax: Math.max(...loads).toFixed(2) };
}
