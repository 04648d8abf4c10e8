// W2 cold as a user meets it: a fresh `node` process (no tsx loader, no other subject's modules)
// imports the built package (`import { NeuralNetwork } from 'neurite'`, timed), loads
// the MNIST split, and fits WORKLOADS.md's W2 (5 epochs); its first epoch is compared with the
// median of epochs 2–5 of the same fit. One process measures one fit, so the driver repeats fresh
// processes (alternating default threads and one thread) and prints the median and range of the
// ratio, with the load. `npm run build` first.
//
//   node bench/w2-cold.mjs [--reps 7]        driver
//   node bench/w2-cold.mjs --reps 7 --json   driver, one BenchResult JSON line per subject
//                                            (how `npm run bench` includes it in W2's table)
//   node bench/w2-cold.mjs --child <subject> one measurement (neurite-default | neurite-wasm-1t)
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { freshProcesses, median } from './lib/fresh-processes.mjs';
import { W2_LAYERS } from './lib/w2-layers.mjs';

const SUBJECTS = ['neurite-default', 'neurite-wasm-1t'];
const EPOCHS = 5;
const args = process.argv.slice(2);

async function child(subject) {
  // As in a user's script: the workspace link resolves 'neurite' to the package's Node entry, and
  // the pool starts while this script awaits its data loader's import, before the data loads.
  const i0 = performance.now();
  const neurite = await import('neurite');
  const importMs = performance.now() - i0;
  const { loadMnist } = await import('neurite/data/node');
  const { train } = loadMnist();
  const backend =
    subject === 'neurite-wasm-1t'
      ? (await import('neurite/wasm-node')).createNodeWasmBackend({ threads: 1 })
      : undefined;
  // W2's network as bench/lib/mnist-net.ts builds it.
  const net = new neurite.NeuralNetwork({
    layers: W2_LAYERS,
    seed: 1,
    ...(backend ? { backend } : {}),
  });
  const epochMs = [];
  const epochCpuMs = [];
  const cpuMs = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1e3;
  };
  let last = performance.now();
  let lastCpu = cpuMs();
  await net.fit(train.x, train.y, {
    epochs: EPOCHS,
    batchSize: 64,
    loss: 'categoricalCrossEntropy',
    optimizer: { type: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    onEpochEnd: () => {
      const now = performance.now();
      const cpu = cpuMs();
      epochMs.push(now - last);
      epochCpuMs.push(cpu - lastCpu);
      last = now;
      lastCpu = cpu;
    },
  });
  process.stdout.write(`${JSON.stringify({ subject, rows: train.x.rows, epochMs, epochCpuMs, importMs })}\n`);
  process.exit(0);
}

function driver(reps, json) {
  const { rows, loadMin, loadMax } = freshProcesses(fileURLToPath(import.meta.url), SUBJECTS, reps);
  for (const subject of SUBJECTS) {
    const mine = rows.filter((r) => r.subject === subject);
    const ratios = mine.map((r) => r.epochMs[0] / median(r.epochMs.slice(1)));
    const firsts = mine.map((r) => r.epochMs[0]);
    const warms = mine.map((r) => median(r.epochMs.slice(1)));
    const n = mine[0].rows;
    const summary = {
      ratio: median(ratios),
      min: Math.min(...ratios),
      max: Math.max(...ratios),
      firstMs: median(firsts),
      warmMs: median(warms),
      importMs: median(mine.map((r) => r.importMs)),
    };
    if (json) {
      const row = {
        workload: 'W2',
        subject,
        metric: `cold first epoch samples/s, median of ${String(reps)} fresh processes`,
        value: n / (summary.firstMs / 1000),
        unit: 'samples/s',
        better: 'higher',
        detail: `built package's Node entry (import 'neurite'), no tsx; first/warm range ×${summary.min.toFixed(2)}–×${summary.max.toFixed(2)}; load ${loadMin}-${loadMax}; import ${summary.importMs.toFixed(0)} ms`,
        firstOverWarm: Number(summary.ratio.toFixed(2)),
        min: summary.min,
        max: summary.max,
      };
      process.stdout.write(`${JSON.stringify(row)}\n`);
    } else {
      process.stdout.write(
        `  ${subject.padEnd(16)} first epoch ${summary.firstMs.toFixed(1)} ms, warm ${summary.warmMs.toFixed(1)} ms: first/warm median ×${summary.ratio.toFixed(2)} (×${summary.min.toFixed(2)}–×${summary.max.toFixed(2)}) [${ratios.map((x) => x.toFixed(2)).join(' ')}]; import ${summary.importMs.toFixed(0)} ms\n`,
      );
    }
  }
  if (!json)
    process.stdout.write(
      `load average (1 min) ${loadMin}–${loadMax}, ${String(reps)} fresh processes per subject, alternated\n`,
    );
}

const ci = args.indexOf('--child');
if (ci >= 0) await child(args[ci + 1]);
else {
  const ri = args.indexOf('--reps');
  driver(ri >= 0 ? Number(args[ri + 1]) : 7, args.includes('--json'));
}
