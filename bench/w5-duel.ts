// W5 before/after in ONE process: this checkout's library and another checkout's (loaded from its
// own src/, two module instances) evaluate W5's population alternately, pass by pass, and each
// pass's CPU time goes to its side. On a machine shared with other work this resolves a few
// percent where fresh processes (bench/ab.ts) spread by ±30%: both sides meet the same load, the
// same moment. Outputs must agree (checksums). JIT state is per function, so the two libraries
// do not share type feedback.
//
//   npx tsx bench/w5-duel.ts --before /work/wt/before [--rounds 60] js exact | js fast | wasm exact | wasm fast
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import '../src/backend/wasm/index.js';
import { evaluateBatch } from '../src/evolve/index.js';
import { cpuSeconds, median } from './lib/stats.js';
import { population } from './workloads/w5-evolve.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const before = resolve(option('--before', '/work/wt/before'));
const rounds = Number(option('--rounds', '60'));
const [backend = 'js', activations = 'exact'] = args.filter(
  (a, i) => !a.startsWith('--') && args[i - 1] !== '--before' && args[i - 1] !== '--rounds',
);
if (activations !== 'exact' && activations !== 'fast')
  throw new Error(`activations: exact or fast, got ${activations}`);

const src = (path: string): string => pathToFileURL(join(before, 'src', path)).href;
await import(src('backend/wasm/index.js'));
const old = (await import(src('evolve/index.js'))) as { evaluateBatch: typeof evaluateBatch };
const { layout, genomes, inputs, score } = population();
const sides = { before: old.evaluateBatch, after: evaluateBatch };
const evalsPerCpuSecond: Record<keyof typeof sides, number[]> = { before: [], after: [] };
const checksums: Record<keyof typeof sides, number> = { before: NaN, after: NaN };
const PASSES = 2;
// Three warm-up rounds, then `rounds` timed ones; the side that goes first alternates.
for (let r = 0; r < rounds + 3; r++) {
  for (const side of r % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)) {
    const c0 = cpuSeconds();
    for (let p = 0; p < PASSES; p++) {
      checksums[side] = sides[side](layout, genomes, inputs, score, { backend, activations }).reduce(
        (s, v) => s + v,
        0,
      );
    }
    if (r >= 3) evalsPerCpuSecond[side].push((PASSES * genomes.length) / (cpuSeconds() - c0));
  }
}
if (checksums.before !== checksums.after)
  throw new Error(`W5 duel: outputs differ (${String(checksums.before)} vs ${String(checksums.after)})`);
const b = median(evalsPerCpuSecond.before);
const a = median(evalsPerCpuSecond.after);
// Spread: the quartiles of the per-round ratios (each round's two sides ran back to back).
const ratios = evalsPerCpuSecond.after.map((x, i) => x / (evalsPerCpuSecond.before[i] as number)).sort((p, q) => p - q);
const quartile = (q: number): string => (ratios[Math.floor(q * (ratios.length - 1))] as number).toFixed(3);
process.stdout.write(
  `W5 ${backend} ${activations}: before ${b.toFixed(0)}, after ${a.toFixed(0)} evals per CPU second ` +
    `(medians of ${String(rounds)} alternated rounds of ${String(PASSES)} passes), after/before x${(a / b).toFixed(3)}; ` +
    `per-round ratios: quartiles x${quartile(0.25)}-x${quartile(0.75)}, median x${quartile(0.5)}\n`,
);
