/**
 * W5 evolve (../shared/bench/WORKLOADS.md): neuroevolution throughput. A population of 1,000
 * fixed-topology 4 → 8 → 2 tanh networks, each evaluated on the same 100 inputs; the figure is
 * network evaluations (one network over all 100 inputs, plus a trivial score) per second.
 *
 * neurite runs its batch fast path (`evaluateBatch`): the population's forward passes are computed
 * all at once, layer by layer over chunks of genomes (weights read straight from the genomes), not
 * genome by genome. `neurite-js*` is plain JS (exact: bit-identical to `predictBatch` on the js
 * backend); `neurite-wasm-fast` runs the whole chunk in one WebAssembly SIMD call with float32
 * rational tanh; `neurite-wasm` (exact) keeps the JS affine and runs `Math.tanh` in wasm.
 * Every implementation is warmed up (≥ 3 passes and ≥ 0.4 s of CPU time) before it is timed.
 * neataptic 1.4.7 activates the same population (same weights, tanh everywhere) input by input
 * with `noTraceActivate`, its fastest forward. Both compute the same score, which is checked.
 *
 * Run: `npx tsx bench/workloads/w5-evolve.ts` — prints one JSON line per implementation.
 */
import { createRequire } from 'node:module';
import '../../src/backend/wasm/index.js';
import { NeuralNetwork, Rng, getBackend } from '../../src/index.js';
import { evaluateBatch, genomeLayout, type GenomeLayout } from '../../src/evolve/index.js';
import { cpuSeconds, median } from '../lib/stats.js';

/** One W5 measurement. */
export interface W5Result {
  workload: 'W5';
  impl: string;
  evalsPerSec: number;
  /** Median seconds for one pass over the whole population. */
  secondsPerPopulation: number;
  /**
   * Evaluations per CPU second of this process (median pass by `process.cpuUsage()`): the figure
   * to compare on a shared machine, where other processes stretch the wall clock.
   */
  cpuEvalsPerSec: number;
  repeats: number;
}

const POPULATION = 1000;
const ROWS = 100;

interface NeatapticNode {
  type: string;
  bias: number;
  squash: unknown;
  connections: { in: { from: NeatapticNode; weight: number }[] };
}
interface NeatapticNet {
  nodes: NeatapticNode[];
  noTraceActivate(input: number[]): number[];
}
interface Neataptic {
  architect: { Perceptron(...sizes: number[]): NeatapticNet };
  methods: { activation: { TANH: unknown } };
}

/**
 * Warm-up per implementation: at least this many passes and this much CPU time of this process, so
 * JS and wasm code are tiered up. CPU time, not the wall clock: on a loaded machine 0.4 s of wall
 * time held as few as 3 passes, and runs were timed before optimized code arrived.
 */
const WARMUP_PASSES = 3;
const WARMUP_CPU_SECONDS = 0.4;

/**
 * Times `fn` (one pass over the population): warm-up, then the median of `repeats` runs, by the
 * wall clock and by this process's CPU time.
 */
function time(fn: () => number, repeats: number): { seconds: number; cpuSeconds: number; checksum: number } {
  let checksum = 0;
  const c0 = cpuSeconds();
  for (let i = 0; i < WARMUP_PASSES || cpuSeconds() - c0 < WARMUP_CPU_SECONDS; i++) checksum = fn();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    const c = cpuSeconds();
    checksum = fn();
    cpu.push(cpuSeconds() - c);
    times.push((performance.now() - t) / 1000);
  }
  return { seconds: median(times), cpuSeconds: median(cpu), checksum };
}

/** Copies a neurite genome into a neataptic Perceptron (per neuron: incoming weights by input order, bias). */
function toNeataptic(lib: Neataptic, layout: GenomeLayout, genome: Float32Array): NeatapticNet {
  const net = lib.architect.Perceptron(4, 8, 2);
  const groups = [net.nodes.filter((n) => n.type === 'hidden'), net.nodes.filter((n) => n.type === 'output')];
  const inputNodes = net.nodes.filter((n) => n.type === 'input');
  layout.layers.forEach((l, li) => {
    const prev = li === 0 ? inputNodes : (groups[li - 1] as NeatapticNode[]);
    (groups[li] as NeatapticNode[]).forEach((node, j) => {
      node.squash = lib.methods.activation.TANH;
      node.bias = genome[l.biasOffset + j] as number;
      for (const c of node.connections.in) {
        c.weight = genome[l.weightOffset + j * l.inputs + prev.indexOf(c.from)] as number;
      }
    });
  });
  return net;
}

/** W5's population (1,000 genomes of 4 → 8 → 2 tanh), its 100 inputs and the score of one network's outputs. */
export function population(): {
  layout: GenomeLayout;
  genomes: Float32Array[];
  inputs: number[][];
  score: (y: ArrayLike<number>) => number;
} {
  const rng = new Rng(5);
  const template = new NeuralNetwork({ layers: [4, 8, 2], activation: 'tanh', seed: 5, backend: 'js' });
  const layout = genomeLayout(template);
  const genomes = Array.from({ length: POPULATION }, () =>
    Float32Array.from({ length: layout.length }, () => rng.normal(0, 0.7)),
  );
  const inputs = Array.from({ length: ROWS }, () => Array.from({ length: 4 }, () => rng.uniform(-1, 1)));
  const score = (y: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < ROWS * 2; i++) s += y[i] as number;
    return s;
  };
  return { layout, genomes, inputs, score };
}

/**
 * Runs W5 for neurite (js and the default backend, exact and fast) and neataptic; prints and
 * returns one result each. `only` names one implementation to run alone (e.g. `neurite-js`).
 */
export function run(repeats = 7, only?: string): W5Result[] {
  const { layout, genomes, inputs, score } = population();
  const results: W5Result[] = [];
  const report = (impl: string, t: { seconds: number; cpuSeconds: number }): void => {
    const r: W5Result = {
      workload: 'W5',
      impl,
      evalsPerSec: POPULATION / t.seconds,
      secondsPerPopulation: t.seconds,
      cpuEvalsPerSec: POPULATION / t.cpuSeconds,
      repeats,
    };
    results.push(r);
    console.log(JSON.stringify(r));
  };

  const checks: number[] = [];
  const backends = [...new Set(['js', getBackend('auto').name])];
  for (const b of backends) {
    for (const activations of ['exact', 'fast'] as const) {
      const impl = `neurite-${b}${activations === 'fast' ? '-fast' : ''}`;
      if (only !== undefined && only !== impl) continue;
      const t = time(
        () => evaluateBatch(layout, genomes, inputs, score, { backend: b, activations }).reduce((s, v) => s + v, 0),
        repeats,
      );
      checks.push(t.checksum);
      report(impl, t);
    }
  }
  if (only !== undefined && only !== 'neataptic') return results;

  const require = createRequire(import.meta.url);
  const lib = require('neataptic') as Neataptic;
  const nets = genomes.map((g) => toNeataptic(lib, layout, g));
  const t = time(
    () => {
      let total = 0;
      for (const net of nets) {
        let s = 0;
        for (const x of inputs) {
          const y = net.noTraceActivate(x);
          s += (y[0] as number) + (y[1] as number);
        }
        total += s;
      }
      return total;
    },
    Math.max(3, Math.floor(repeats / 2)),
  );
  checks.push(t.checksum);
  report('neataptic', t);
  // Same population, same inputs: the two libraries must agree on the scores (f32 vs f64 rounding).
  const spread = Math.max(...checks) - Math.min(...checks);
  if (!(spread < 1e-2 * Math.max(1, Math.abs(checks[0] ?? 0)))) {
    throw new Error(`W5: implementations disagree on the population's outputs: ${checks.join(', ')}`);
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) run();
