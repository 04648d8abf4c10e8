// The floor for W1 in JavaScript: one 3→2→1 sigmoid, squared-error, per-sample SGD step written
// out by hand over Float32Arrays (input check included), no library around it. It says how close
// any JS implementation can get: `npx tsx bench/w1-floor.ts` prints ns per step.
const X = [
  [170, 70, 25],
  [160, 55, 30],
  [180, 90, 40],
  [150, 45, 20],
];
const Y = [1, 0, 1, 0];
const p = Float32Array.from({ length: 11 }, (_, i) => Math.sin(i) * 0.5); // w1 (2×3), b1, w2 (1×2), b2
const x = new Float32Array(3);
const h = new Float32Array(2);
const LR = 0.1;

function step(input: readonly number[], t: number): number {
  for (let i = 0; i < 3; i++) {
    const v = input[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`input[${String(i)}] is not finite`);
    x[i] = v;
  }
  for (let j = 0; j < 2; j++) {
    let s = p[6 + j]!;
    for (let i = 0; i < 3; i++) s += p[j * 3 + i]! * x[i]!;
    h[j] = 1 / (1 + Math.exp(-s));
  }
  let s = p[10]!;
  for (let j = 0; j < 2; j++) s += p[8 + j]! * h[j]!;
  const o = 1 / (1 + Math.exp(-s));
  const d2 = 2 * (o - t) * o * (1 - o);
  for (let j = 0; j < 2; j++) {
    const hj = h[j]!;
    const d1 = d2 * p[8 + j]! * hj * (1 - hj);
    p[8 + j]! -= LR * d2 * hj;
    for (let i = 0; i < 3; i++) p[j * 3 + i]! -= LR * d1 * x[i]!;
    p[6 + j]! -= LR * d1;
  }
  p[10]! -= LR * d2;
  return (o - t) * (o - t);
}

for (let i = 0; i < 2e6; i++) step(X[i & 3]!, Y[i & 3]!);
const runs: number[] = [];
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  for (let i = 0; i < 4e6; i++) step(X[i & 3]!, Y[i & 3]!);
  runs.push(((performance.now() - t0) / 4e6) * 1e6);
}
runs.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ workload: 'W1-floor', nsPerStep: runs[2], stepsPerSec: 1e9 / runs[2]! })}\n`);
