import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NeuralNetwork,
  NeuriteError,
  OPTIMIZER_NAMES,
  Optimizer,
  createJsBackend,
  createSchedule,
  matrix,
  type OptimizerName,
} from '../../src/index.js';
import { batches, circles, minMax, oneHot, spiral, standardize, trainTestSplit } from '../../src/data/index.js';

// Values a plain-JavaScript caller might pass by mistake. No large valid counts (epochs: 1e9 is a
// legitimate, long request, not misuse).
const ODD = [
  -1,
  0,
  0.5,
  1,
  2,
  3,
  NaN,
  Infinity,
  -Infinity,
  1e-9,
  '0.1',
  '',
  '2',
  'adam',
  'toString',
  'constructor',
  null,
  undefined,
  true,
  false,
  [],
  [1],
  ['mae'],
  {},
  { type: 'sgd' },
  { type: 'adam', lr: 0.1 },
  () => 1,
  Symbol('s'),
  10n,
  new Float32Array(2),
] as const;

type Options = Record<string, unknown>;

/** One mutation of an options object: a key set to an odd value, deleted, misspelt or added. */
function mutations(base: Options): fc.Arbitrary<Options> {
  const keys = Object.keys(base);
  const value = fc.constantFrom<unknown>(...ODD);
  const set = fc.tuple(fc.constantFrom(...keys), value).map(([k, v]) => ({ ...base, [k]: v }));
  const drop = fc.constantFrom(...keys).map((k) => {
    return Object.fromEntries(Object.entries(base).filter(([key]) => key !== k));
  });
  const typo = fc.tuple(fc.constantFrom(...keys), fc.nat()).map(([k, i]) => {
    const { [k]: v, ...rest } = base;
    const at = i % k.length;
    return { ...rest, [k.slice(0, at) + k.slice(at + 1)]: v };
  });
  const add = fc.tuple(fc.string({ maxLength: 8 }), value).map(([k, v]) => ({ ...base, [k]: v }));
  return fc
    .array(fc.oneof(set, drop, typo, add), { minLength: 1, maxLength: 3 })
    .map((ms) => Object.assign({}, ...ms) as Options);
}

/** Runs `call`; passes when it succeeds or throws a NeuriteError with a code, fails on anything else. */
async function onlyNeuriteErrors(call: () => unknown): Promise<void> {
  try {
    await call();
  } catch (e) {
    if (!(e instanceof NeuriteError)) throw new Error(`escaped as ${String(e)}`, { cause: e });
    expect(typeof e.code).toBe('string');
  }
}

const X = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const Y = [[0], [1], [1], [0]];
const run = { numRuns: 150, seed: 12 };

describe('mutated options are refused with a NeuriteError or used; nothing else escapes, nothing hangs', () => {
  it('the constructor', async () => {
    const base = {
      layers: [2, { units: 3, activation: 'tanh', dropout: 0.1 }, 1],
      seed: 1,
      activation: 'relu',
      learningRate: 0.1,
      loss: 'mse',
      optimizer: 'sgd',
      initializer: 'heNormal',
      outputActivation: 'sigmoid',
      backend: 'js',
    };
    await fc.assert(
      fc.asyncProperty(mutations(base), (o) => onlyNeuriteErrors(() => new NeuralNetwork(o as never).predict([1, 0]))),
      run,
    );
    const layer = { units: 3, activation: 'tanh', alpha: 0.1, init: 'glorotNormal', dropout: 0.2 };
    await fc.assert(
      fc.asyncProperty(mutations(layer), (l) =>
        onlyNeuriteErrors(() => new NeuralNetwork({ layers: [2, l as never, 1], seed: 1 }).predict([1, 0])),
      ),
      run,
    );
  });

  it('fit', async () => {
    const base = {
      epochs: 2,
      batchSize: 2,
      shuffle: true,
      validationSplit: 0.25,
      metrics: ['mae'],
      loss: 'mse',
      optimizer: 'adam',
      earlyStopping: { patience: 1, minDelta: 0, restoreBest: true, monitor: 'loss' },
      sampleWeight: [1, 2, 1, 1],
      onEpochEnd: () => undefined,
    };
    await fc.assert(
      fc.asyncProperty(mutations(base), (o) =>
        onlyNeuriteErrors(() => new NeuralNetwork({ layers: [2, 3, 1], seed: 1 }).fit(X, Y, o as never)),
      ),
      run,
    );
    await fc.assert(
      fc.asyncProperty(mutations(base.earlyStopping), (es) =>
        onlyNeuriteErrors(() =>
          new NeuralNetwork({ layers: [2, 3, 1], seed: 1 }).fit(X, Y, { epochs: 2, earlyStopping: es as never }),
        ),
      ),
      run,
    );
  });

  // Every registered rule with all of its own keys and the common ones (keyed by OPTIMIZER_NAMES,
  // so a new rule fails the coverage line until it has a row here).
  const OPTIMIZER_SPECS: Record<OptimizerName, Options> = {
    sgd: { type: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true },
    adam: { type: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    adamw: { type: 'adamw', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.01 },
    rmsprop: { type: 'rmsprop', learningRate: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7 },
    adagrad: { type: 'adagrad', learningRate: 0.01, initialAccumulatorValue: 0.1, epsilon: 1e-7 },
  };
  const SCHEDULES: Options[] = [
    { type: 'step', stepSize: 2, gamma: 0.5 },
    { type: 'exponential', decayRate: 0.9, decaySteps: 2 },
    { type: 'cosine', epochs: 5, minLearningRate: 0.001 },
    { type: 'reduceOnPlateau', factor: 0.5, patience: 1, minDelta: 0, minLearningRate: 0.001 },
  ];

  it('optimizers and schedules (every registered rule)', async () => {
    expect(Object.keys(OPTIMIZER_SPECS).sort()).toEqual([...OPTIMIZER_NAMES].sort());
    const b = createJsBackend();
    const step = (spec: unknown): void => {
      const opt = new Optimizer(spec as never);
      opt.step(b, 3, new Float32Array([1, -2, 3]), new Float32Array([0.5, 0.1, -1]));
    };
    for (const base of Object.values(OPTIMIZER_SPECS)) {
      const full = { ...base, clipNorm: 1, clipValue: 2, schedule: { type: 'cosine', epochs: 5 } };
      await fc.assert(
        fc.asyncProperty(mutations(full), (o) => onlyNeuriteErrors(() => step(o))),
        run,
      );
      // The same spec wherever an optimizer is named: the constructor and fit.
      await fc.assert(
        fc.asyncProperty(mutations(base), (o) =>
          onlyNeuriteErrors(async () => {
            const net = new NeuralNetwork({ layers: [2, 3, 1], seed: 1, optimizer: o as never });
            await net.fit(X, Y, { epochs: 1, optimizer: o as never });
          }),
        ),
        { ...run, numRuns: 40 },
      );
    }
    for (const s of SCHEDULES) {
      await fc.assert(
        fc.asyncProperty(mutations(s), (o) =>
          onlyNeuriteErrors(() => {
            createSchedule(o as never).rate(3, 0.1);
            step({ type: 'sgd', schedule: o });
          }),
        ),
        run,
      );
    }
  });

  it('evaluate, toJSON and fromJSON', async () => {
    const net = new NeuralNetwork({ layers: [2, 3, 1], seed: 1 });
    await fc.assert(
      fc.asyncProperty(mutations({ loss: 'mae', metrics: ['accuracy'] }), (o) =>
        onlyNeuriteErrors(() => net.evaluate(X, Y, o as never)),
      ),
      run,
    );
    await fc.assert(
      fc.asyncProperty(mutations({ optimizerState: false }), (o) => onlyNeuriteErrors(() => net.toJSON(o as never))),
      run,
    );
    const json = net.toJSON();
    await fc.assert(
      fc.asyncProperty(mutations({ backend: 'js' }), (o) =>
        onlyNeuriteErrors(() => NeuralNetwork.fromJSON(json, o as never)),
      ),
      run,
    );
    await fc.assert(
      fc.asyncProperty(mutations(json as unknown as Options), (j) =>
        onlyNeuriteErrors(() => NeuralNetwork.fromJSON(j).predict([1, 0])),
      ),
      run,
    );
  });

  it('the data helpers', async () => {
    const x = matrix(6, 2, Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    const y = matrix(6, 1, Float32Array.from([0, 1, 0, 1, 0, 1]));
    await fc.assert(
      fc.asyncProperty(mutations({ batchSize: 2, shuffle: true, seed: 1, dropLast: false }), (o) =>
        onlyNeuriteErrors(() => [...batches(x, y, o as never)]),
      ),
      run,
    );
    await fc.assert(
      fc.asyncProperty(mutations({ testFraction: 0.5, seed: 1, shuffle: true, stratify: true }), (o) =>
        onlyNeuriteErrors(() => trainTestSplit(x, y, o as never)),
      ),
      run,
    );
    await fc.assert(
      fc.asyncProperty(mutations({ n: 20, noise: 0.1, seed: 1, oneHot: true, classes: 3, turns: 1 }), (o) =>
        onlyNeuriteErrors(() => spiral(o as never)),
      ),
      run,
    );
    await fc.assert(
      fc.asyncProperty(mutations({ n: 20, noise: 0.1, seed: 1, oneHot: false, factor: 0.3 }), (o) =>
        onlyNeuriteErrors(() => circles(o as never)),
      ),
      run,
    );
    const odd = fc.constantFrom<unknown>(...ODD);
    await fc.assert(
      fc.asyncProperty(odd, odd, (a, b) =>
        onlyNeuriteErrors(() => {
          oneHot(a as never, b as never);
        })
          .then(() => onlyNeuriteErrors(() => standardize(a as never)))
          .then(() => onlyNeuriteErrors(() => minMax(b as never))),
      ),
      run,
    );
  });
});
