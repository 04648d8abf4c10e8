import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NeuralNetwork, Rng, type FitOptions, type ModelJSON, type RngState } from '../../src/index.js';
import { testBackend } from '../helpers/backends.js';
import { expectCode } from '../helpers/errors.js';
import { randomRows } from '../helpers/random.js';

const data = new Rng(5);
const X = randomRows(data, 24, 3);
const Y = randomRows(data, 24, 2);

/** A network whose training draws from its generator every epoch: a dropout layer, shuffled batches. */
const build = (): NeuralNetwork =>
  new NeuralNetwork({
    layers: [3, { units: 8, activation: 'relu', dropout: 0.3 }, { units: 2, activation: 'tanh' }],
    seed: 13,
    backend: testBackend(),
  });

// Shuffling is fit's default; spelled out because it is what this file is about.
const fitFor = (epochs: number): FitOptions => ({ epochs, batchSize: 5, optimizer: 'adam', shuffle: true });

/** Through text, as a model file goes. */
const load = (json: unknown): NeuralNetwork =>
  NeuralNetwork.fromJSON(JSON.parse(JSON.stringify(json)), { backend: testBackend() });

const bits = (x: Float32Array): number[] => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

describe('Rng.getState / setState', () => {
  it('continues the stream exactly, including a cached normal spare, on another generator too', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 9 }), (seed, draws) => {
        const rng = new Rng(seed);
        for (let i = 0; i < draws; i++) rng.normal();
        const state = rng.getState();
        expect(JSON.parse(JSON.stringify(state))).toEqual(state);
        expect('spare' in state).toBe(draws % 2 === 1);
        const ahead = [rng.normal(), rng.uint32(), rng.next(), rng.normal()];
        const other = new Rng(seed + 1);
        other.setState(state);
        expect([other.normal(), other.uint32(), other.next(), other.normal()]).toEqual(ahead);
        rng.setState(state);
        expect([rng.normal(), rng.uint32(), rng.next(), rng.normal()]).toEqual(ahead);
      }),
      { numRuns: 50, seed: 3 },
    );
  });

  it('returns a copy and refuses an invalid state with INVALID_OPTION, changing nothing', () => {
    const rng = new Rng(1);
    const state = rng.getState();
    state.words[0] = 0;
    expect(rng.getState().words[0]).not.toBe(0);
    const before = rng.getState();
    const bad = { words: [1, 2, 3, -1] } as unknown as RngState;
    expectCode(
      () => rng.setState(bad),
      'INVALID_OPTION',
      /Rng state: words\[3\] must be an integer in \[0, 4294967296\), got -1/,
    );
    expectCode(
      () => rng.setState({ words: [1, 2, 3, 4], spare: NaN }),
      'INVALID_OPTION',
      /spare must be a finite number/,
    );
    expect(rng.getState()).toEqual(before);
  });
});

describe('model files carry the generator position with the training state', () => {
  it('fit 3 epochs (shuffled, with dropout), save as text, load, fit 4 = fit 7 (bit for bit)', async () => {
    const straight = build();
    const all = await straight.fit(X, Y, fitFor(7));
    const first = build();
    await first.fit(X, Y, fitFor(3));
    const saved = first.toJSON();
    expect(saved.optimizerState?.rng).toEqual(first.engine.rng.getState());
    const resumed = load(saved);
    expect(resumed.engine.rng.getState()).toEqual(first.engine.rng.getState());
    const rest = await resumed.fit(X, Y, fitFor(4));
    expect(bits(resumed.getWeights())).toEqual(bits(straight.getWeights()));
    expect(rest.loss).toEqual(all.loss.slice(3));
    expect(JSON.stringify(resumed)).toBe(JSON.stringify(straight));

    // The same file without the generator position restarts it from `seed`: the run then differs,
    // so the check above depends on the restore.
    const noRng = JSON.parse(JSON.stringify(saved)) as ModelJSON;
    delete noRng.optimizerState?.rng;
    const reseeded = load(noRng);
    await reseeded.fit(X, Y, fitFor(4));
    expect(bits(reseeded.getWeights())).not.toEqual(bits(straight.getWeights()));
  });

  it('on one network too: each epoch shuffles afresh from the generator, so fit 3 + fit 4 = fit 7', async () => {
    const straight = build();
    await straight.fit(X, Y, fitFor(7));
    const net = build();
    await net.fit(X, Y, fitFor(3));
    await net.fit(X, Y, fitFor(4));
    expect(bits(net.getWeights())).toEqual(bits(straight.getWeights()));
  });

  it('saves and restores a cached normal spare', () => {
    // 3 × 5 = 15 normal draws leave the second value of the last pair cached.
    const net = new NeuralNetwork({ layers: [3, { units: 5, activation: 'relu', init: 'heNormal' }], seed: 2 });
    const spare = net.toJSON().optimizerState?.rng?.spare;
    expect(typeof spare).toBe('number');
    net.engine.rng.setState({ words: [1, 2, 3, 4], spare: 0.25 });
    const back = load(net);
    expect(back.engine.rng.getState()).toEqual({ words: [1, 2, 3, 4], spare: 0.25 });
    expect(back.engine.rng.normal()).toBe(0.25);
    net.engine.rng.setState({ words: [1, 2, 3, 4] });
    expect(load(net).engine.rng.normal()).not.toBe(0.25);
  });

  it('optimizerState: false leaves the generator out; old files without it load, re-seeded from seed', async () => {
    const net = build();
    await net.fit(X, Y, fitFor(2));
    const lean = net.toJSON({ optimizerState: false });
    expect('optimizerState' in lean).toBe(false);
    expect(JSON.stringify(lean)).not.toContain('"rng"');
    const fresh = build().engine.rng.getState();
    expect(load(lean).engine.rng.getState()).toEqual(fresh);

    // A file written before the generator was saved: optimizer state without `rng`.
    const old = JSON.parse(JSON.stringify(net)) as ModelJSON;
    delete old.optimizerState?.rng;
    const back = load(old);
    expect(back.engine.rng.getState()).toEqual(fresh);
    expect(back.optimizer.t).toBe(net.optimizer.t);
    expect(bits(back.getWeights())).toEqual(bits(net.getWeights()));
    await back.fit(X, Y, fitFor(1));
    expect(back.getWeights().every(Number.isFinite)).toBe(true);
  });

  it('corrupt generator state is refused with INVALID_MODEL naming the field', async () => {
    const net = build();
    await net.fit(X, Y, fitFor(1));
    const base = JSON.parse(JSON.stringify(net)) as Record<string, unknown>;
    const state = base['optimizerState'] as Record<string, unknown>;
    const words = (state['rng'] as RngState).words;
    const withRng = (rng: unknown): unknown => ({ ...base, optimizerState: { ...state, rng } });
    const expectInvalid = (rng: unknown, message: RegExp): void => {
      expectCode(() => NeuralNetwork.fromJSON(withRng(rng)), 'INVALID_MODEL', message);
    };
    const at = (i: number, v: unknown): unknown[] => words.map((w, k) => (k === i ? v : w));
    const inRange = 'must be an integer in \\[0, 4294967296\\), got';
    expectInvalid(
      { words: words.slice(0, 3) },
      /optimizerState.rng words must be an array of 4 integers.*got an array of length 3/,
    );
    expectInvalid({ words: [...words, 1] }, /rng words must be an array of 4 integers.*length 5/);
    expectInvalid({ words: at(1, -1) }, new RegExp(`optimizerState.rng words\\[1\\] ${inRange} -1`));
    expectInvalid({ words: at(2, 2 ** 32) }, new RegExp(`words\\[2\\] ${inRange} 4294967296`));
    expectInvalid({ words: at(0, 0.5) }, new RegExp(`words\\[0\\] ${inRange} 0.5`));
    expectInvalid({ words: at(3, '7') }, new RegExp(`words\\[3\\] ${inRange} the string "7"`));
    expectInvalid({ words: 'abcd' }, /rng words must be an array of 4 integers.*got the string "abcd"/);
    expectInvalid({ words, spare: NaN }, /optimizerState.rng spare must be a finite number or absent, got NaN/);
    expectInvalid({ words, spare: null }, /spare must be a finite number or absent, got null/);
    expectInvalid({ words, spare: '0.5' }, /spare must be a finite number or absent, got the string "0.5"/);
    expectInvalid('sfc32', /optimizerState.rng must be an object \{ words, spare\? \}, got the string "sfc32"/);
    expectInvalid(null, /optimizerState.rng must be an object.*got null/);
    // Valid edges load.
    const edge = NeuralNetwork.fromJSON(withRng({ words: [0, 0, 0, 2 ** 32 - 1], spare: -1.5 }));
    expect(edge.engine.rng.getState()).toEqual({ words: [0, 0, 0, 2 ** 32 - 1], spare: -1.5 });
  });
});

describe('clone', () => {
  it('continues the generator from the original’s position, independently of it', async () => {
    const net = new NeuralNetwork({
      layers: [3, { units: 8, activation: 'relu', dropout: 0.3 }, { units: 2, activation: 'tanh' }],
      optimizer: { type: 'sgd', learningRate: 0.05 },
      seed: 13,
      backend: testBackend(),
    });
    const sgd: FitOptions = { epochs: 3, batchSize: 5 };
    await net.fit(X, Y, sgd);
    const copy = net.clone();
    expect(copy.engine.rng.getState()).toEqual(net.engine.rng.getState());
    // Plain SGD has no optimizer state, so the clone (fresh optimizer) trains on exactly as the original.
    await copy.fit(X, Y, sgd);
    expect(copy.engine.rng.getState()).not.toEqual(net.engine.rng.getState());
    await net.fit(X, Y, sgd);
    expect(bits(copy.getWeights())).toEqual(bits(net.getWeights()));
  });
});
