// Two `neurite worker` processes against one, for a fitness of ~15 ms per evaluation (a CPU-bound
// busy loop): the figures of docs/scaling-out.md. Starts a redis-server of its own (as the tests
// do), runs each setting `--repeats` times (default 3) and prints the medians and spreads as JSON.
//
//   npm run build && npx tsx bench/redis-scaling.ts [--repeats 3] [--population 40] [--generations 5]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NeuralNetwork } from '../src/index.js';
import { evolve } from '../src/evolve/node.js';
import { redisEvaluator } from '../src/redis/index.js';
import { startRedis } from '../test/helpers/redis.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const repeats = arg('repeats', 3);
const populationSize = arg('population', 40);
const generations = arg('generations', 5);
const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'neurite-scaling-'));
writeFileSync(
  join(dir, 'fit.mjs'),
  `export function fitness(net, { seed }) {
     const end = performance.now() + 15;
     while (performance.now() < end);
     return -Math.abs((net.predict([1, 0])[0] ?? 0) - 0.5) + (seed % 7) * 1e-9;
   }\n`,
);

const server = await startRedis();
const network = new NeuralNetwork({ layers: [2, 6, 1], seed: 1, backend: 'js' });

function startWorker(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const w = spawn(
      process.execPath,
      [cli, 'worker', '--redis', server.url, '--module', 'fit.mjs', '--concurrency', '1'],
      { cwd: dir },
    );
    let err = '';
    w.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('Ctrl-C to stop')) resolve(w);
    });
    w.once('exit', (code) => reject(new Error(`worker exited ${String(code)}: ${err}`)));
  });
}

async function timeRun(run: string): Promise<number> {
  const evaluator = await redisEvaluator({ url: server.url, network, run });
  const t0 = performance.now();
  const r = await evolve({ network, parallel: evaluator, populationSize, generations, seed: 3 });
  const ms = performance.now() - t0;
  await evaluator.close({ removeRun: true });
  if (r.evaluations === 0) throw new Error('no evaluations');
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  loadBefore: loadavg().map((x) => Number(x.toFixed(2))),
  populationSize,
  generations,
  fitnessMs: 15,
};
const workers: ChildProcess[] = [];
try {
  for (const count of [1, 2]) {
    while (workers.length < count) workers.push(await startWorker());
    await timeRun(`warm-${String(count)}`); // thread pools start on the first job
    const times: number[] = [];
    for (let k = 0; k < repeats; k++) times.push(await timeRun(`bench-${String(count)}-${String(k)}`));
    const evals = populationSize + (generations - 1) * (populationSize - 1);
    results[`workers${String(count)}`] = {
      medianMs: Math.round(median(times)),
      minMs: Math.round(Math.min(...times)),
      maxMs: Math.round(Math.max(...times)),
      msPerEvaluation: Number((median(times) / evals).toFixed(2)),
    };
  }
  const one = (results['workers1'] as { medianMs: number }).medianMs;
  const two = (results['workers2'] as { medianMs: number }).medianMs;
  results['speedup'] = Number((one / two).toFixed(2));
  results['loadAfter'] = loadavg().map((x) => Number(x.toFixed(2)));
  console.log(JSON.stringify(results, null, 2));
} finally {
  for (const w of workers) w.kill('SIGTERM');
  await server.stop();
}
