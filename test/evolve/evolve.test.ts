import { describe, expect, it } from 'vitest';
import { NeuralNetwork, NeuriteError } from '../../src/index.js';
import { Population, evaluateBatch, evolve, forwardBatch, type EvolveOptions } from '../../src/evolve/index.js';

const xs = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const ys = [0, 1, 1, 0];
/** −MSE on XOR through the ordinary network API. */
const xorFitness = (net: NeuralNetwork): number =>
  -xs.reduce((s, x, i) => s + ((net.predict(x)[0] ?? 0) - (ys[i] ?? 0)) ** 2, 0) / 4;
const base: EvolveOptions = { layers: [2, 3, 1], populationSize: 30, generations: 15, fitness: xorFitness };

describe('evolve', () => {
  it('is reproducible bit for bit from one seed (and differs with another)', async () => {
    const opts: EvolveOptions = { ...base, seed: 7, speciation: { threshold: 0.3 }, crossover: { type: 'twoPoint' } };
    const a = await evolve(opts);
    const b = await evolve(opts);
    expect(b.history).toEqual(a.history);
    expect(b.best.getWeights()).toEqual(a.best.getWeights());
    const c = await evolve({ ...opts, seed: 8 });
    expect(c.best.getWeights()).not.toEqual(a.best.getWeights());
  });

  it('selection pressure raises mean fitness on a simple objective', async () => {
    // Maximise the sum of the weights: trivially rewarded by selection, not by mutation alone.
    const { history } = await evolve({
      layers: [3, 3, 1],
      populationSize: 40,
      generations: 20,
      seed: 1,
      fitness: (net) => net.getWeights().reduce((s, w) => s + w, 0),
    });
    const first = history[0]?.mean ?? 0;
    const last = history[history.length - 1]?.mean ?? 0;
    expect(last).toBeGreaterThan(first + 5);
  });

  it('reports per-generation stats and stops at a generation limit', async () => {
    const seen: number[] = [];
    const r = await evolve({
      ...base,
      seed: 1,
      speciation: { threshold: 0.2 },
      onGeneration: (s) => void seen.push(s.generation),
    });
    expect(r.stopReason).toBe('generations');
    expect(r.generations).toBe(15);
    expect(seen).toEqual([...Array(15).keys()]);
    for (const s of r.history) {
      expect(s.best).toBeGreaterThanOrEqual(s.mean);
      expect(s.mean).toBeGreaterThanOrEqual(s.worst);
      expect(s.diversity).toBeGreaterThan(0);
      expect(s.species).toBeGreaterThanOrEqual(1);
    }
    // Elitism keeps the best: the best fitness never goes down.
    for (let g = 1; g < r.history.length; g++) {
      expect(r.history[g]?.best).toBeGreaterThanOrEqual(r.history[g - 1]?.best ?? -Infinity);
    }
  });

  it('accepts async fitness and gives the same run as the sync one', async () => {
    const sync = await evolve({ ...base, seed: 3 });
    const async = await evolve({ ...base, seed: 3, fitness: (net) => Promise.resolve(xorFitness(net)) });
    expect(async.history).toEqual(sync.history);
  });

  it('batchFitness gives the same run as the per-network fitness', async () => {
    const sync = await evolve({ ...base, seed: 4, backend: 'js' });
    const noFitness = Object.fromEntries(Object.entries(base).filter(([k]) => k !== 'fitness')) as Omit<
      typeof base,
      'fitness'
    >;
    const batch = await evolve({
      ...noFitness,
      seed: 4,
      backend: 'js',
      batchFitness: { inputs: xs, score: (y) => -ys.reduce((s, t, i) => s + ((y[i] ?? 0) - t) ** 2, 0) / 4 },
    });
    expect(batch.history.map((h) => h.best)).toEqual(sync.history.map((h) => h.best));
  });

  it('stops at the target fitness and on an abort signal, keeping the best', async () => {
    const t = await evolve({ ...base, seed: 1, generations: 100, targetFitness: -0.2 });
    expect(t.stopReason).toBe('targetFitness');
    expect(t.bestFitness).toBeGreaterThanOrEqual(-0.2);
    const ctl = new AbortController();
    const a = await evolve({
      ...base,
      seed: 1,
      signal: ctl.signal,
      onGeneration: (s) => (s.generation === 2 ? ctl.abort() : undefined),
    });
    expect(a.stopReason).toBe('aborted');
    expect(a.generations).toBe(3);
  });

  it('returns an ordinary NeuralNetwork: JSON round trip predicts the same, and it can be trained further', async () => {
    const r = await evolve({ ...base, seed: 2 });
    const copy = NeuralNetwork.fromJSON(JSON.parse(JSON.stringify(r.best.toJSON())));
    for (const x of xs) expect(copy.predict(x)).toEqual(r.best.predict(x));
    expect(xorFitness(r.best)).toBeCloseTo(r.bestFitness, 6);
    const before = r.best.evaluate(
      xs,
      ys.map((y) => [y]),
    ).loss;
    await r.best.fit(
      xs,
      ys.map((y) => [y]),
      { epochs: 200, batchSize: 4, optimizer: 'adam' },
    );
    expect(
      r.best.evaluate(
        xs,
        ys.map((y) => [y]),
      ).loss,
    ).toBeLessThan(before);
  });

  it('starts from a given network (its weights are individual 0) and supports step-by-step control', async () => {
    const net = new NeuralNetwork({ layers: [2, 3, 1], seed: 5 });
    const pop = new Population({ network: net, populationSize: 10, seed: 1, fitness: xorFitness });
    expect(pop.genomes[0]).toEqual(net.getWeights());
    const s0 = await pop.step();
    expect(s0.generation).toBe(0);
    expect(pop.generation).toBe(1);
    const s1 = await pop.evaluate();
    expect(s1.generation).toBe(1);
    expect(pop.best).toBeInstanceOf(NeuralNetwork);
  });
});

describe('errors', () => {
  const bad: [string, Partial<EvolveOptions>][] = [
    ['population < 2', { populationSize: 1 }],
    ['mutation rate > 1', { mutation: { rate: 1.5 } }],
    ['reset rate < 0', { mutation: { resetRate: -0.1 } }],
    ['crossover rate > 1', { crossover: { rate: 2 } }],
    ['unknown selection', { selection: { type: 'best' as never } }],
    ['elitism >= population', { elitism: 30 }],
    ['two fitness sources', { parallel: { evaluate: () => Promise.resolve([]) } }],
  ];
  it.each(bad)('%s → INVALID_OPTION', async (_name, opts) => {
    await expect(evolve({ ...base, ...opts } as EvolveOptions)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('a throwing fitness stops the run with FITNESS_ERROR naming genome and generation, best kept', async () => {
    let calls = 0;
    const err = await evolve({
      ...base,
      seed: 1,
      fitness: (net) => {
        if (++calls === 45) throw new Error('simulator crashed');
        return xorFitness(net);
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NeuriteError);
    const e = err as NeuriteError;
    expect(e.code).toBe('FITNESS_ERROR');
    // 30 in generation 0, then 29 per generation (1 elite carried): call 45 is genome 15 of generation 1.
    expect(e.details).toMatchObject({ generation: 1, index: 15 });
    expect(e.message).toMatch(/genome 15 in generation 1: simulator crashed/);
    expect(e.details?.['best']).toBeInstanceOf(NeuralNetwork);
    expect(xorFitness(e.details?.['best'] as NeuralNetwork)).toBeCloseTo(e.details?.['bestFitness'] as number, 6);
  });

  it('a NaN fitness is a FITNESS_ERROR too', async () => {
    await expect(evolve({ ...base, seed: 1, fitness: () => NaN })).rejects.toMatchObject({
      code: 'FITNESS_ERROR',
      details: { generation: 0, index: 0 },
    });
  });
});

describe('batch forward', () => {
  it('matches predictBatch of the same networks', () => {
    const nets = [1, 2, 3].map(
      (seed) =>
        new NeuralNetwork({
          layers: [4, 8, { units: 2, activation: 'softmax' }],
          activation: 'tanh',
          seed,
          backend: 'js',
        }),
    );
    const inputs = Array.from({ length: 10 }, (_, i) => [i / 10, -i / 5, 0.3, 1 - i / 7]);
    const genomes = nets.map((n) => n.getWeights());
    const all = forwardBatch(nets[0] as NeuralNetwork, genomes, inputs, { backend: 'js' });
    nets.forEach((n, i) => {
      const expected = n.predictBatch(inputs).data;
      expect(all.subarray(i * 20, (i + 1) * 20)).toEqual(expected);
    });
    const sums = evaluateBatch(nets[0] as NeuralNetwork, genomes, inputs, (y) => y[0] ?? 0, { backend: 'js' });
    expect(sums.length).toBe(3);
  });
});
