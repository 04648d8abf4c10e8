import { afterAll, describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../src/backend/wasm/backend.js';
import { createNodeWasmBackend, enableRelaxedSimd, type NodeWasmOptions } from '../../src/backend/wasm/node.js';
import { SplitChoice } from '../../src/backend/wasm/split-choice.js';
import { Optimizer, type OptimizerSpec } from '../../src/optim/index.js';
import { NeuralNetwork, quantize } from '../../src/index.js';
import { loadMnist } from '../../src/data/node/index.js';
import { copyKernel } from '../../src/backend/js/copy.js';
import { fillRandom, fillSparse } from './backends.js';
import { W2_LAYERS } from '../helpers/w2-network.js';

const wasmWanted = (process.env['NEURITE_BACKEND'] ?? 'wasm') !== 'js';
const flavours = enableRelaxedSimd() ? (['simd', 'relaxed'] as const) : (['simd'] as const);
const SHAPES: [number, number, number][] = [
  [512, 512, 512],
  [64, 784, 128],
  [128, 784, 64],
  [2000, 10, 300],
  [1, 4000, 600],
  [3, 3000, 500],
  [67, 1000, 33],
  [5, 17, 67],
];

describe.runIf(wasmWanted).each(flavours)('wasm (%s): 1 and 2 threads give bit-identical products', (simd) => {
  const one = createWasmBackend({ simd, shared: true });
  const two = createNodeWasmBackend({ simd, threads: 2, minFlops: 0 });
  afterAll(async () => {
    await two.pool?.close();
  });

  // Sparse: A and B hold zero steps (image-like rows), which the packed product skips.
  it.each(SHAPES.flatMap(([m, n, k]) => [false, true].map((sparse) => [m, n, k, sparse] as const)))(
    'm=%i n=%i k=%i (sparse %s), every transpose case',
    (m, n, k, sparse) => {
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const a1 = one.alloc(m * k);
        const b1 = one.alloc(k * n);
        const c1 = one.alloc(m * n);
        if (sparse) {
          fillSparse(a1, ta ? k : m, ta ? m : k, m + k);
          fillSparse(b1, tb ? n : k, tb ? k : n, n + k);
        } else {
          fillRandom(a1, m + k);
          fillRandom(b1, n + k);
        }
        fillRandom(c1, 1);
        const a2 = two.alloc(m * k);
        const b2 = two.alloc(k * n);
        const c2 = two.alloc(m * n);
        a2.set(a1);
        b2.set(b1);
        c2.set(c1);
        one.gemm(ta, tb, m, n, k, 0.5, a1, b1, 0.25, c1);
        two.gemm(ta, tb, m, n, k, 0.5, a2, b2, 0.25, c2);
        let diff = -1;
        for (let i = 0; i < m * n && diff < 0; i++) if (!Object.is(c1[i], c2[i])) diff = i;
        expect(diff, `ta=${String(ta)} tb=${String(tb)}`).toBe(-1);
        for (const x of [a1, b1, c1]) one.free?.(x);
        for (const x of [a2, b2, c2]) two.free?.(x);
      }
    },
  );
});

describe.runIf(wasmWanted)('wasm: optimizer steps split over 2 threads', () => {
  const one = createWasmBackend({ shared: true });
  const two = createNodeWasmBackend({ threads: 2 });
  afterAll(async () => {
    await two.pool?.close();
  });

  // One spec per native kernel (sgd, momentum, adam, rmsprop, adagrad); odd length, so the last chunk is ragged.
  it.each<OptimizerSpec>([
    { type: 'sgd', learningRate: 0.1 },
    { type: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true },
    { type: 'adamw', learningRate: 1e-2, weightDecay: 0.01 },
    { type: 'rmsprop', learningRate: 1e-2, momentum: 0.5 },
    { type: 'adagrad', learningRate: 0.1 },
  ])('$type gives bit-identical parameters and state', (spec) => {
    const n = 100_003;
    const run = (b: typeof one): Float32Array[] => {
      const opt = new Optimizer(spec);
      const [p, g] = [b.alloc(n), b.alloc(n)] as Float32Array[];
      fillRandom(p!, 11);
      for (let t = 1; t <= 3; t++) {
        fillRandom(g!, 100 + t);
        opt.step(b, n, p!, g!);
      }
      return [p!, ...opt.getState().slots];
    };
    const a1 = run(one);
    const a2 = run(two);
    a1.forEach((a, k) => {
      let diff = -1;
      for (let i = 0; i < n && diff < 0; i++) if (!Object.is(a[i], a2[k]![i])) diff = i;
      expect(diff, `array ${k}`).toBe(-1);
    });
  });
});

describe.runIf(wasmWanted)('wasm: caller work meanwhile a split kernel (Backend.run)', () => {
  const two = createNodeWasmBackend({ threads: 2 });
  afterAll(async () => {
    await two.pool?.close();
  });
  const n = 200_001;
  const firstDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number =>
    Array.prototype.findIndex.call(a, (v: number, i: number) => !Object.is(v, b[i]));

  it('runs it once and still finishes the kernel', () => {
    const x = two.alloc(n);
    const y = two.alloc(n);
    fillRandom(x, 3);
    let ran = 0;
    two.run(copyKernel, n, [x, y], {}, () => ran++);
    expect(ran).toBe(1);
    expect(firstDiff(x, y)).toBe(-1);
  });

  it('rethrows what it throws once the workers are done, and the pool keeps working', () => {
    const x = two.alloc(n);
    const y = two.alloc(n);
    fillRandom(x, 4);
    expect(() =>
      two.run(copyKernel, n, [x, y], {}, () => {
        throw new Error('meanwhile failed');
      }),
    ).toThrow('meanwhile failed');
    expect(firstDiff(x, y)).toBe(-1);
    fillRandom(x, 5);
    two.run(copyKernel, n, [x, y], {});
    expect(firstDiff(x, y)).toBe(-1);
  });
});

describe.runIf(wasmWanted)('wasm: row gather split over 2 threads', () => {
  const two = createNodeWasmBackend({ threads: 2 });
  afterAll(async () => {
    await two.pool?.close();
  });

  it('copies the same rows as the reference (odd row count and width)', () => {
    const rows = 301;
    const cols = 787;
    const count = 77;
    const src = two.alloc(rows * cols);
    const dst = two.alloc(count * cols);
    fillRandom(src, 5);
    const order = new Int32Array(rows).map((_v, i) => (i * 37) % rows);
    two.gatherRows(count, cols, order, 3, src, dst);
    let diff = -1;
    for (let r = 0; r < count && diff < 0; r++)
      for (let c = 0; c < cols; c++)
        if (!Object.is(dst[r * cols + c], src[order[3 + r]! * cols + c])) {
          diff = r * cols + c;
          break;
        }
    expect(diff).toBe(-1);
  });
});

describe.runIf(wasmWanted)('wasm: a whole model on 2 threads (the Node default) and on 1', () => {
  const one = createNodeWasmBackend({ threads: 1 });
  const two = createNodeWasmBackend({ threads: 2 });
  // A pool whose split-or-solo choice finds the calling thread alone faster (its clock says a
  // split job takes twice as long per unit of work), so most of its jobs after the first windows
  // run there, and the rest split: the same bits.
  let tick = 0;
  let splitCalls = 0;
  class Timed extends SplitChoice {
    override begin(work: number): boolean {
      const split = super.begin(work);
      if (split) splitCalls++;
      tick += work * (split ? 2e-5 : 1e-5);
      return split;
    }
  }
  const choice = new Timed({ window: 8, clock: () => tick });
  const mixed = createNodeWasmBackend({ threads: 2, choice } as NodeWasmOptions);
  afterAll(async () => {
    await Promise.all([two.pool?.close(), mixed.pool?.close()]);
  });

  // Real digits too: their zero pixels are skipped by the products (see gemm.ts).
  it.each(['random', 'MNIST'])(
    'trains the W2 network to bit-identical weights and predicts, float and quantized, the same bits (%s rows)',
    async (data) => {
      expect(two.threads).toBe(2);
      const rows = 640;
      const x = new Float32Array(rows * 784);
      const y = new Float32Array(rows * 10);
      if (data === 'MNIST') {
        const { train } = loadMnist({ limit: rows });
        x.set(train.x.data);
        y.set(train.y.data);
      } else {
        fillRandom(x, 3, 0, 1);
        for (let r = 0; r < rows; r++) y[r * 10 + ((r * 7) % 10)] = 1;
      }
      const train = async (backend: typeof one): Promise<NeuralNetwork> => {
        const net = new NeuralNetwork({
          layers: W2_LAYERS,
          loss: 'categoricalCrossEntropy',
          seed: 5,
          backend,
        });
        await net.fit(
          { rows, cols: 784, data: x },
          { rows, cols: 10, data: y },
          { epochs: 2, batchSize: 64, optimizer: 'adam' },
        );
        return net;
      };
      const same = (a: Float32Array, b: Float32Array): number => {
        for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
        return a.length === b.length ? -1 : a.length;
      };
      const before = { solo: choice.soloCalls, split: splitCalls };
      const [n1, n2, n3] = [await train(one), await train(two), await train(mixed)];
      // Both ways ran in the mixed pool's fit.
      expect(choice.switches).toBeGreaterThan(0);
      expect(choice.soloCalls).toBeGreaterThan(before.solo + 50);
      expect(splitCalls).toBeGreaterThan(before.split);
      expect(same(n1.getWeights(), n3.getWeights())).toBe(-1);
      expect(same(n1.getWeights(), n2.getWeights())).toBe(-1);
      const batch = { rows, cols: 784, data: x };
      expect(same(n1.predictBatch(batch).data, n2.predictBatch(batch).data)).toBe(-1);
      expect(same(quantize(n1).predictBatch(batch).data, quantize(n2).predictBatch(batch).data)).toBe(-1);
    },
  );
});

describe.runIf(wasmWanted)('wasm: the Node pool starts its workers only when they can be used', () => {
  const first = createNodeWasmBackend({ threads: 2 });
  const second = createNodeWasmBackend({ threads: 2 });
  afterAll(async () => {
    await Promise.all([first.pool?.close(), second.pool?.close()]);
  });

  it('not for seed 002’s 3 → 2 → 1 network, at once for a network whose batches it would split', () => {
    const b = first;
    const net = new NeuralNetwork({ layers: [3, 2, 1], seed: 1, backend: b });
    for (let i = 0; i < 50; i++) net.train([0.1 * i, 1, 2], [1]);
    net.predictBatch({ rows: 100, cols: 3, data: new Float32Array(300) });
    expect(b.pool?.started).toBe(false);
    new NeuralNetwork({ layers: [784, 128, 10], seed: 1, backend: b });
    expect(b.pool?.started).toBe(true);
  });

  it('at the first split product otherwise, with the product as one thread computes it', () => {
    const b = second;
    const one = createWasmBackend({ shared: true });
    expect(b.pool?.started).toBe(false);
    const [m, n, k] = [96, 128, 100];
    const [a1, b1, c1, a2, b2, c2] = [
      one.alloc(m * k),
      one.alloc(k * n),
      one.alloc(m * n),
      b.alloc(m * k),
      b.alloc(k * n),
      b.alloc(m * n),
    ];
    fillRandom(a1!, 1);
    fillRandom(b1!, 2);
    a2!.set(a1!);
    b2!.set(b1!);
    one.gemm(false, false, m, n, k, 1, a1!, b1!, 0, c1!);
    b.gemm(false, false, m, n, k, 1, a2!, b2!, 0, c2!);
    expect(b.pool?.started).toBe(true);
    let diff = -1;
    for (let i = 0; i < m * n && diff < 0; i++) if (!Object.is(c1![i], c2![i])) diff = i;
    expect(diff).toBe(-1);
  });
});

describe.runIf(wasmWanted)('wasm: the pool maps fresh memory ahead of the caller without touching its values', () => {
  const b = createNodeWasmBackend({ threads: 2 });
  afterAll(async () => {
    await b.pool?.close();
  });

  it('keeps every value stored in the stretch while the worker boots, warms up and maps it', async () => {
    // The stretch begins above every block handed out when the pool was made; these blocks fill
    // it, and are written before the worker (started now, ~50 ms to boot) reaches its pages. A
    // worker that stored zeros instead of exchanging zero for zero would wipe them.
    b.pool?.start();
    const blocks = Array.from({ length: 16 }, () => b.alloc((512 << 10) / 4) as Float32Array);
    blocks.forEach((a, i) => a.fill(i + 1));
    const net = new NeuralNetwork({ layers: [784, 64, 10], seed: 1, backend: b });
    const x = new Float32Array(256 * 784);
    fillRandom(x, 3);
    // Split jobs while the worker may still be mapping: it stops at the first one.
    for (let i = 0; i < 5; i++) net.predictBatch({ rows: 256, cols: 784, data: x });
    await new Promise((r) => setTimeout(r, 300));
    blocks.forEach((a, i) => expect(a.every((v) => v === i + 1)).toBe(true));
    expect(b.memory.buffer.byteLength).toBeGreaterThanOrEqual(8 << 20);
  });
});
