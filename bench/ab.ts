// Before/after speed of one change on a shared machine: runs bench children (`run.ts --child`) of
// this checkout (after) and of another checkout's library (before, e.g. a built worktree of the
// commit before the change) alternately in fresh processes, the same bench code for both (the
// before side's src/ is swapped in by bench/lib/src-from.mjs). Reports medians and spread of CPU
// time (the main figure: other processes stretch the wall clock, not this process's CPU time) and
// of the wall clock, and the load average when each child started. Figures a child reports
// without a CPU time (W2's first epoch, W3's latency, peak RSS) are compared by their own value
// only; the key says which are better lower.
//
//   npx tsx bench/ab.ts --before /work/wt/before --runs 9 w5-evolve.ts:neurite-js w2-mnist-train.ts:neurite-wasm-1t
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/stats.js';
import type { BenchResult } from './lib/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);

function option(name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
}

const before = resolve(option('--before', '/work/wt/before'));
const runs = Number(option('--runs', '9'));
const quick = args.includes('--quick');
const cases = args.filter((a, i) => a.includes(':') && args[i - 1] !== '--before' && args[i - 1] !== '--runs');
if (cases.length === 0 || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write('usage: npx tsx bench/ab.ts [--before DIR] [--runs N] [--quick] FILE:SUBJECT ...\n');
  process.exit(2);
}

type Side = 'before' | 'after';
interface Sample {
  wall: number;
  cpu: number;
}
/** Samples by `workload subject metric`, then by side. */
const samples = new Map<string, Record<Side, Sample[]>>();
const loads: number[] = [];

/**
 * One child of `run.ts` on `side`; keeps its numeric results. Those without a CPU-time figure
 * (W2's first epoch, W3's latency) are compared by the wall clock only.
 */
function child(side: Side, file: string, subject: string): void {
  const redirect = side === 'before' ? ['--import', join(here, 'lib', 'src-from.mjs')] : ([] as string[]);
  loads.push(loadavg()[0] ?? NaN);
  const res = spawnSync(
    process.execPath,
    [...process.execArgv, ...redirect, join(here, 'run.ts'), '--child', file, subject, ...(quick ? ['--quick'] : [])],
    {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      env: { ...process.env, NEURITE_SRC: side === 'before' ? join(before, 'src') : '' },
    },
  );
  if (res.status !== 0) throw new Error(`${side} ${file} ${subject}: exit ${String(res.status)}\n${res.stderr}`);
  for (const line of res.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const r = JSON.parse(line) as BenchResult;
    if (typeof r.value !== 'number' || !Number.isFinite(r.value)) continue;
    const key = `${r.workload} ${r.subject} ${r.metric}${r.better === 'lower' ? ' (lower is better)' : ''}`;
    const s = samples.get(key) ?? { before: [], after: [] };
    s[side].push({ wall: r.value, cpu: r.cpuValue ?? NaN });
    samples.set(key, s);
  }
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toPrecision(3);
}

/** `median [min–max]` of a list. */
function spread(xs: number[]): string {
  if (xs.some((x) => Number.isNaN(x))) return '—';
  return `${fmt(median(xs))} [${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}]`;
}

const started = new Date().toISOString();
for (let run = 0; run < runs; run++) {
  for (const c of cases) {
    const [file, subject] = c.split(':') as [string, string];
    // Alternate which side goes first, so a drift in the machine's load favours neither.
    const order: Side[] = run % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
    for (const side of order) child(side, file, subject);
  }
  process.stderr.write(`run ${String(run + 1)}/${String(runs)} done, load ${loadavg()[0]?.toFixed(2) ?? '?'}\n`);
}

process.stdout.write(
  `machine: ${cpus()[0]?.model ?? 'unknown'} × ${String(cpus().length)}; node ${process.version}; ` +
    `${started} – ${new Date().toISOString()}; before = ${before}, after = this checkout; ` +
    `${String(runs)} alternated runs each; 1-min load average at child start: ${spread(loads)}\n\n`,
);
process.stdout.write(
  '| figure | before CPU median [min–max] | after CPU median [min–max] | after/before CPU | ' +
    'before wall | after wall | after/before wall |\n|---|---|---|---|---|---|---|\n',
);
for (const [key, s] of samples) {
  const cpu = (side: Side): number[] => s[side].map((x) => x.cpu);
  const wall = (side: Side): number[] => s[side].map((x) => x.wall);
  const ratio = (f: (side: Side) => number[]): string => {
    const r = median(f('after')) / median(f('before'));
    return Number.isNaN(r) ? '—' : `×${r.toFixed(3)}`;
  };
  process.stdout.write(
    `| ${key} | ${spread(cpu('before'))} | ${spread(cpu('after'))} | ${ratio(cpu)} | ` +
      `${spread(wall('before'))} | ${spread(wall('after'))} | ${ratio(wall)} |\n`,
  );
}
