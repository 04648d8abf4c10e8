import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matrix, type Matrix } from '../../src/core/index.js';
import {
  applyMinMax,
  applyStandardize,
  argmax,
  decodeLabels,
  invertMinMax,
  invertStandardize,
  minMax,
  oneHot,
  sortClasses,
  standardize,
} from '../../src/data/index.js';

const m = (rows: number[][]): Matrix => matrix(rows.length, rows[0]?.length ?? 0, Float32Array.from(rows.flat()));

describe('standardize', () => {
  it('gives mean 0 and std 1 per column on the fitted rows', () => {
    const x = m([
      [1, 10],
      [2, 20],
      [3, 30],
      [4, 40],
    ]);
    const stats = standardize(x);
    expect(stats.mean).toEqual([2.5, 25]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(1.25), 12);
    const z = applyStandardize(x, stats);
    for (let c = 0; c < 2; c++) {
      const col = [0, 1, 2, 3].map((r) => z.data[r * 2 + c] as number);
      expect(col.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 6);
      expect(Math.sqrt(col.reduce((s, v) => s + v * v, 0) / 4)).toBeCloseTo(1, 6);
    }
  });

  it('a constant column gets std 1 and maps to 0, never NaN', () => {
    const x = m([
      [5, 0.1],
      [5, 0.1],
      [5, 0.1],
    ]);
    const stats = standardize(x);
    expect(stats.std).toEqual([1, 1]);
    const z = applyStandardize(x, stats);
    expect([...z.data].every((v) => v === 0)).toBe(true);
  });

  it('uses the training rows only: test statistics never enter', () => {
    const train = m([[0], [2]]);
    const test = m([[100], [200]]);
    const stats = standardize(train);
    expect(stats).toEqual({ mean: [1], std: [1] });
    expect([...applyStandardize(test, stats).data]).toEqual([99, 199]);
  });

  it('stats survive JSON', () => {
    const stats = standardize(
      m([
        [1, 2],
        [3, 5],
      ]),
    );
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
  });

  it('rejects a width mismatch and empty data', () => {
    expect(() => applyStandardize(m([[1, 2]]), { mean: [0], std: [1] })).toThrowError(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }) as Error,
    );
    expect(() => standardize(matrix(0, 2))).toThrowError(expect.objectContaining({ code: 'EMPTY_DATA' }) as Error);
  });

  it('property: standardize then invert is the identity (to float32 precision)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((cols) =>
          fc.array(
            fc.array(fc.float({ min: -1e4, max: 1e4, noNaN: true, noDefaultInfinity: true }), {
              minLength: cols,
              maxLength: cols,
            }),
            {
              minLength: 1,
              maxLength: 20,
            },
          ),
        ),
        (rows) => {
          const x = m(rows);
          const back = invertStandardize(applyStandardize(x, standardize(x)), standardize(x));
          for (let i = 0; i < x.data.length; i++) {
            expect(Math.abs((back.data[i] as number) - (x.data[i] as number))).toBeLessThanOrEqual(
              1e-2 + 1e-5 * Math.abs(x.data[i] as number),
            );
          }
          expect(back.data.every(Number.isFinite)).toBe(true);
        },
      ),
    );
  });
});

describe('minMax', () => {
  it('maps the fitted range to [0, 1], constant column to 0, and inverts', () => {
    const x = m([
      [0, 7],
      [5, 7],
      [10, 7],
    ]);
    const stats = minMax(x);
    expect(stats).toEqual({ min: [0, 7], max: [10, 7] });
    const z = applyMinMax(x, stats);
    expect([...z.data]).toEqual([0, 0, 0.5, 0, 1, 0]);
    expect([...invertMinMax(z, stats).data]).toEqual([...x.data]);
  });
});

describe('oneHot / argmax', () => {
  it('sorts classes, numerically when labels are numbers', () => {
    expect(sortClasses(['b', 'a', 'c', 'a'])).toEqual(['a', 'b', 'c']);
    expect(sortClasses(['10', '9', '1'])).toEqual(['1', '9', '10']);
  });

  it('encodes and decodes', () => {
    const { y, classes } = oneHot(['cat', 'dog', 'cat', 'bird']);
    expect(classes).toEqual(['bird', 'cat', 'dog']);
    expect([...y.data]).toEqual([0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0]);
    expect([...argmax(y)]).toEqual([1, 2, 1, 0]);
    expect(decodeLabels(y, classes)).toEqual(['cat', 'dog', 'cat', 'bird']);
  });

  it('with given classes, an unknown label is INVALID_DATA naming it', () => {
    expect(() => oneHot(['x'], ['a', 'b'])).toThrowError(/"x" at row 0 is not a known class; expected one of: a, b/);
  });

  it('a single column decodes as binary at 0.5', () => {
    expect(decodeLabels(matrix(3, 1, new Float32Array([0.2, 0.5, 0.9])), ['no', 'yes'])).toEqual(['no', 'yes', 'yes']);
  });

  it('property: oneHot then decodeLabels round-trips any labels', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', '1', '2', 'zz'), { minLength: 1, maxLength: 50 }),
        (labels) => {
          const { y, classes } = oneHot(labels);
          expect(decodeLabels(y, classes)).toEqual(labels);
        },
      ),
    );
  });
});
