import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { iris, kFold, stratifiedKFold } from '../../src/data/index.js';
import {
  crossValidate,
  meanStd,
  sampleParams,
  searchRounds,
  serialRunner,
  tune,
  type SearchSpace,
  type TuneOptions,
} from '../../src/select/index.js';
import { trialPool } from '../../src/select/node.js';
import { expectCode, expectRejectCode } from '../helpers/errors.js';
import { createEvaluator } from './iris-evaluator.js';

const folds = stratifiedKFold(iris().y, { folds: 3, seed: 1 });
const space: SearchSpace = {
  width: [4, 8, 16],
  learningRate: { min: 1e-3, max: 0.1, log: true },
  activation: ['relu', 'tanh'],
};

describe('sampleParams', () => {
  it('draws within the space, deterministically per seed', () => {
    const s: SearchSpace = { ...space, depth: { min: 1, max: 3, integer: true }, drop: { min: 0, max: 0.5 } };
    const a = Array.from({ length: 50 }, (_, i) => sampleParams(s, new Rng(i)));
    expect(a).toEqual(Array.from({ length: 50 }, (_, i) => sampleParams(s, new Rng(i))));
    for (const p of a) {
      expect([4, 8, 16]).toContain(p['width']);
      expect(p['learningRate']).toBeGreaterThanOrEqual(1e-3);
      expect(p['learningRate']).toBeLessThanOrEqual(0.1);
      expect([1, 2, 3]).toContain(p['depth']);
      expect(p['drop']).toBeLessThanOrEqual(0.5);
    }
    // Log-uniform: about as many draws below 0.01 as above.
    const below = a.filter((p) => (p['learningRate'] as number) < 0.01).length;
    expect(below).toBeGreaterThan(12);
    expect(below).toBeLessThan(38);
  });
});

describe('crossValidate', () => {
  it('scores every fold once on its own rows and reports mean and population std', async () => {
    const seen: number[] = [];
    const f = kFold(12, { folds: 4, seed: 2 });
    const cv = await crossValidate({
      folds: f,
      seed: 5,
      evaluate: ({ fold, train, test, seed }) => {
        seen.push(fold);
        expect(seed).toBe(5);
        expect(train.length + test.length).toBe(12);
        return test[0] as number;
      },
    });
    expect(seen).toEqual([0, 1, 2, 3]);
    const scores = f.map((x) => x.test[0] as number);
    expect(cv.folds.map((x) => x.score)).toEqual(scores);
    expect(cv.folds.map((x) => x.testRows)).toEqual([3, 3, 3, 3]);
    expect(cv.mean).toBeCloseTo(scores.reduce((a, b) => a + b) / 4, 12);
    const m = cv.mean;
    expect(cv.std).toBeCloseTo(Math.sqrt(scores.reduce((a, b) => a + (b - m) ** 2, 0) / 4), 12);
    expect(meanStd([1, 3])).toEqual({ mean: 2, std: 1 });
  });

  it('cross-validates a real network on iris close to its single-split accuracy', async () => {
    const cv = await crossValidate({ folds, params: { epochs: 30, width: 8 }, evaluate: createEvaluator(), seed: 1 });
    expect(cv.folds).toHaveLength(3);
    expect(cv.mean).toBeGreaterThan(0.85);
    expect(cv.std).toBeLessThan(0.1);
  });

  it('needs exactly one of evaluate and runner', async () => {
    await expectRejectCode(crossValidate({ folds }), 'INVALID_OPTION');
    await expectRejectCode(crossValidate({ folds: [], evaluate: () => 1 }), 'EMPTY_DATA');
  });
});

describe('searchRounds', () => {
  it('follows HalvingRandomSearchCV: 1 + floor(log_f n) rounds, ceil(n / f^r) candidates', () => {
    expect(searchRounds('halving', 20, 3, { name: 'epochs', max: 81 })).toEqual([
      { round: 0, candidates: 20, budget: 9 },
      { round: 1, candidates: 7, budget: 27 },
      { round: 2, candidates: 3, budget: 81 },
    ]);
    expect(searchRounds('halving', 27, 3, { name: 'epochs', max: 100 }).map((r) => [r.candidates, r.budget])).toEqual([
      [27, 4],
      [9, 11],
      [3, 33],
      [1, 100],
    ]);
    // Too small a budget range limits the rounds.
    expect(searchRounds('halving', 50, 3, { name: 'epochs', max: 5 }).map((r) => r.budget)).toEqual([2, 5]);
    expect(searchRounds('random', 6, 3, { name: 'epochs', max: 5 })).toEqual([{ round: 0, candidates: 6, budget: 5 }]);
  });
});

describe('tune', () => {
  const base: TuneOptions = { space, folds, trials: 6, seed: 3, budget: { name: 'epochs', max: 12 } };

  it('halving keeps the best third each round and returns the best of the last', async () => {
    const rounds: number[] = [];
    const result = await tune({ ...base, evaluate: createEvaluator(), onRound: (r) => rounds.push(r.candidates) });
    expect(rounds).toEqual([6, 2]);
    expect(result.trials).toHaveLength(8);
    const first = result.trials.filter((t) => t.round === 0);
    const second = result.trials.filter((t) => t.round === 1);
    expect(first.every((t) => t.params['epochs'] === 4)).toBe(true);
    expect(second.every((t) => t.params['epochs'] === 12)).toBe(true);
    // The survivors are the two best of round 0.
    const top = [...first].sort((a, b) => b.score - a.score || a.candidate - b.candidate).slice(0, 2);
    expect(second.map((t) => t.candidate).sort()).toEqual(top.map((t) => t.candidate).sort());
    expect(result.best.score).toBe(Math.max(...second.map((t) => t.score)));
    expect(result.best.folds).toHaveLength(3);
  });

  it('is deterministic given the seed; lower-is-better ranks ascending', async () => {
    const fake = ({ params, fold }: { params: Record<string, unknown>; fold: number }) =>
      Number(params['learningRate']) * 10 + fold;
    const a = await tune({ ...base, strategy: 'random', trials: 5, evaluate: fake });
    expect(a).toEqual(await tune({ ...base, strategy: 'random', trials: 5, evaluate: fake }));
    expect(a.trials).toHaveLength(5);
    expect(a.best.score).toBe(Math.max(...a.trials.map((t) => t.score)));
    const low = await tune({ ...base, strategy: 'random', trials: 5, evaluate: fake, greaterIsBetter: false });
    expect(low.best.score).toBe(Math.min(...low.trials.map((t) => t.score)));
    const other = await tune({ ...base, strategy: 'random', trials: 5, evaluate: fake, seed: 4 });
    expect(other.trials.map((t) => t.params)).not.toEqual(a.trials.map((t) => t.params));
  });

  it('gives the same result on a worker pool as serially', async () => {
    const module = new URL('./iris-evaluator.ts', import.meta.url);
    const pool = await trialPool({ module, workers: 2 });
    try {
      const parallel = await tune({ ...base, runner: pool });
      const serial = await tune({ ...base, runner: serialRunner(createEvaluator()) });
      expect(parallel).toEqual(serial);
      // A job that throws in a worker rejects the run with the worker's error code.
      const bad = await trialPool({ module, workers: 2, data: { failOn: 0.5 } });
      try {
        await expectRejectCode(
          tune({ ...base, space: { learningRate: [0.01, 0.5] }, strategy: 'random', runner: bad }),
          'INVALID_OPTION',
        );
      } finally {
        await bad.close();
      }
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('rejects bad options with what was expected', async () => {
    const evaluate = (): number => 1;
    await expectRejectCode(tune({ ...base, evaluate, trials: 0 }), 'INVALID_OPTION');
    await expectRejectCode(tune({ space, folds, evaluate, strategy: 'halving' }), 'INVALID_OPTION');
    await expectRejectCode(tune({ ...base, evaluate, space: { width: [] } }), 'INVALID_OPTION');
    await expectRejectCode(tune({ ...base, evaluate, space: { lr: { min: 0, max: 1, log: true } } }), 'INVALID_OPTION');
    const controller = new AbortController();
    controller.abort();
    await expectRejectCode(tune({ ...base, evaluate, signal: controller.signal }), 'ABORTED');
    expectCode(() => sampleParams({ a: [] }, new Rng(1)), 'INVALID_OPTION');
  });
});
