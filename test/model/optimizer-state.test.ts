import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NeuralNetwork,
  Rng,
  type FitOptions,
  type ModelJSON,
  type OptimizerName,
  type OptimizerSpec,
  type ToJSONOptions,
} from '../../src/index.js';
import { testBackend } from '../helpers/backends.js';
import { catchNeurite, expectCode } from '../helpers/errors.js';
import { randomRows } from '../helpers/random.js';

/** Every rule with state, plus plain SGD and the gradient transforms. */
const SPECS: Record<string, OptimizerSpec> = {
  sgd: { type: 'sgd', learningRate: 0.1 },
  momentum: { type: 'sgd', learningRate: 0.05, momentum: 0.9 },
  nesterov: { type: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true },
  adam: { type: 'adam', learningRate: 0.01 },
  adamw: { type: 'adamw', learningRate: 0.01, weightDecay: 0.01 },
  rmsprop: { type: 'rmsprop', learningRate: 0.01 },
  'rmsprop+momentum': { type: 'rmsprop', learningRate: 0.01, momentum: 0.5 },
  adagrad: { type: 'adagrad', learningRate: 0.1 },
  'adam+clipNorm+weightDecay': { type: 'adam', learningRate: 0.01, clipNorm: 0.5, weightDecay: 1e-3 },
};

const rng = new Rng(3);
const X = randomRows(rng, 12, 3);
const Y = randomRows(rng, 12, 2);

const build = (optimizer: OptimizerSpec): NeuralNetwork =>
  new NeuralNetwork({ layers: [3, 5, { units: 2, activation: 'tanh' }], optimizer, seed: 7, backend: testBackend() });

/** `steps` single-sample `train` calls, continuing through the samples from `from`. */
function trainSteps(net: NeuralNetwork, from: number, steps: number): void {
  for (let i = from; i < from + steps; i++) net.train(X[i % X.length]!, Y[i % Y.length]!);
}

/** Through text, as a model file goes. */
const roundTrip = (net: NeuralNetwork, options?: ToJSONOptions): NeuralNetwork =>
  NeuralNetwork.fromJSON(JSON.parse(JSON.stringify(net.toJSON(options))), { backend: testBackend() });

const bits = (x: Float32Array): number[] => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

describe('a network restored from toJSON trains on exactly as the original', () => {
  for (const [name, spec] of Object.entries(SPECS)) {
    it(`${name}: k train steps, save, load, j more = k + j uninterrupted (bit for bit)`, () => {
      const k = 7;
      const j = 9;
      const straight = build(spec);
      trainSteps(straight, 0, k + j);
      const first = build(spec);
      trainSteps(first, 0, k);
      const resumed = roundTrip(first);
      expect(resumed.optimizer.t).toBe(k);
      trainSteps(resumed, k, j);
      expect(bits(resumed.getWeights())).toEqual(bits(straight.getWeights()));
      // Without the state the optimizer starts afresh: the check above would catch a lost state.
      const fresh = roundTrip(first, { optimizerState: false });
      trainSteps(fresh, k, j);
      if (name !== 'sgd') expect(bits(fresh.getWeights())).not.toEqual(bits(straight.getWeights()));
    });
  }

  it('holds for any optimizer and any split k + j (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(SPECS)),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        (spec, k, j) => {
          const straight = build(spec);
          trainSteps(straight, 0, k + j);
          const first = build(spec);
          trainSteps(first, 0, k);
          const resumed = roundTrip(first);
          trainSteps(resumed, k, j);
          expect(bits(resumed.getWeights())).toEqual(bits(straight.getWeights()));
          // Saving again gives the same file as the uninterrupted network's.
          expect(JSON.stringify(resumed)).toBe(JSON.stringify(straight));
        },
      ),
      { numRuns: 40, seed: 11 },
    );
  });
});

describe('fit continues after a restore', () => {
  const fitOptions = (optimizer: OptimizerName | OptimizerSpec, epochs: number): FitOptions => ({
    epochs,
    batchSize: 4,
    optimizer,
    // Without shuffling and dropout; test/model/rng-state.test.ts covers the generator.
    shuffle: false,
  });
  const cases: Record<string, OptimizerName | OptimizerSpec> = {
    'adam by name (no learning rate in the spec)': 'adam',
    'adam + step schedule': { type: 'adam', learningRate: 0.02, schedule: { type: 'step', stepSize: 2, gamma: 0.5 } },
    'momentum + cosine schedule': {
      type: 'sgd',
      learningRate: 0.05,
      momentum: 0.9,
      schedule: { type: 'cosine', epochs: 6 },
    },
    'rmsprop + reduceOnPlateau': {
      type: 'rmsprop',
      learningRate: 0.01,
      // minDelta so large that no epoch counts as an improvement: the rate halves every 2 epochs.
      schedule: { type: 'reduceOnPlateau', factor: 0.5, patience: 1, minDelta: 100 },
    },
  };
  for (const [name, optimizer] of Object.entries(cases)) {
    it(`${name}: fit 3 epochs, save, load, fit 4 = fit 7`, async () => {
      const straight = build({ type: 'sgd' });
      const all = await straight.fit(X, Y, fitOptions(optimizer, 7));
      const first = build({ type: 'sgd' });
      await first.fit(X, Y, fitOptions(optimizer, 3));
      const resumed = roundTrip(first);
      const rest = await resumed.fit(X, Y, fitOptions(optimizer, 4));
      expect(bits(resumed.getWeights())).toEqual(bits(straight.getWeights()));
      expect(rest.learningRate).toEqual(all.learningRate.slice(3));
      expect(rest.loss).toEqual(all.loss.slice(3));
      expect(resumed.optimizer.epochs).toBe(7);
    });
  }

  it('a schedule continues across fit calls on the same network, as it does across files', async () => {
    const spec: OptimizerSpec = { type: 'sgd', learningRate: 0.4, schedule: { type: 'step', stepSize: 2, gamma: 0.5 } };
    const net = build({ type: 'sgd' });
    const a = await net.fit(X, Y, fitOptions(spec, 3));
    const b = await net.fit(X, Y, fitOptions(spec, 3));
    expect([...a.learningRate, ...b.learningRate]).toEqual([0.4, 0.4, 0.2, 0.2, 0.1, 0.1]);
  });

  it('a model saved after fit({ optimizer: "adam" }) keeps Adam’s default rate, not the network default 0.1', async () => {
    const net = build({ type: 'sgd' });
    await net.fit(X, Y, fitOptions('adam', 1));
    for (const options of [undefined, { optimizerState: false }]) {
      const back = roundTrip(net, options);
      expect(back.optimizer.spec).toEqual({ type: 'adam' });
      expect(back.optimizer.learningRate).toBe(0.001);
    }
  });
});

describe('files without optimizer state', () => {
  it('old-format files (no optimizerState) still load, with a fresh optimizer, and train', async () => {
    const net = build(SPECS['adam']!);
    trainSteps(net, 0, 5);
    const old = net.toJSON() as Partial<ModelJSON>;
    delete old.optimizerState;
    expect(old.version).toBe(1);
    const back = NeuralNetwork.fromJSON(JSON.parse(JSON.stringify(old)), { backend: testBackend() });
    expect(bits(back.getWeights())).toEqual(bits(net.getWeights()));
    expect(back.optimizer.t).toBe(0);
    expect(back.optimizer.getState().slots).toEqual([]);
    const before = back.getWeights();
    await back.fit(X, Y, { epochs: 2, batchSize: 4 });
    expect(back.optimizer.t).toBe(6);
    expect(bits(back.getWeights())).not.toEqual(bits(before));
    expect(back.getWeights().every(Number.isFinite)).toBe(true);
  });

  it('toJSON writes the state by default (also through JSON.stringify) and leaves it out with optimizerState: false', () => {
    const net = build(SPECS['adam']!);
    trainSteps(net, 0, 3);
    const full = net.toJSON();
    expect(full.optimizerState).toMatchObject({ type: 'adam', steps: 3, epochs: 0, learningRate: 0.01 });
    expect(full.optimizerState?.slots).toHaveLength(2);
    expect(full.optimizerState?.slots[0]).toHaveLength(full.weights.length);
    expect(net.toJSON({ optimizerState: true })).toEqual(full);
    expect(JSON.parse(JSON.stringify(net))).toEqual(full);
    expect(JSON.parse(JSON.stringify({ model: net }))).toEqual({ model: full });
    const lean = net.toJSON({ optimizerState: false });
    expect('optimizerState' in lean).toBe(false);
    expect({ ...lean, optimizerState: full.optimizerState }).toEqual(full);
  });
});

describe('corrupt optimizer state is refused with INVALID_MODEL before anything is built', () => {
  const saved = (spec: OptimizerSpec = SPECS['adam']!, steps = 3): Record<string, unknown> => {
    const net = build(spec);
    trainSteps(net, 0, steps);
    return JSON.parse(JSON.stringify(net)) as Record<string, unknown>;
  };
  const withState = (patch: Record<string, unknown>, base = saved()): Record<string, unknown> => ({
    ...base,
    optimizerState: { ...(base['optimizerState'] as Record<string, unknown>), ...patch },
  });
  const expectInvalid = (obj: unknown, message: RegExp): void => {
    expectCode(() => NeuralNetwork.fromJSON(obj), 'INVALID_MODEL', message);
  };
  const n = build(SPECS['adam']!).parameterCount; // 32
  const floats = (values: number[]): string => Buffer.from(Float32Array.from(values).buffer).toString('base64');
  const slots = (saved()['optimizerState'] as { slots: string[] }).slots;

  it('wrong lengths and counts', () => {
    expectInvalid(
      withState({ slots: [floats(new Array<number>(n - 1).fill(0)), slots[1]] }),
      new RegExp(`optimizerState.slots\\[0\\] must encode ${String(n)} float32 values in base64, got a string of`),
    );
    expectInvalid(withState({ slots: [slots[0], `${slots[1]!}AAAA`] }), /slots\[1\] must encode/);
    expectInvalid(withState({ slots: [slots[0]] }), /slots must hold 2 arrays for adam after 3 steps, got 1/);
    expectInvalid(withState({ slots: [...slots, slots[0]] }), /slots must hold 2 arrays.*got 3/);
    expectInvalid(withState({ steps: 0 }), /slots must hold 0 arrays for adam before the first step, got 2/);
    expectInvalid(withState({ slots: [] }), /slots must hold 2 arrays/);
  });

  it('NaN, Infinity and negative running squares', () => {
    const nan = new Array<number>(n).fill(0);
    nan[5] = NaN;
    expectInvalid(withState({ slots: [floats(nan), slots[1]] }), /optimizerState.slots\[0\]\[5\] is NaN/);
    const inf = new Array<number>(n).fill(0.5);
    inf[n - 1] = -Infinity;
    expectInvalid(withState({ slots: [slots[0], floats(inf)] }), /slots\[1\]\[31\] is -Infinity/);
    const negative = new Array<number>(n).fill(0.5);
    negative[2] = -0.25;
    expectInvalid(withState({ slots: [slots[0], floats(negative)] }), /slots\[1\]\[2\] must be >= 0.*got -0.25/);
    // Adam's first moment may be negative.
    expect(() => NeuralNetwork.fromJSON(withState({ slots: [floats(negative), slots[1]] }))).not.toThrow();
  });

  it('bad base64 and wrong types', () => {
    expectInvalid(withState({ slots: ['!'.repeat(slots[0]!.length), slots[1]] }), /slots\[0\] is not valid base64/);
    expectInvalid(withState({ slots: [slots[0], 42] }), /slots\[1\] must encode 32 float32 values in base64, got 42/);
    expectInvalid(
      withState({ slots: 'AAAA' }),
      /slots must hold 2 arrays for adam after 3 steps, got the string "AAAA"/,
    );
    expectInvalid({ ...saved(), optimizerState: 'adam' }, /optimizerState must be an object, got the string "adam"/);
    expectInvalid({ ...saved(), optimizerState: null }, /optimizerState must be an object, got null/);
    expectInvalid(withState({ steps: -1 }), /steps must be an integer >= 0, got -1/);
    expectInvalid(withState({ steps: 2.5 }), /steps must be an integer/);
    expectInvalid(withState({ steps: '3' }), /steps must be an integer >= 0, got the string "3"/);
    expectInvalid(withState({ epochs: null }), /epochs must be an integer >= 0, got null/);
    expectInvalid(withState({ learningRate: -0.1 }), /learningRate must be a finite number >= 0, got -0.1/);
    expectInvalid(
      withState({ type: 'rmsprop' }),
      /optimizerState.type is the string "rmsprop" but optimizer.type is "adam"/,
    );
    expectInvalid({ ...withState({}), optimizer: { type: 'nadam' } }, /nadam/);
  });

  it('schedule state: required for reduceOnPlateau, checked, and refused elsewhere', () => {
    const plateau: OptimizerSpec = { type: 'adam', schedule: { type: 'reduceOnPlateau', patience: 2 } };
    const base = saved(plateau);
    expect((base['optimizerState'] as Record<string, unknown>)['schedule']).toEqual({
      multiplier: 1,
      best: null,
      wait: 0,
    });
    expect(NeuralNetwork.fromJSON(base).optimizer.getState().schedule).toEqual({ multiplier: 1, best: null, wait: 0 });
    expectInvalid(withState({ schedule: undefined }, base), /schedule must be an object \{ multiplier, best, wait \}/);
    expectInvalid(withState({ schedule: { multiplier: 2, best: 1, wait: 0 } }, base), /schedule.multiplier/);
    expectInvalid(withState({ schedule: { multiplier: 1, best: 'x', wait: 0 } }, base), /schedule.best/);
    expectInvalid(withState({ schedule: { multiplier: 1, best: 1, wait: -1 } }, base), /schedule.wait/);
    expectInvalid(withState({ schedule: { multiplier: 1, best: null, wait: 0 } }), /schedule must be absent without/);
  });

  it('any JSON value in place of the state or one of its fields gives INVALID_MODEL or a working network', () => {
    const base = saved();
    const keys = ['type', 'steps', 'epochs', 'learningRate', 'slots', 'schedule', 'rng'];
    const attempt = (obj: unknown): void => {
      try {
        expect(NeuralNetwork.fromJSON(obj).predict([1, 2, 3])).toHaveLength(2);
      } catch (e) {
        expect(
          catchNeurite(() => {
            throw e;
          }).code,
        ).toBe('INVALID_MODEL');
      }
    };
    fc.assert(
      fc.property(fc.jsonValue(), (v) => attempt({ ...base, optimizerState: v })),
      { numRuns: 100, seed: 7 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, v) => attempt(withState({ [key]: v }, base))),
      { numRuns: 200, seed: 8 },
    );
  });
});
