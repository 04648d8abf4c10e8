import { describe, expect, it } from 'vitest';
import { matrix, type Matrix } from '../../src/index.js';
import {
  applyMinMax,
  applyStandardize,
  argmax,
  batches,
  circles,
  decodeLabels,
  gaussianClusters,
  minMax,
  moons,
  oneHot,
  spiral,
  standardize,
  trainTestSplit,
  xor,
  xorPlane,
} from '../../src/data/index.js';
import { expectCode } from '../helpers/errors.js';

const x = matrix(4, 2, Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
const y = matrix(4, 1, Float32Array.from([0, 1, 0, 1]));
const asMatrix = (v: unknown): Matrix => v as Matrix;

describe('data helpers answer misuse with a NeuriteError, never a TypeError', () => {
  it('oneHot([0, 1, 2], 3): the classes are labels, not a count', () => {
    expectCode(
      () => oneHot([0, 1, 2], 3 as unknown as string[]),
      'INVALID_OPTION',
      /classes must be an array.*got 3.*number of classes follows/,
    );
    expectCode(() => oneHot('abc' as unknown as string[]), 'INVALID_DATA', /labels must be an array/);
    expectCode(() => oneHot([1, null] as unknown as number[]), 'INVALID_DATA', /label at row 1/);
    expect(oneHot([0, 1, 2]).classes).toEqual(['0', '1', '2']);
  });

  it('functions of a Matrix refuse arrays of rows, saying how to build one', () => {
    const rows = asMatrix([
      [1, 2],
      [3, 4],
    ]);
    for (const f of [
      () => standardize(rows),
      () => minMax(rows),
      () => argmax(rows),
      () => decodeLabels(rows, ['a']),
    ]) {
      expectCode(f, 'SHAPE_MISMATCH', /must be a Matrix .*toMatrix\(rows\) builds one/);
    }
    expectCode(() => [...batches(rows, rows)], 'SHAPE_MISMATCH');
    expectCode(() => trainTestSplit(rows, rows), 'INVALID_OPTION');
    expectCode(() => applyStandardize(x, { mean: [0, 0] } as never), 'INVALID_OPTION', /\{ mean, std \}/);
    expectCode(() => applyMinMax(x, null as never), 'INVALID_OPTION');
    expectCode(() => applyStandardize(x, { mean: [0], std: [1] }), 'SHAPE_MISMATCH', /1 columns but the data has 2/);
  });

  it('options: unknown keys with did-you-mean, switches that are not booleans', () => {
    expectCode(() => [...batches(x, y, { batch: 2 } as object)], 'INVALID_OPTION', /did you mean `batchSize`/);
    expectCode(() => [...batches(x, y, { shuffle: 'yes' } as object)], 'INVALID_OPTION', /got the string "yes"/);
    expectCode(() => trainTestSplit(x, y, { testSize: 0.2 } as object), 'INVALID_OPTION', /unknown option `testSize`/);
    expectCode(() => trainTestSplit(x, y, { stratify: 1 } as object), 'INVALID_OPTION');
    expectCode(() => spiral({ point: 10 } as object), 'INVALID_OPTION', /in spiral options/);
    expectCode(() => spiral({ turns: 'many' } as object), 'INVALID_OPTION', /turns/);
    expectCode(() => circles({ factr: 0.3 } as object), 'INVALID_OPTION', /did you mean `factor`/);
    expectCode(() => moons({ noize: 0.1 } as object), 'INVALID_OPTION', /did you mean `noise`/);
    expectCode(() => gaussianClusters({ class: 3 } as object), 'INVALID_OPTION', /did you mean `classes`/);
    expectCode(() => xorPlane(null as never), 'INVALID_OPTION', /xorPlane options must be an object/);
    expectCode(() => xor({ onehot: true } as object), 'INVALID_OPTION', /did you mean `oneHot`/);
    expectCode(() => moons({ oneHot: 'false' } as object), 'INVALID_OPTION', /oneHot must be true or false/);
  });
});
