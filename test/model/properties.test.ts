import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, NeuralNetwork, Rng, type LayerSpec } from '../../src/index.js';
import { testBackend } from '../helpers/backends.js';
import { randomRows } from '../helpers/random.js';

const layerArb: fc.Arbitrary<LayerSpec> = fc.record(
  {
    units: fc.integer({ min: 1, max: 6 }),
    activation: fc.constantFrom(...ACTIVATION_NAMES),
    alpha: fc.double({ min: 0.01, max: 2, noNaN: true }),
    dropout: fc.constantFrom(0, 0.2),
  },
  { requiredKeys: ['units', 'activation'] },
);

interface Arch {
  inputs: number;
  hidden: LayerSpec[];
  output: LayerSpec;
  seed: number;
}

const archArb: fc.Arbitrary<Arch> = fc.record({
  inputs: fc.integer({ min: 1, max: 6 }),
  hidden: fc.array(layerArb, { minLength: 0, maxLength: 3 }),
  output: layerArb.map((l) => ({ ...l, dropout: 0 })),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
});

function build(a: Arch): NeuralNetwork {
  return new NeuralNetwork({ layers: [a.inputs, ...a.hidden, a.output], seed: a.seed, backend: testBackend() });
}

const bits = (x: Float32Array): number[] => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

describe('properties', () => {
  it('JSON round trip (through JSON.stringify/parse) gives bit-identical predictions', () => {
    fc.assert(
      fc.property(archArb, fc.integer({ min: 1, max: 5 }), (a, rows) => {
        const net = build(a);
        const rng = new Rng(a.seed);
        // Arbitrary weights, not only initial ones (including biases and extreme-ish values).
        net.setWeights(Array.from({ length: net.parameterCount }, () => rng.normal(0, 2)));
        net.metadata = { note: 'round trip', classes: ['a', 'b'] };
        const text = JSON.stringify(net);
        const back = NeuralNetwork.fromJSON(JSON.parse(text));
        const x = randomRows(rng, rows, a.inputs, -3, 3);
        expect(bits(back.predictBatch(x).data)).toEqual(bits(net.predictBatch(x).data));
        expect(bits(back.getWeights())).toEqual(bits(net.getWeights()));
        expect(JSON.stringify(back)).toBe(text);
        expect(back.metadata).toEqual(net.metadata);
        expect(back.layers.map((l) => l.config)).toEqual(net.layers.map((l) => l.config));
        const copy = net.clone();
        expect(bits(copy.predictBatch(x).data)).toEqual(bits(net.predictBatch(x).data));
      }),
      { numRuns: 60, seed: 1 },
    );
  });

  it('setWeights then getWeights is the identity on float32 vectors, and getWeights→setWeights changes nothing', () => {
    fc.assert(
      fc.property(archArb, fc.integer(), (a, s) => {
        const net = build(a);
        const before = net.getWeights();
        net.setWeights(before);
        expect(bits(net.getWeights())).toEqual(bits(before));
        const rng = new Rng(s);
        const w = Float32Array.from({ length: net.parameterCount }, () => rng.uniform(-1e3, 1e3));
        net.setWeights(w);
        expect(bits(net.getWeights())).toEqual(bits(w));
        // Each layer's views see the same numbers in the documented order.
        let o = 0;
        for (const l of net.layers) {
          expect(bits(Float32Array.from(l.weights))).toEqual(bits(w.subarray(o, o + l.weights.length)));
          o += l.weights.length;
          expect(bits(Float32Array.from(l.biases))).toEqual(bits(w.subarray(o, o + l.units)));
          o += l.units;
        }
      }),
      { numRuns: 60, seed: 2 },
    );
  });

  it('the same seed gives identical history and weights (shuffle, dropout, init); another seed does not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 }), async (seed) => {
        const rng = new Rng(99);
        const x = randomRows(rng, 20, 3);
        const y = x.map((r) => [r[0]! * r[1]!, r[2]!]);
        const run = async (s: number): Promise<{ loss: number[]; w: Float32Array }> => {
          const net = new NeuralNetwork({
            layers: [3, { units: 6, activation: 'relu', dropout: 0.3 }, { units: 2, activation: 'linear' }],
            seed: s,
            backend: testBackend(),
          });
          const h = await net.fit(x, y, { epochs: 3, batchSize: 4, validationSplit: 0.2, optimizer: 'adam' });
          return { loss: [...h.loss, ...(h.valLoss ?? [])], w: net.getWeights() };
        };
        const a = await run(seed);
        const b = await run(seed);
        const c = await run(seed + 1);
        expect(a.loss).toEqual(b.loss);
        expect(bits(a.w)).toEqual(bits(b.w));
        expect(c.loss).not.toEqual(a.loss);
        expect(bits(c.w)).not.toEqual(bits(a.w));
      }),
      { numRuns: 10, seed: 3 },
    );
  });

  it('shuffling follows the seed: same weights, different seeds give different trajectories', async () => {
    const rng = new Rng(5);
    const x = randomRows(rng, 16, 2);
    const y = x.map((r) => [r[0]! - r[1]!]);
    const base = new NeuralNetwork({ layers: [2, 3, 1], seed: 1, backend: testBackend() });
    const run = async (seed: number): Promise<number[]> => {
      const net = new NeuralNetwork({ layers: [2, 3, 1], seed, backend: testBackend() });
      net.setWeights(base.getWeights());
      return (await net.fit(x, y, { epochs: 3, batchSize: 4 })).loss;
    };
    expect(await run(10)).toEqual(await run(10));
    expect(await run(10)).not.toEqual(await run(11));
  });
});
