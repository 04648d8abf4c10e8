import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NeuralNetwork, NeuriteError, Rng } from '../../src/index.js';
import {
  CROSSOVER_NAMES,
  SELECTION_NAMES,
  crossover,
  genomeDistance,
  genomeLayout,
  mutate,
  selector,
  shareFitness,
  speciate,
} from '../../src/evolve/index.js';

const net = new NeuralNetwork({ layers: [3, 4, 2], activation: 'tanh', seed: 1 });
const layout = genomeLayout(net);
const genome = (seed: number): Float32Array => {
  const r = new Rng(seed);
  return Float32Array.from({ length: layout.length }, () => r.normal());
};

describe('crossover', () => {
  it.each(CROSSOVER_NAMES)('%s keeps the length and takes every gene from one of the parents', (name) => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), fc.integer(), (s1, s2, s3) => {
        const a = genome(s1);
        const b = genome(s2);
        const child = crossover(name, a, b, new Rng(s3), layout);
        expect(child.length).toBe(layout.length);
        child.forEach((v, i) => expect(v === a[i] || v === b[i]).toBe(true));
      }),
      { numRuns: 50 },
    );
  });

  it('neuron crossover moves each neuron (weight row + bias) whole', () => {
    fc.assert(
      fc.property(fc.integer(), (s) => {
        const a = new Float32Array(layout.length).fill(1);
        const b = new Float32Array(layout.length).fill(2);
        const child = crossover('neuron', a, b, new Rng(s), layout);
        for (const l of layout.layers) {
          for (let j = 0; j < l.units; j++) {
            const bias = child[l.biasOffset + j];
            const row = child.subarray(l.weightOffset + j * l.inputs, l.weightOffset + (j + 1) * l.inputs);
            for (const w of row) expect(w).toBe(bias);
          }
        }
      }),
      { numRuns: 50 },
    );
  });

  it('one-point crossover is a prefix of one parent and a suffix of the other', () => {
    const a = new Float32Array(layout.length).fill(1);
    const b = new Float32Array(layout.length).fill(2);
    const child = crossover('onePoint', a, b, new Rng(5), layout);
    const cut = child.indexOf(2);
    if (cut >= 0) for (let i = cut; i < child.length; i++) expect(child[i]).toBe(2);
  });

  it('rejects parents of different lengths (mismatched architectures) with SHAPE_MISMATCH', () => {
    const other = new NeuralNetwork({ layers: [3, 5, 2], seed: 1 }).getWeights();
    const err = (() => {
      try {
        crossover('uniform', genome(1), other, new Rng(1));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(NeuriteError);
    expect((err as NeuriteError).code).toBe('SHAPE_MISMATCH');
  });

  it('rejects unknown types with INVALID_OPTION', () => {
    expect(() => crossover('bogus' as never, genome(1), genome(2), new Rng(1))).toThrow(NeuriteError);
  });
});

describe('mutation', () => {
  it('keeps the length; rate 0 changes nothing; rate 1 changes every weight', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0.01, max: 2, noNaN: true }), (s, scale) => {
        const g = genome(s);
        const same = Float32Array.from(g);
        expect(mutate(same, new Rng(s), { rate: 0, scale, resetRate: 0 })).toBe(0);
        expect(same).toEqual(g);
        const all = Float32Array.from(g);
        expect(mutate(all, new Rng(s), { rate: 1, scale, resetRate: 0 })).toBe(g.length);
        expect(all.length).toBe(g.length);
      }),
      { numRuns: 50 },
    );
  });

  it('changes about rate·n weights, by about scale', () => {
    const g = new Float32Array(20000);
    const n = mutate(g, new Rng(1), { rate: 0.1, scale: 0.5 });
    expect(n).toBeGreaterThan(1800);
    expect(n).toBeLessThan(2200);
    const changed = g.filter((v) => v !== 0);
    const std = Math.sqrt(changed.reduce((s, v) => s + v * v, 0) / changed.length);
    expect(std).toBeGreaterThan(0.45);
    expect(std).toBeLessThan(0.55);
  });
});

describe('selection', () => {
  it.each(SELECTION_NAMES)('%s returns valid indices and favours the fitter', (type) => {
    const fitness = Array.from({ length: 20 }, (_, i) => i - 5);
    const pick = selector({ type, size: 3 }, fitness);
    const rng = new Rng(1);
    let sum = 0;
    for (let t = 0; t < 2000; t++) {
      const i = pick(rng);
      expect(Number.isInteger(i) && i >= 0 && i < 20).toBe(true);
      sum += fitness[i] ?? 0;
    }
    const uniformMean = fitness.reduce((s, f) => s + f, 0) / fitness.length;
    expect(sum / 2000).toBeGreaterThan(uniformMean + 1);
  });

  it('selects only from the given pool', () => {
    const pick = selector('tournament', [9, 9, 9, 0, 1], [3, 4]);
    const rng = new Rng(2);
    for (let t = 0; t < 100; t++) expect([3, 4]).toContain(pick(rng));
  });
});

describe('speciation', () => {
  it('distance is 0 for equal genomes and symmetric', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (s1, s2) => {
        const a = genome(s1);
        const b = genome(s2);
        expect(genomeDistance(a, a)).toBe(0);
        expect(genomeDistance(a, b, 'rms')).toBeCloseTo(genomeDistance(b, a, 'rms'), 12);
      }),
      { numRuns: 30 },
    );
  });

  it('groups genomes by distance and shares fitness within species', () => {
    const near = [new Float32Array(4).fill(0), new Float32Array(4).fill(0.1), new Float32Array(4).fill(5)];
    const species = speciate(near, [], 0.5, 'meanAbs', { value: 0 });
    expect(species.map((s) => s.members)).toEqual([[0, 1], [2]]);
    const shared = shareFitness([10, 10, 10], species);
    expect(shared[0]).toBeCloseTo((shared[2] ?? 0) / 2, 12);
  });
});
