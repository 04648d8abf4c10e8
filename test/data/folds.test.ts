import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iris, kFold, stratifiedKFold, type Fold } from '../../src/data/index.js';
import { expectCode } from '../helpers/errors.js';
import { hasSklearn, runPythonJson } from '../helpers/python.js';

/** Every row is held out exactly once, and each fold's train part is every other row. */
function expectPartition(folds: readonly Fold[], rows: number): void {
  const heldOut = new Int32Array(rows);
  for (const f of folds) {
    f.test.forEach((r) => (heldOut[r] = (heldOut[r] as number) + 1));
    expect(f.train.length + f.test.length).toBe(rows);
    const inTest = new Set(f.test);
    expect([...f.train].some((r) => inTest.has(r))).toBe(false);
    expect(new Set(f.train).size).toBe(f.train.length);
  }
  expect([...heldOut].every((n) => n === 1)).toBe(true);
}

/** Rows of each class held out per fold: counts[fold][label]. */
function classCounts(folds: readonly Fold[], labels: readonly number[]): Record<string, number>[] {
  return folds.map((f) => {
    const out: Record<string, number> = {};
    f.test.forEach((r) => {
      const l = String(labels[r]);
      out[l] = (out[l] ?? 0) + 1;
    });
    return out;
  });
}

describe('kFold', () => {
  it('partitions the rows, sizes as scikit-learn (first rows % k folds one larger)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 2, max: 10 }), fc.nat(), (rows, k, seed) => {
        fc.pre(k <= rows);
        const folds = kFold(rows, { folds: k, seed });
        expect(folds).toHaveLength(k);
        expectPartition(folds, rows);
        folds.forEach((f, i) => expect(f.test.length).toBe(Math.floor(rows / k) + (i < rows % k ? 1 : 0)));
      }),
    );
  });

  it('is deterministic per seed, and shuffle: false gives contiguous blocks', () => {
    expect(kFold(20, { folds: 4, seed: 3 })).toEqual(kFold(20, { folds: 4, seed: 3 }));
    expect(kFold(20, { folds: 4, seed: 3 })).not.toEqual(kFold(20, { folds: 4, seed: 4 }));
    expect([...(kFold(7, { folds: 3, shuffle: false })[1] as Fold).test]).toEqual([3, 4]);
  });

  it('rejects bad fold counts with a hint', () => {
    expectCode(() => kFold(3, { folds: 5 }), 'INVALID_OPTION', /at most the number of rows.*fewer folds/);
    expectCode(() => kFold(10, { folds: 1 }), 'INVALID_OPTION', /folds must be an integer >= 2/);
    expectCode(() => kFold(0), 'INVALID_OPTION', /rows/);
  });
});

describe('stratifiedKFold', () => {
  it('partitions the rows and keeps each class within one row of its share in every fold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 10, maxLength: 80 }),
        fc.integer({ min: 2, max: 6 }),
        fc.nat(),
        (labels, k, seed) => {
          fc.pre(labels.some((l) => labels.filter((v) => v === l).length >= k));
          const folds = stratifiedKFold(labels, { folds: k, seed });
          expectPartition(folds, labels.length);
          const counts = classCounts(folds, labels);
          for (const l of new Set(labels)) {
            const share = labels.filter((v) => v === l).length / k;
            for (const c of counts) expect(Math.abs((c[String(l)] ?? 0) - share)).toBeLessThan(1);
          }
        },
      ),
    );
  });

  it('reads one-hot targets and is deterministic per seed', () => {
    const ds = iris();
    const a = stratifiedKFold(ds.y, { folds: 5, seed: 2 });
    expect(a).toEqual(stratifiedKFold(ds.y, { folds: 5, seed: 2 }));
    expect(a).not.toEqual(stratifiedKFold(ds.y, { folds: 5, seed: 3 }));
    for (const c of classCounts(
      a,
      Array.from({ length: 150 }, (_, r) => Math.floor(r / 50)),
    ))
      expect(c).toEqual({ '0': 10, '1': 10, '2': 10 });
  });

  it('holds out exactly as many rows of each class per fold as scikit-learn StratifiedKFold', () => {
    if (!hasSklearn()) return;
    // Imbalanced labels in a scrambled order, including a class smaller than the fold count.
    const cases: { labels: number[]; k: number }[] = [
      { labels: Array.from({ length: 97 }, (_, i) => [0, 0, 0, 1, 2, 0, 1, 3][(i * 7) % 8] as number), k: 5 },
      { labels: Array.from({ length: 40 }, (_, i) => (i % 13 === 0 ? 9 : i % 3)), k: 4 },
      { labels: Array.from({ length: 23 }, (_, i) => (i * 5) % 3), k: 8 },
    ];
    const script = `
import json, sys
from sklearn.model_selection import StratifiedKFold
out = []
for case in json.load(sys.stdin):
    y = case['labels']
    folds = []
    for _, test in StratifiedKFold(n_splits=case['k']).split([[0]] * len(y), y):
        counts = {}
        for r in test:
            counts[str(y[r])] = counts.get(str(y[r]), 0) + 1
        folds.append(counts)
    out.append(folds)
print(json.dumps(out))
`;
    const expected = runPythonJson(script, JSON.stringify(cases)) as Record<string, number>[][];
    cases.forEach((c, i) => {
      for (const seed of [0, 7]) {
        expect(classCounts(stratifiedKFold(c.labels, { folds: c.k, seed }), c.labels)).toEqual(expected[i]);
      }
    });
  });

  it('rejects more folds than any class has rows', () => {
    expectCode(() => stratifiedKFold([0, 0, 1, 1, 2, 2], { folds: 3 }), 'INVALID_OPTION', /every class.*fewer folds/);
    expectCode(() => stratifiedKFold([], { folds: 2 }), 'EMPTY_DATA');
  });
});
