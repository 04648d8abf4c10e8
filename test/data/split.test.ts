import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matrix } from '../../src/core/index.js';
import { argmax, batches, iris, permutation, shuffleRows, splitIndices, trainTestSplit } from '../../src/data/index.js';

const indexed = (n: number) => ({
  x: matrix(
    n,
    1,
    Float32Array.from({ length: n }, (_, i) => i),
  ),
  y: matrix(
    n,
    1,
    Float32Array.from({ length: n }, (_, i) => i % 2),
  ),
});

describe('trainTestSplit', () => {
  it('is deterministic per seed and gives disjoint parts covering every row', () => {
    const ds = iris();
    const a = trainTestSplit(ds, { testFraction: 0.2, seed: 3 });
    const b = trainTestSplit(ds, { testFraction: 0.2, seed: 3 });
    expect(a.train.x.data).toEqual(b.train.x.data);
    expect(a.test.y.data).toEqual(b.test.y.data);
    expect(a.train.x.rows).toBe(120);
    expect(a.test.x.rows).toBe(30);
    const c = trainTestSplit(ds, { testFraction: 0.2, seed: 4 });
    expect(c.test.x.data).not.toEqual(a.test.x.data);
    expect(a.train.classes).toEqual(ds.classes);
  });

  it('x, y form keeps rows paired', () => {
    const { x, y } = indexed(10);
    const s = trainTestSplit(x, y, { testFraction: 0.3, seed: 1 });
    expect(s.xTest.rows).toBe(3);
    for (let r = 0; r < s.xTrain.rows; r++) expect(s.yTrain.data[r]).toBe((s.xTrain.data[r] as number) % 2);
  });

  it('shuffle: false takes the last rows as test', () => {
    const { x, y } = indexed(10);
    const s = trainTestSplit(x, y, { testFraction: 0.2, shuffle: false });
    expect([...s.xTest.data]).toEqual([8, 9]);
  });

  it('stratify keeps each class share', () => {
    const { train, test } = trainTestSplit(iris(), { testFraction: 0.2, seed: 9, stratify: true });
    const count = (l: Int32Array) => [0, 1, 2].map((k) => l.filter((v) => v === k).length);
    expect(count(argmax(test.y))).toEqual([10, 10, 10]);
    expect(count(argmax(train.y))).toEqual([40, 40, 40]);
  });

  it('rejects a bad fraction and too few rows', () => {
    const { x, y } = indexed(5);
    expect(() => trainTestSplit(x, y, { testFraction: 1 })).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }) as Error,
    );
    const one = indexed(1);
    expect(() => trainTestSplit(one.x, one.y)).toThrowError(expect.objectContaining({ code: 'EMPTY_DATA' }) as Error);
    expect(() => trainTestSplit(x, matrix(4, 1))).toThrowError(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }) as Error,
    );
  });

  it('property: the split partitions the rows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 200 }),
        fc.double({ min: 0, max: 0.95, noNaN: true }),
        fc.integer(),
        fc.boolean(),
        (n, testFraction, seed, stratify) => {
          const { x, y } = indexed(n);
          const { trainIdx, testIdx } = splitIndices(x, y, { testFraction, seed, stratify });
          const all = [...trainIdx, ...testIdx].sort((p, q) => p - q);
          expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
          if (testFraction > 0) expect(testIdx.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});

describe('shuffleRows / batches', () => {
  it('shuffleRows is a seeded permutation that keeps x and y aligned', () => {
    const { x, y } = indexed(20);
    const sx = shuffleRows(x, 5);
    const sy = shuffleRows(y, 5);
    expect([...sx.data].sort((a, b) => a - b)).toEqual([...x.data]);
    for (let r = 0; r < 20; r++) expect(sy.data[r]).toBe((sx.data[r] as number) % 2);
    expect(shuffleRows(x, 5).data).toEqual(sx.data);
    expect([...permutation(20, 5)]).toEqual([...sx.data]);
    const ds = shuffleRows(iris(), 1);
    expect(ds.x.rows).toBe(150);
  });

  it('batches cover every row once, in order or shuffled', () => {
    const { x, y } = indexed(10);
    const plain = [...batches(x, y, { batchSize: 4 })];
    expect(plain.map((b) => b.x.rows)).toEqual([4, 4, 2]);
    expect(plain.flatMap((b) => [...b.x.data])).toEqual([...x.data]);
    const shuffled = [...batches(x, y, { batchSize: 4, shuffle: true, seed: 2 })];
    expect(shuffled.flatMap((b) => [...b.x.data]).sort((a, b) => a - b)).toEqual([...x.data]);
    for (const b of shuffled) for (let r = 0; r < b.x.rows; r++) expect(b.y.data[r]).toBe((b.x.data[r] as number) % 2);
    expect([...batches(x, y, { batchSize: 4, dropLast: true })]).toHaveLength(2);
  });
});
