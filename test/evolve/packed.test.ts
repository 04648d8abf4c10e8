import { describe, expect, it } from 'vitest';
import '../../src/backend/wasm/index.js';
import { NeuralNetwork, Rng, getBackend } from '../../src/index.js';
import { BatchForward, evaluateBatch, forwardBatch, genomeLayout, type GenomeLayout } from '../../src/evolve/index.js';
import { PackedForward } from '../../src/evolve/packed-eval.js';
import { ActId } from '../../src/backend/types.js';
import { NeuriteError } from '../../src/core/errors.js';
import { getActivation } from '../../src/nn/activations.js';

/** The per-genome path (BatchForward, one genome at a time): the reference the packed path must match. */
function perGenome(
  layout: GenomeLayout,
  genomes: Float32Array[],
  inputs: number[][],
  backend: string,
  activations: 'exact' | 'fast',
): Float32Array {
  const fwd = new BatchForward(layout, inputs, backend, activations);
  const size = inputs.length * layout.outputs;
  const all = new Float32Array(genomes.length * size);
  genomes.forEach((g, i) => all.set(fwd.run(g).subarray(0, size), i * size));
  fwd.dispose();
  return all;
}

function population(options: ConstructorParameters<typeof NeuralNetwork>[0], size: number, seed: number) {
  const rng = new Rng(seed);
  const layout = genomeLayout(new NeuralNetwork({ ...options, seed, backend: 'js' }));
  const genomes = Array.from({ length: size }, () =>
    Float32Array.from({ length: layout.length }, () => rng.normal(0, 1.5)),
  );
  return { layout, genomes, rng };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

const hasWasm = getBackend('auto').name === 'wasm';

describe('packed population forward', () => {
  // 103 rows (not a multiple of 4) and 130 genomes (several chunks, a partial last one).
  const { layout, genomes, rng } = population({ layers: [4, 8, 2], activation: 'tanh' }, 130, 11);
  const inputs = Array.from({ length: 103 }, () => Array.from({ length: 4 }, () => rng.uniform(-3, 3)));

  it("'exact' on js is bit-identical to the per-genome path", () => {
    const packed = forwardBatch(layout, genomes, inputs, { backend: 'js' });
    expect(packed).toEqual(perGenome(layout, genomes, inputs, 'js', 'exact'));
  });

  it("'fast' on js is bit-identical to the per-genome 'fast' path", () => {
    const packed = forwardBatch(layout, genomes, inputs, { backend: 'js', activations: 'fast' });
    expect(packed).toEqual(perGenome(layout, genomes, inputs, 'js', 'fast'));
  });

  it('on js, bit-identical to the per-genome path for widths off the four-sum unroll, every activation', () => {
    // Layer widths 5, 7, 6, 3, 1 exercise the dot product's remainder loop (k mod 4 = 1, 3, 2) and
    // a single-unit layer; every activation runs through the same population kernel.
    const net = population(
      {
        layers: [
          5,
          { units: 7, activation: 'sigmoid' },
          { units: 6, activation: 'leakyRelu', alpha: 0.2 },
          { units: 3, activation: 'elu' },
          { units: 5, activation: 'gelu' },
          { units: 3, activation: 'softplus' },
          { units: 1, activation: 'relu' },
          { units: 2, activation: 'linear' },
          { units: 3, activation: 'softmax' },
        ],
      },
      23,
      8,
    );
    const xs = Array.from({ length: 11 }, () => Array.from({ length: 5 }, () => net.rng.uniform(-2, 2)));
    for (const activations of ['exact', 'fast'] as const) {
      const packed = forwardBatch(net.layout, net.genomes, xs, { backend: 'js', activations });
      expect(packed).toEqual(perGenome(net.layout, net.genomes, xs, 'js', activations));
      // Chunks of 4 genomes (the last one partial) give the same outputs.
      const pf = new PackedForward(net.layout, xs, 'js', activations, 4);
      const size = xs.length * net.layout.outputs;
      for (let s = 0; s < net.genomes.length; s += 4) {
        const n = Math.min(4, net.genomes.length - s);
        expect(pf.run(net.genomes, s, n).subarray(0, n * size)).toEqual(packed.subarray(s * size, (s + n) * size));
      }
      pf.dispose();
    }
  });

  it('refuses an activation without a kernel id (the kernel could not run it) with a NeuriteError', () => {
    const custom = { ...getActivation('tanh'), id: ActId.custom };
    const odd = { ...layout, layers: layout.layers.map((l, i) => (i === 1 ? { ...l, activation: custom } : l)) };
    let error: unknown;
    try {
      new PackedForward(odd, inputs, 'js');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NeuriteError);
    expect((error as NeuriteError).code).toBe('UNSUPPORTED');
    expect((error as NeuriteError).message).toMatch(/layer 2's activation "tanh" has no kernel id/);
  });

  it.runIf(hasWasm)("'exact' tanh on wasm runs the kernel's reference: bit-identical to the js path", () => {
    // The wasm build's population kernel runs linear, relu and the fast tanh/sigmoid only; it
    // declines exact tanh, so the backend runs the reference on its arrays.
    const packed = forwardBatch(layout, genomes, inputs, { backend: 'wasm' });
    expect(packed).toEqual(perGenome(layout, genomes, inputs, 'js', 'exact'));
    // The per-genome wasm path sums in float32 (SIMD gemm): a few ulps of the pre-activations.
    expect(maxAbsDiff(packed, perGenome(layout, genomes, inputs, 'wasm', 'exact'))).toBeLessThan(1e-5);
  });

  it.runIf(hasWasm)("'fast' on wasm (native kernel) is within float32 rounding of the per-genome path", () => {
    expect(getBackend('wasm').accelerates('populationForward')).toBe(true);
    const packed = forwardBatch(layout, genomes, inputs, { backend: 'wasm', activations: 'fast' });
    const reference = perGenome(layout, genomes, inputs, 'js', 'exact');
    expect(packed.length).toBe(reference.length);
    // Float32 sums in input order: a few ulps of pre-activations up to ~30 here.
    expect(maxAbsDiff(packed, reference)).toBeLessThan(1e-5);
    expect(maxAbsDiff(packed, perGenome(layout, genomes, inputs, 'wasm', 'fast'))).toBeLessThan(1e-5);
  });

  it.runIf(hasWasm)('the native kernel runs sigmoid, relu and linear layers and deeper networks', () => {
    const p = population({ layers: [3, 7, 5, { units: 3, activation: 'linear' }], activation: 'sigmoid' }, 20, 3);
    const q = population({ layers: [6, 9, 1], activation: 'relu' }, 20, 4);
    for (const { layout: l, genomes: gs, rng: r } of [p, q]) {
      const xs = Array.from({ length: 13 }, () => Array.from({ length: l.inputs }, () => r.uniform(-2, 2)));
      const packed = forwardBatch(l, gs, xs, { backend: 'wasm', activations: 'fast' });
      const reference = perGenome(l, gs, xs, 'js', 'exact');
      expect(maxAbsDiff(packed, reference)).toBeLessThan(1e-4);
    }
  });

  it('evaluateBatch scores the same outputs as forwardBatch, in genome order, reproducibly', () => {
    for (const backend of hasWasm ? ['js', 'wasm'] : ['js']) {
      for (const activations of ['exact', 'fast'] as const) {
        const all = forwardBatch(layout, genomes, inputs, { backend, activations });
        const size = inputs.length * layout.outputs;
        const seen: number[] = [];
        const scores = evaluateBatch(
          layout,
          genomes,
          inputs,
          (y, i) => {
            seen.push(i);
            expect(y.length).toBe(size);
            expect(Array.from(y)).toEqual(Array.from(all.subarray(i * size, (i + 1) * size)));
            return y[0] as number;
          },
          { backend, activations },
        );
        expect(seen).toEqual(genomes.map((_, i) => i));
        const again = evaluateBatch(layout, genomes, inputs, (y) => y[0] as number, { backend, activations });
        expect(again).toEqual(scores);
      }
    }
  });

  it('softmax outputs fall back to the backend kernels and still equal predictBatch', () => {
    const nets = [5, 6].map(
      (seed) =>
        new NeuralNetwork({
          layers: [4, 8, { units: 3, activation: 'softmax' }],
          activation: 'tanh',
          seed,
          backend: 'js',
        }),
    );
    const gs = nets.map((n) => n.getWeights());
    for (const activations of ['exact', 'fast'] as const) {
      const all = forwardBatch(nets[0] as NeuralNetwork, gs, inputs, { backend: 'wasm', activations });
      const exact = forwardBatch(nets[0] as NeuralNetwork, gs, inputs, { backend: 'js' });
      nets.forEach((n, i) => {
        const size = inputs.length * 3;
        expect(exact.subarray(i * size, (i + 1) * size)).toEqual(n.predictBatch(inputs).data);
        expect(maxAbsDiff(all.subarray(i * size, (i + 1) * size), n.predictBatch(inputs).data)).toBeLessThan(1e-5);
      });
    }
  });

  it('an explicit chunk size gives the same outputs', () => {
    const pf = new PackedForward(layout, inputs, 'js', 'exact', 7);
    const size = inputs.length * layout.outputs;
    const whole = forwardBatch(layout, genomes, inputs, { backend: 'js' });
    for (let s = 0; s < genomes.length; s += 7) {
      const n = Math.min(7, genomes.length - s);
      expect(pf.run(genomes, s, n).subarray(0, n * size)).toEqual(whole.subarray(s * size, (s + n) * size));
    }
    pf.dispose();
  });
});
