// `npm run bench`: runs every bench/workloads/wN-*.ts for each of its subjects, each subject in a
// fresh child process (JIT state, worker pools and peak RSS stay separate), then the PyTorch,
// scikit-learn and NumPy peers when /usr/bin/python3 has them (scikit-learn is optional there), and
// PyTorch from a second interpreter when BENCH_TORCH_PYTHON names one.
// Prints one JSON line per result, then ratio tables.
//
//   npm run bench                 full run (~2.5 min on 2 cores)
//   npm run bench -- --quick      fewer repetitions
//   npm run bench -- --only W2,W4 some workloads
//   BENCH_TORCH_PYTHON=/path/to/venv/bin/python npm run bench   also PyTorch 2.x from that venv
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { coreRoundTripNs } from './lib/core-latency.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult, Workload } from './lib/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');

/**
 * A workload written as a standalone script (e.g. w5-evolve.ts): `run(repeats, only)` returns rows,
 * one per implementation, or only the implementation named `only`.
 */
interface ScriptModule {
  run(
    repeats?: number,
    only?: string,
  ): { impl: string; evalsPerSec?: number; cpuEvalsPerSec?: number; [k: string]: unknown }[];
}

async function load(file: string): Promise<Workload> {
  const mod = (await import(pathToFileURL(join(here, 'workloads', file)).href)) as {
    default?: Workload;
  } & Partial<ScriptModule>;
  if (mod.default) return mod.default;
  const script = mod.run;
  if (typeof script !== 'function') throw new Error(`${file}: no default Workload export and no run()`);
  const id = `W${String(parseInt(file.slice(1), 10))}`;
  // Adapt: one child runs every implementation the script knows (subject 'all'), or the one named
  // by the subject (`--child w5-evolve.ts neurite-js`); its rows become results.
  return {
    id,
    title: file,
    subjects: ['all'],
    baseline: 'neataptic',
    run(subject, emit, { quick }) {
      const log = console.log;
      console.log = () => undefined;
      try {
        for (const r of script(quick ? 3 : 7, subject === 'all' ? undefined : subject)) {
          const { impl, evalsPerSec, cpuEvalsPerSec, ...rest } = r;
          emit({
            metric: 'evaluations/s',
            value: evalsPerSec ?? NaN,
            unit: 'evals/s',
            better: 'higher',
            impl,
            cpuValue: cpuEvalsPerSec,
            ...rest,
          });
        }
      } finally {
        console.log = log;
      }
      return Promise.resolve();
    },
  };
}

async function child(file: string, subject: string): Promise<void> {
  const w = await load(file);
  await w.run(
    subject,
    (r) => {
      // Script workloads name their implementation per row ('impl'); that is the subject.
      const { impl, ...rest } = r as typeof r & { impl?: string };
      process.stdout.write(`${JSON.stringify({ workload: w.id, subject: impl ?? subject, ...rest })}\n`);
    },
    { quick },
  );
  // Worker pools are unref'd, but a tfjs backend may hold handles: leave explicitly.
  process.exit(0);
}

function runChild(file: string, subject: string): BenchResult[] {
  const res = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--child', file, subject, ...(quick ? ['--quick'] : [])],
    { encoding: 'utf8', timeout: 15 * 60_000, maxBuffer: 64 << 20 },
  );
  const out: BenchResult[] = [];
  for (const line of res.stdout.split('\n')) {
    if (line.startsWith('{')) out.push(JSON.parse(line) as BenchResult);
    else if (line.trim() !== '') process.stderr.write(`${line}\n`);
  }
  if (res.status !== 0) {
    process.stderr.write(res.stderr);
    process.stdout.write(
      `${JSON.stringify({ file, subject, error: `exit ${String(res.status)} ${res.signal ?? ''}` })}\n`,
    );
  }
  return out;
}

/**
 * PyTorch (1 and 2 threads), scikit-learn if installed, and NumPy's sgemm, when /usr/bin/python3 has
 * them; then PyTorch alone again from the interpreter named by `BENCH_TORCH_PYTHON` (e.g. a venv with
 * a pip-installed PyTorch 2.x, the stronger anchor: Debian's is 1.13), when that variable is set.
 */
function python(): BenchResult[] {
  const out: BenchResult[] = [];
  const extra = process.env['BENCH_TORCH_PYTHON'];
  for (const [interpreter, only] of [
    ['/usr/bin/python3', []],
    ...(extra !== undefined && extra !== '' ? [[extra, ['--torch-only']]] : []),
  ] as [string, string[]][]) {
    const probe = spawnSync(interpreter, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      process.stdout.write(
        `${JSON.stringify({ peer: 'pytorch', skipped: `${interpreter} -c "import torch, numpy" failed` })}\n`,
      );
      continue;
    }
    for (const threads of ['1', '2']) {
      // PASSIVE: with OpenMP's default spinning, torch's 2-thread W2/W3 ran 2–5× slower than on one
      // thread here (OpenMP and OpenBLAS threads spinning against each other on 2 cores).
      const env = {
        ...process.env,
        OMP_NUM_THREADS: threads,
        OPENBLAS_NUM_THREADS: threads,
        MKL_NUM_THREADS: threads,
        OMP_WAIT_POLICY: 'PASSIVE',
      };
      const res = spawnSync(
        interpreter,
        [join(here, 'python', 'peer.py'), '--threads', threads, ...only, ...(quick ? ['--quick'] : [])],
        { encoding: 'utf8', timeout: 15 * 60_000, env },
      );
      if (res.status !== 0) process.stderr.write(res.stderr);
      for (const l of res.stdout.split('\n')) if (l.startsWith('{')) out.push(JSON.parse(l) as BenchResult);
    }
  }
  return out;
}

/** The CPU's feature flags from /proc/cpuinfo (empty where there is none). */
function cpuFlags(): string[] {
  try {
    const line = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return line ? line[1]!.trim().split(/\s+/) : [];
  } catch {
    return [];
  }
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(3);
}

/** One table per workload: rows = metrics × subjects, ratio vs the workload's baseline (>1 = better). */
function table(results: BenchResult[], baselines: Map<string, string>): void {
  const ids = [...new Set(results.map((r) => r.workload))];
  for (const id of ids) {
    const base = baselines.get(id) ?? '';
    process.stdout.write(`\n${id}: ratio = this subject vs ${base} (> 1 is better)\n`);
    const rs = results.filter((r) => r.workload === id);
    for (const metric of [...new Set(rs.map((r) => r.metric))]) {
      const ref = rs.find((r) => r.metric === metric && r.subject === base);
      process.stdout.write(`  ${metric}\n`);
      for (const r of rs.filter((x) => x.metric === metric)) {
        const ratio = ref === undefined ? NaN : r.better === 'higher' ? r.value / ref.value : ref.value / r.value;
        const acc = r['testAccuracy'];
        const fa = r['floatAccuracy'];
        const fw = r['firstOverWarm'];
        const rt = r['coreRoundTripNs'];
        const extra =
          (typeof acc === 'number' ? `  acc ${acc.toFixed(4)}` : '') +
          (typeof fa === 'number' ? ` (float ${fa.toFixed(4)})` : '') +
          (typeof fw === 'number' ? `  first/warm epoch ×${fw.toFixed(2)}` : '') +
          (typeof rt === 'number' ? `  core round trip ${String(rt)} ns` : '');
        process.stdout.write(
          `    ${r.subject.padEnd(22)} ${fmt(r.value).padStart(9)} ${r.unit.padEnd(10)} ${Number.isNaN(ratio) ? '' : `×${ratio.toFixed(2)}`}${extra}\n`,
        );
      }
    }
  }
}

async function main(): Promise<void> {
  const ci = args.indexOf('--child');
  if (ci >= 0) return child(args[ci + 1]!, args[ci + 2]!);
  const oi = args.indexOf('--only');
  const only = oi >= 0 ? args[oi + 1]!.toUpperCase().split(',') : undefined;
  const files = readdirSync(join(here, 'workloads'))
    .filter((f) => /^w\d+-.*\.ts$/.test(f))
    .sort((a, b) => parseInt(a.slice(1), 10) - parseInt(b.slice(1), 10));
  const cpu = cpus()[0]?.model ?? 'unknown';
  // The vector extensions native peers pick their kernels by (WebAssembly SIMD is 128-bit whatever the CPU).
  const flags = cpuFlags().filter((f) => /^(avx|avx2|fma|avx512f|avx512_vnni|avx_vnni|avx512_bf16)$/.test(f));
  // Core-to-core round trips at the start, before the Python peers and at the end: the VM's
  // two-thread state, which decides what a second thread gains (lib/core-latency.ts).
  const roundTrips: Record<string, number> = { start: Math.round(await coreRoundTripNs()) };
  process.stdout.write(
    `${JSON.stringify({ machine: cpu, cores: cpus().length, flags, loadAverage: loadavg(), node: process.version, date: new Date().toISOString(), quick, coreRoundTripNs: roundTrips.start })}\n`,
  );
  const results: BenchResult[] = [];
  /** Keeps a result for the ratio tables and prints its JSON line as it arrives. */
  const record = (r: BenchResult): void => {
    results.push(r);
    process.stdout.write(`${JSON.stringify(r)}\n`);
  };
  const baselines = new Map<string, string>();
  for (const file of files) {
    const w = await load(file);
    if (only && !only.includes(w.id)) continue;
    baselines.set(w.id, w.baseline);
    for (const s of w.subjects) for (const r of runChild(file, s)) record(r);
  }
  // Cold as a user meets it: the in-process figures above are one fresh process per subject (and
  // run the TypeScript sources through tsx), so also take the median of several fresh processes of
  // the built package: W1's 4,000 steps alternated with brain.js, W2's first epoch against its
  // warm ones.
  for (const [id, script] of [
    ['W1', 'w1-cold.mjs'],
    ['W2', 'w2-cold.mjs'],
  ] as const) {
    if (only && !only.includes(id)) continue;
    if (!existsSync(join(here, '..', 'dist', 'index-node.js'))) {
      process.stdout.write(`${JSON.stringify({ workload: id, skipped: 'cold medians need dist/: npm run build' })}\n`);
      continue;
    }
    const res = spawnSync(process.execPath, [join(here, script), '--reps', quick ? '3' : '7', '--json'], {
      encoding: 'utf8',
    });
    if (res.status !== 0) process.stderr.write(res.stderr);
    for (const l of res.stdout.split('\n')) if (l.startsWith('{')) record(JSON.parse(l) as BenchResult);
  }
  roundTrips['beforePythonPeers'] = Math.round(await coreRoundTripNs());
  for (const r of python()) if (!only || only.includes(r.workload)) record(r);
  roundTrips['end'] = Math.round(await coreRoundTripNs());
  process.stdout.write(`${JSON.stringify({ coreRoundTripNs: roundTrips })}\n`);
  table(results, baselines);
  process.stdout.write(
    `\ncore-to-core round trip (ns): ${Object.entries(roundTrips)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ')}; ~150–200 is this VM's fast two-thread state, ~450–550 its slow one\n`,
  );
}

await main();
