import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NeuriteError } from '../../src/core/index.js';
import { encodeCsv, encodeRows, parseCsv, recordFromValues } from '../../src/data/index.js';
import { readCsvFile } from '../../src/data/node/index.js';

const houses = [
  'size,rooms,color,price',
  '50,2,red,100.5',
  '80,3,blue,180.25',
  '65,2,red,130',
  '120,4,green,260.75',
  '',
].join('\n');

function caught(f: () => unknown): NeuriteError {
  try {
    f();
  } catch (e) {
    if (e instanceof NeuriteError) return e;
    throw e;
  }
  throw new Error('expected a NeuriteError');
}

describe('parseCsv', () => {
  it('happy path: regression, categorical one-hot, names', () => {
    const { dataset, encoding, dropped } = parseCsv(houses, { target: 'price', name: 'houses' });
    expect(dataset.name).toBe('houses');
    expect(dataset.task).toBe('regression');
    expect(dataset.featureNames).toEqual(['size', 'rooms', 'color=blue', 'color=green', 'color=red']);
    expect(dataset.targetNames).toEqual(['price']);
    expect(dataset.classes).toBeUndefined();
    expect([...dataset.x.data.subarray(0, 5)]).toEqual([50, 2, 0, 0, 1]);
    expect([...dataset.y.data]).toEqual([100.5, 180.25, 130, 260.75]);
    expect(dropped).toEqual([]);
    expect(JSON.parse(JSON.stringify(encoding))).toEqual(encoding);
  });

  it('infers classification from a non-numeric target', () => {
    const { dataset } = parseCsv('a,b,label\n1,2,yes\n3,4,no\n5,6,yes\n', { target: 'label' });
    expect(dataset.task).toBe('classification');
    expect(dataset.classes).toEqual(['no', 'yes']);
    expect(dataset.targetNames).toEqual(['label=no', 'label=yes']);
    expect([...dataset.y.data]).toEqual([0, 1, 1, 0, 0, 1]);
  });

  it('infers classification from few distinct integers, regression otherwise', () => {
    expect(parseCsv('a,k\n1,0\n2,2\n3,1\n4,2\n', { target: 'k' }).dataset.classes).toEqual(['0', '1', '2']);
    expect(parseCsv('a,v\n1,0.5\n2,2\n', { target: 'v' }).dataset.task).toBe('regression');
    const many = ['a,v', ...Array.from({ length: 25 }, (_, i) => `${String(i)},${String(i)}`)].join('\n');
    expect(parseCsv(many, { target: 'v' }).dataset.task).toBe('regression');
    expect(parseCsv(many, { target: 'v', task: 'classification' }).dataset.y.cols).toBe(25);
    expect(parseCsv('a,k\n1,0\n2,1\n', { target: 'k', task: 'regression' }).dataset.y.cols).toBe(1);
  });

  it('several one-hot target columns are classification with the column names as classes', () => {
    const { dataset } = parseCsv('a,cat,dog\n1,1,0\n2,0,1\n', { target: ['cat', 'dog'] });
    expect(dataset.task).toBe('classification');
    expect(dataset.classes).toEqual(['cat', 'dog']);
    expect(parseCsv('a,p,q\n1,0.5,3\n2,1,4\n', { target: ['p', 'q'] }).dataset.task).toBe('regression');
  });

  it('unknown target column: INVALID_OPTION listing the available columns', () => {
    const e = caught(() => parseCsv(houses, { target: 'cost' }));
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.message).toBe(
      'unknown target column "cost"; available columns: size, rooms, color, price (or give a 1-based column number, 1–4)',
    );
  });

  it('missing value: INVALID_DATA naming row, line and column', () => {
    const e = caught(() => parseCsv('a,b,y\n1,2,3\n4,,6\n', { target: 'y' }));
    expect(e.code).toBe('INVALID_DATA');
    expect(e.message).toBe('row 2 (line 3), column "b": missing value');
    expect(caught(() => parseCsv('a,y\n1,2\nNA,3\n', { target: 'y' })).message).toMatch(
      /row 2 \(line 3\), column "a": missing value/,
    );
  });

  it('non-numeric cell in a numeric column: INVALID_DATA naming row and column', () => {
    const e = caught(() => parseCsv('a,b,y\n1,2,3\n4,5,6\n7,oops,9\n', { target: 'y' }));
    expect(e.code).toBe('INVALID_DATA');
    expect(e.message).toBe('row 3 (line 4), column "b": expected a number, found "oops"');
    expect(e.details).toMatchObject({ row: 3, line: 4, column: 'b' });
  });

  it('blank lines do not shift the row number, but the line number follows the file', () => {
    const e = caught(() => parseCsv('a,y\n1,2\n\n3,x\n', { target: 'y', task: 'regression' }));
    expect(e.message).toBe('row 2 (line 4), column "y": expected a number, found "x"');
  });

  it('dropInvalid skips bad rows and reports them', () => {
    const { dataset, dropped } = parseCsv('a,b,y\n1,2,3\n4,,6\n7,oops,9\n10,11,12\n', {
      target: 'y',
      dropInvalid: true,
    });
    expect(dataset.x.rows).toBe(2);
    expect([...dataset.x.data]).toEqual([1, 2, 10, 11]);
    expect(dropped).toEqual([
      { row: 2, line: 3, column: 'b', reason: 'missing value' },
      { row: 3, line: 4, column: 'b', reason: 'expected a number, found "oops"' },
    ]);
    expect(caught(() => parseCsv('a,y\n,1\n', { target: 'y', dropInvalid: true })).code).toBe('EMPTY_DATA');
  });

  it('malformed CSV, duplicate headers and empty input are clear errors', () => {
    expect(caught(() => parseCsv('a,y\n1,2,3\n', { target: 'y' })).message).toMatch(
      /^CSV row 1 \(line 2\) has 3 fields, expected 2 as in the header/,
    );
    expect(caught(() => parseCsv('a,a\n1,2\n', { target: 'a' })).message).toMatch(/"a" appears twice/);
    expect(caught(() => parseCsv('', { target: 'y' })).code).toBe('EMPTY_DATA');
    expect(caught(() => parseCsv('a,y\n', { target: 'y' })).code).toBe('EMPTY_DATA');
    expect(caught(() => parseCsv('a,y\n1,2\n', { target: 'y', task: 'bogus' as 'regression' })).code).toBe(
      'INVALID_OPTION',
    );
  });

  it('features and categorical options choose and force columns', () => {
    const { dataset } = parseCsv(houses, { target: 'price', features: ['rooms'], categorical: ['rooms'] });
    expect(dataset.featureNames).toEqual(['rooms=2', 'rooms=3', 'rooms=4']);
    expect(caught(() => parseCsv(houses, { target: 'price', features: ['nope'] })).message).toMatch(
      /available columns: size/,
    );
  });
});

describe('encodeRows / encodeCsv', () => {
  const { encoding } = parseCsv('w,color,label\n1,red,a\n2,blue,b\n3,red,a\n', { target: 'label' });

  it('applies the training transform to new rows, with or without targets', () => {
    const enc = encodeRows(encoding, [{ w: '5', color: 'blue', label: 'b' }]);
    expect([...enc.x.data]).toEqual([5, 1, 0]);
    expect([...(enc.y?.data ?? [])]).toEqual([0, 1]);
    const noTarget = encodeCsv(encoding, 'color,w\nred,7\n');
    expect([...noTarget.x.data]).toEqual([7, 0, 1]);
    expect(noTarget.y).toBeUndefined();
    expect(encodeRows(encoding, [{ w: 1.5, color: 'red' }]).x.data[0]).toBe(1.5);
  });

  it('unknown category or class names row and column; a missing column lists what is there', () => {
    expect(caught(() => encodeCsv(encoding, 'w,color\n1,green\n')).message).toBe(
      'row 1 (line 2), column "color": unknown category "green"; known: blue, red',
    );
    expect(caught(() => encodeCsv(encoding, 'w,color,label\n1,red,c\n')).message).toMatch(
      /unknown class "c"; known: a, b/,
    );
    const e = caught(() => encodeCsv(encoding, 'width,color\n1,red\n'));
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.message).toBe('missing feature column "w"; available columns: width, color');
  });

  it('recordFromValues maps raw values in feature order', () => {
    expect([...encodeRows(encoding, [recordFromValues(encoding, [4, 'red'])]).x.data]).toEqual([4, 0, 1]);
    expect(caught(() => recordFromValues(encoding, [1])).message).toBe('expected 2 values (w, color), got 1');
  });

  it('numeric class labels match in canonical form', () => {
    const parsed = parseCsv('a,k\n1,0\n2,1\n', { target: 'k' });
    expect([...(encodeCsv(parsed.encoding, 'a,k\n3,1.0\n').y?.data ?? [])]).toEqual([0, 1]);
  });
});

describe('readCsvFile', () => {
  it('reads a file and names the dataset after it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-csv-'));
    const path = join(dir, 'houses.csv');
    writeFileSync(path, houses);
    const { dataset } = readCsvFile(path, { target: 'price' });
    expect(dataset.name).toBe('houses');
    expect(dataset.x.rows).toBe(4);
  });

  it('a missing file is IO_ERROR naming the path', () => {
    const e = caught(() => readCsvFile('/definitely/not/here.csv', { target: 'y' }));
    expect(e.code).toBe('IO_ERROR');
    expect(e.message).toBe('cannot read CSV file "/definitely/not/here.csv": no such file');
  });
});
