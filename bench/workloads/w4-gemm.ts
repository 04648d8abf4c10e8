// W4: C = A·B in float32; GFLOP/s = 2·M·N·K / s, median of repeated products after a warm-up
// (≥ 3 products and ≥ 0.2 s, the same rule as the Python peers).
import { median, seconds, warmUp } from '../lib/stats.js';
import { loadTf, NEURITE, neuriteBackend, TFJS } from '../lib/subjects.js';
import type { Workload } from '../lib/types.js';

const SHAPES: [number, number, number][] = [
  [128, 128, 128],
  [256, 256, 256],
  [512, 512, 512],
  [1024, 1024, 1024],
  [64, 128, 784],
  [64, 64, 128],
  [2000, 128, 784],
];

/** Enough repetitions for ~0.3 s (or ~0.1 s quick) of work, at least 3. */
function reps(flops: number, gflops: number, quick: boolean): number {
  return Math.max(3, Math.min(200, Math.round(((quick ? 0.1 : 0.3) * gflops * 1e9) / flops)));
}

function fill(a: Float32Array, seed: number): void {
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(seed + i * 0.37) * 0.5;
}

const workload: Workload = {
  id: 'W4',
  title: 'gemm C = A·B (float32)',
  subjects: [...NEURITE, ...TFJS],
  baseline: 'tfjs-wasm',
  async run(subject, emit, { quick }) {
    for (const [m, n, k] of SHAPES) {
      const flops = 2 * m * n * k;
      const shape = `${String(m)}x${String(k)}·${String(k)}x${String(n)}`;
      let times: number[] = [];
      let detail: string;
      if (subject.startsWith('neurite')) {
        const nb = neuriteBackend(subject);
        const b = nb.backend;
        detail = nb.detail;
        const a = b.alloc(m * k) as Float32Array;
        const bb = b.alloc(k * n) as Float32Array;
        const c = b.alloc(m * n) as Float32Array;
        fill(a, 1);
        fill(bb, 2);
        const once = (): number => seconds(() => b.gemm(false, false, m, n, k, 1, a, bb, 0, c));
        warmUp(once, 3, quick ? 0.05 : 0.2);
        const first = Math.max(once(), 1e-6);
        const r = reps(flops, flops / first / 1e9, quick);
        times = Array.from({ length: r }, once);
      } else {
        const { tf, detail: d } = await loadTf(subject);
        detail = d;
        const a = tf.tensor2d(
          Float32Array.from({ length: m * k }, (_, i) => Math.sin(1 + i * 0.37) * 0.5),
          [m, k],
        );
        const bb = tf.tensor2d(
          Float32Array.from({ length: k * n }, (_, i) => Math.sin(2 + i * 0.37) * 0.5),
          [k, n],
        );
        // dataSync makes the product run to completion inside the timed region.
        const once = (): number =>
          seconds(() => {
            const c = tf.matMul(a, bb);
            c.dataSync();
            c.dispose();
          });
        warmUp(once, 3, quick ? 0.05 : 0.2);
        const first = Math.max(once(), 1e-6);
        const r = reps(flops, flops / first / 1e9, quick);
        times = Array.from({ length: r }, once);
      }
      emit({
        metric: `gflops ${shape}`,
        value: flops / median(times) / 1e9,
        unit: 'GFLOP/s',
        better: 'higher',
        detail,
        reps: times.length,
      });
    }
  },
};
export default workload;
