// `npm run tables`: the real-table proof of issue 10 as a table for docs/real-tables.md. Every table
// of bench/lib/real-tables.ts, split by seed into train.csv/test.csv; neurite is the built CLI with no
// option but --data and --target; scikit-learn is the pipeline of bench/python/tables.py.
//
//   npm run tables                       every table (build first: npm run build)
//   npm run tables -- diabetes,wine      some tables
//   npm run tables -- --json             one JSON line per split, then the summary as JSON
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON, REAL_TABLES, hasSklearn, runRealTables, summarise, type TableSummary } from './lib/real-tables.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.find((a) => !a.startsWith('--'))?.split(',');
const specs = only === undefined ? REAL_TABLES : REAL_TABLES.filter((s) => only.includes(s.table));

function cpuModel(): string {
  try {
    const line = execFileSync('lscpu', { encoding: 'utf8' })
      .split('\n')
      .find((l) => l.startsWith('Model name:'));
    if (line !== undefined) return line.slice('Model name:'.length).trim();
  } catch {
    // lscpu is missing (not Linux): Node's own name for the CPU below.
  }
  return cpus()[0]?.model ?? 'unknown';
}

const f = (v: number | null, metric: string): string =>
  v === null ? 'fails' : metric === 'accuracy' ? `${(v * 100).toFixed(1)}%` : v.toFixed(3);

function markdown(rows: readonly TableSummary[]): string {
  const head = [
    '| table | metric | seeds | neurite (mean) | neurite median [min–max] | scikit-learn (default / early stopping) | baseline | target met |',
    '|---|---|---|---|---|---|---|---|',
  ];
  return [
    ...head,
    ...rows.map((r) => {
      const m = r.metric;
      const spread =
        r.neuriteMedian === null ? 'fails' : `${f(r.neuriteMedian, m)} [${f(r.neuriteMin, m)}–${f(r.neuriteMax, m)}]`;
      return `| ${r.table} | ${m === 'accuracy' ? 'accuracy' : 'R²'} | ${String(r.seeds)} | ${f(r.neurite, m)} | ${spread} | ${f(r.sklearnDefault, m)} / ${f(r.sklearnEarlyStopping, m)} | ${f(r.baseline, m)} | ${r.pass ? 'yes' : 'no'} |`;
    }),
  ].join('\n');
}

if (!hasSklearn()) {
  console.error(`${PYTHON} lacks scikit-learn or pandas: apt-get install python3-sklearn python3-pandas`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'neurite-tables-'));
const started = new Date();
try {
  const results = await runRealTables(specs, dir, (r) => {
    if (json) console.log(JSON.stringify(r));
    else
      console.error(
        `${r.table} seed ${String(r.seed)}: neurite ${f(r.neurite, r.metric)}, scikit-learn ${f(r.sklearn.default, r.metric)} / ${f(r.sklearn.earlyStopping, r.metric)}, baseline ${f(r.baseline, r.metric)}${r.error === undefined ? '' : ` (fails: ${r.error.split('\n').at(-1)?.slice(0, 160) ?? ''})`}`,
      );
  });
  const summary = summarise(results);
  const machine = `${cpuModel()}, ${String(cpus().length)} cores, Node ${process.version}`;
  if (json) console.log(JSON.stringify({ machine, date: started.toISOString(), summary }));
  else console.log(`Measured ${started.toISOString()} on ${machine}.\n\n${markdown(summary)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
