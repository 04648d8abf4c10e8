// W1 cold as a user meets it: a fresh `node` process (no tsx loader, no other subject's modules)
// runs seed 002's 4,000 steps once, on the built package (`npm run build` first), against
// brain.js's first train() in its own fresh process. Subjects alternate, each repeated; the driver
// prints medians and ranges of wall time and of process CPU time (all threads) with the load, and
// the median time to load each library before its steps.
//
//   node bench/w1-cold.mjs [--reps 9]        driver
//   node bench/w1-cold.mjs --reps 7 --json   driver, one BenchResult JSON line per subject and clock
//                                            (how `npm run bench` includes it in W1's table)
//   node bench/w1-cold.mjs --child <subject> one measurement (neurite-default | neurite-js | brainjs)
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { freshProcesses, median } from './lib/fresh-processes.mjs';

const SUBJECTS = ['neurite-default', 'neurite-js', 'brainjs'];
const X = [
  [170, 70, 25],
  [160, 55, 30],
  [180, 90, 40],
  [150, 45, 20],
];
const Y = [[1], [0], [1], [0]];
const args = process.argv.slice(2);

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e3;
};

async function child(subject) {
  let run;
  // Loading the library is part of what a user waits for: timed too, and reported beside the steps.
  const l0 = performance.now();
  let importMs;
  if (subject === 'brainjs') {
    const brain = createRequire(import.meta.url)('brain.js');
    importMs = performance.now() - l0;
    const net = new brain.NeuralNetwork({ inputSize: 3, hiddenLayers: [2], outputSize: 1, activation: 'sigmoid' });
    // brain.js refuses momentum 0 and errorThresh 0 in its option check; the run itself takes them.
    const check = net.validateTrainingOptions.bind(net);
    net.validateTrainingOptions = (o) => check({ ...o, momentum: 0.5, errorThresh: 0.5 });
    net.initialize();
    const data = X.map((input, i) => ({ input, output: Y[i] }));
    run = () => net.train(data, { iterations: 1000, learningRate: 0.1, momentum: 0, errorThresh: 0, log: false });
  } else {
    // What `import { NeuralNetwork } from 'neurite'` gives in Node: the workspace link resolves it
    // to the package's Node entry, as in a user's project.
    const { NeuralNetwork, jsBackend } = await import('neurite');
    importMs = performance.now() - l0;
    const net = new NeuralNetwork({
      layers: [3, 2, 1],
      activation: 'sigmoid',
      loss: 'mse',
      learningRate: 0.1,
      seed: 1,
      ...(subject === 'neurite-js' ? { backend: jsBackend } : {}),
    });
    run = () => {
      for (let e = 0; e < 1000; e++) for (let i = 0; i < 4; i++) net.train(X[i], Y[i]);
    };
  }
  const c0 = cpuMs();
  const t0 = performance.now();
  run();
  const wall = performance.now() - t0;
  const cpu = cpuMs() - c0;
  process.stdout.write(`${JSON.stringify({ subject, wallMs: wall, cpuMs: cpu, importMs })}\n`);
  process.exit(0);
}

function driver(reps, json) {
  const { rows, loadMin, loadMax } = freshProcesses(fileURLToPath(import.meta.url), SUBJECTS, reps);
  const rate = (ms) => 4000 / (ms / 1000);
  const fmt = (v) => `${(v / 1000).toFixed(0)}k`;
  // One summary per clock and subject; printed as text or, for `npm run bench`, as BenchResult lines.
  const importMs = (subject) => median(rows.filter((r) => r.subject === subject).map((r) => r.importMs)).toFixed(0);
  const summaries = ['wallMs', 'cpuMs'].flatMap((key) =>
    SUBJECTS.map((subject) => {
      const v = rows.filter((r) => r.subject === subject).map((r) => rate(r[key]));
      return { key, subject, median: median(v), min: Math.min(...v), max: Math.max(...v) };
    }),
  );
  if (json) {
    for (const { key, subject, median: value, min, max } of summaries) {
      const row = {
        workload: 'W1',
        subject,
        metric: `cold steps/s, median of ${String(reps)} fresh processes${key === 'cpuMs' ? ' by CPU' : ''}`,
        value,
        unit: 'steps/s',
        better: 'higher',
        detail: `${subject === 'brainjs' ? 'require' : "built package's Node entry (import 'neurite')"}, no tsx; range ${fmt(min)}-${fmt(max)}; load ${loadMin}-${loadMax}; import before the steps ${importMs(subject)} ms`,
        min,
        max,
      };
      process.stdout.write(`${JSON.stringify(row)}\n`);
    }
    return;
  }
  process.stdout.write(
    `load average (1 min) ${loadMin}–${loadMax}, ${String(reps)} fresh processes per subject, alternated\n`,
  );
  for (const { key, subject, median: m, min, max } of summaries) {
    const base = summaries.find((x) => x.key === key && x.subject === 'brainjs').median;
    process.stdout.write(
      `  cold steps/s by ${key === 'wallMs' ? 'wall clock' : 'process CPU'}  ${subject.padEnd(16)} median ${fmt(m).padStart(6)} (${fmt(min)}–${fmt(max)})  ×${(m / base).toFixed(2)} brain.js  (import ${importMs(subject)} ms)\n`,
    );
  }
}

const ci = args.indexOf('--child');
if (ci >= 0) await child(args[ci + 1]);
else {
  const ri = args.indexOf('--reps');
  driver(ri >= 0 ? Number(args[ri + 1]) : 9, args.includes('--json'));
}
