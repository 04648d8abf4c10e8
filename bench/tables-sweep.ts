// How autoFit's defaults were chosen: each setting variant trained in-process on the real tables'
// train.csv files (encoded as `neurite train --data` encodes them) and scored on test.csv.
//
//   npx tsx bench/tables-sweep.ts '[{}, {"weightDecay": 1e-3}, {"refit": false}]' [diabetes,wine]
//
// Prints the mean test score per table and variant. Needs /usr/bin/python3 with scikit-learn for the splits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autoFit, type AutoFitOptions, type Matrix } from '../src/index.js';
import { prepareInputs, prepareTrainingData } from '../src/cli/data.js';
import { accuracyScore, r2Score } from '../src/metrics/index.js';
import { REAL_TABLES, splitTables } from './lib/real-tables.js';

type Overrides = Omit<AutoFitOptions, 'task'>;
const variants = JSON.parse(process.argv[2] ?? '[{}]') as Overrides[];
const only = process.argv[3]?.split(',');
const specs = only === undefined ? REAL_TABLES : REAL_TABLES.filter((s) => only.includes(s.table));
const dir = mkdtempSync(join(tmpdir(), 'neurite-sweep-'));
try {
  const splits = await splitTables(specs, dir);
  const scores = new Map<string, number[][]>();
  for (const s of splits) {
    let data;
    let test;
    try {
      data = prepareTrainingData({ data: `${s.dir}/train.csv`, target: [s.target], seed: 1, testSplit: 0 });
      test = prepareInputs(data.preprocessing, data.train.y.cols, { data: `${s.dir}/test.csv` });
    } catch (e) {
      console.error(`${s.table} seed ${String(s.seed)}: ${(e as Error).message.slice(0, 120)}`);
      continue;
    }
    const row = variants.map(() => 0);
    for (const [i, v] of variants.entries()) {
      const r = await autoFit(data.train.x, data.train.y, { task: s.task, seed: 1, ...v });
      const p: Matrix = r.network.predictBatch(test.x);
      const y = test.y as Matrix;
      row[i] = s.metric === 'accuracy' ? accuracyScore(y, p) : r2Score(y, p);
    }
    console.error(`${s.table} seed ${String(s.seed)}: ${row.map((v) => v.toFixed(4)).join('  ')}`);
    const list = scores.get(s.table) ?? [];
    list.push(row);
    scores.set(s.table, list);
  }
  console.log(`variants: ${variants.map((v, i) => `${String(i)}=${JSON.stringify(v)}`).join('  ')}`);
  for (const [table, rows] of scores) {
    const means = variants.map((_v, i) => rows.reduce((a, r) => a + (r[i] ?? 0), 0) / rows.length);
    console.log(`${table.padEnd(16)} ${means.map((m) => m.toFixed(4)).join('  ')}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
