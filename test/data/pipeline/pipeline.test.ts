import { describe, expect, it } from 'vitest';
import {
  describePipeline,
  describeTransform,
  fitPipeline,
  inferRole,
  parseDate,
  readPipeline,
  transformRecords,
  type CsvRecord,
  type Pipeline,
} from '../../../src/data/index.js';
import { expectCode } from '../../helpers/errors.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('column roles', () => {
  it('drops row numbers: an id column, pandas’ Unnamed: 0, a sorted run of distinct integers', () => {
    const shuffled = [5, 3, 9, 1, 7, 2, 8, 4, 6, 10, 12, 11].map(String);
    expect(inferRole('id', shuffled).role).toBe('identifier');
    expect(inferRole('PassengerId', shuffled).role).toBe('identifier');
    expect(inferRole('Unnamed: 0', shuffled).role).toBe('identifier');
    expect(
      inferRole(
        'n',
        range(12).map((i) => String(3 * i + 1)),
      ).role,
    ).toBe('identifier');
    // Not row numbers: repeats, gaps in the cells, unsorted without an id name, a sorted year axis.
    expect(inferRole('id', ['1', '2', '2']).role).toBe('numeric');
    expect(inferRole('id', ['1', '', '3']).role).toBe('numeric');
    expect(inferRole('n', shuffled).role).toBe('numeric');
    expect(
      inferRole(
        'year',
        range(12).map((i) => String(2000 + i)),
      ).role,
    ).toBe('numeric');
    // A column the user asked for is kept.
    expect(inferRole('id', shuffled, { chosen: true }).role).toBe('numeric');
  });

  it('drops nearly unique text, constant and empty columns; reads dates, two-valued and categorical text', () => {
    expect(
      inferRole(
        'name',
        range(20).map((i) => `p${String(i)}`),
      ).role,
    ).toBe('identifier');
    expect(inferRole('k', ['a', 'a', 'NA', 'a']).role).toBe('constant');
    expect(inferRole('k', ['', 'NA', '?']).role).toBe('empty');
    expect(inferRole('d', ['2012-01-01', '2013-06-30T10:00:00Z', '2014/02/03', '']).role).toBe('date');
    expect(inferRole('s', ['yes', 'no', 'yes']).role).toBe('boolean');
    expect(inferRole('c', ['a', 'b', 'c', 'a']).role).toBe('categorical');
    expect(inferRole('c', ['1', '2', '3'], { categorical: true }).role).toBe('categorical');
    expect(inferRole('x', ['1.5', '2', 'oops']).role).toBe('numeric');
  });

  it('parses ISO dates and timestamps, and refuses impossible or ambiguous ones', () => {
    expect(parseDate('1970-01-02')).toBe(86_400_000);
    expect(parseDate('2000-03-01T01:30+01:00')).toBe(Date.UTC(2000, 2, 1, 0, 30));
    expect(parseDate('2021-02-30')).toBeUndefined();
    expect(parseDate('01/02/2012')).toBeUndefined();
    expect(parseDate('2012')).toBeUndefined();
  });
});

/** A small table with every kind of column; the label depends on x and colour. */
function rows(n: number): CsvRecord[] {
  return range(n).map((i) => ({
    id: String(i + 1),
    when: `2020-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`,
    x: i % 9 === 0 ? 'NA' : String((i * 37) % 101),
    colour: ['red', 'green', 'blue'][i % 3] as string,
    flag: i % 4 === 0 ? 'yes' : 'no',
    same: 'k',
    label: i % 17 === 0 ? '' : (i * 37) % 101 > 50 ? 'hi' : 'lo',
  }));
}

describe('fitPipeline / transformRecords', () => {
  const p = fitPipeline(rows(60), { target: 'label' });

  it('uses numbers, dates, categories and flags; drops identifiers and constants; leaves out rows without a target', () => {
    expect(p.steps.map((s) => [s.column, s.kind])).toEqual([
      ['when', 'date'],
      ['x', 'numeric'],
      ['colour', 'categorical'],
      ['flag', 'boolean'],
    ]);
    expect(p.dropped.map((d) => [d.column, d.reason])).toEqual([
      ['id', 'identifier'],
      ['same', 'constant'],
    ]);
    expect(p.rowsWithoutTarget).toBe(4); // rows 0, 17, 34, 51
    expect(p.rows).toBe(56);
    expect(p.featureNames).toEqual([
      'when (days)',
      'when (month)',
      'when (dayOfWeek)',
      'x',
      'x (missing)',
      'colour=blue',
      'colour=green',
      'colour=red',
      'flag=yes',
    ]);
    const text = describePipeline(p).join('\n');
    expect(text).toContain('id: dropped, row identifier');
    expect(text).toContain('4 rows without a target left out');
    expect(text).toMatch(/x: \d+ cells \(\d+\.\d%\) missing, filled with the median/);
  });

  it('fills in missing cells, ignores unknown categories and counts both, never failing', () => {
    const t = transformRecords(p, [
      { when: '', x: '', colour: 'purple', flag: 'maybe' },
      { when: '2020-05-05', x: 'abc', colour: 'red', flag: 'yes' },
      { when: '2020-05-06', x: '12', colour: 'blue', flag: 'no' },
    ]);
    expect(t.y).toBeUndefined();
    const row0 = Array.from(t.x.data.subarray(0, t.x.cols));
    expect(row0.slice(5, 8)).toEqual([0, 0, 0]); // purple: all zeros
    expect(row0[4]).toBe(1); // x was missing
    expect(t.report.imputed).toEqual({ when: 1, x: 1 });
    expect(t.report.invalid).toEqual({ x: 1 });
    expect(t.report.unknown).toEqual({
      colour: { count: 1, values: ['purple'] },
      flag: { count: 1, values: ['maybe'] },
    });
    expect(describeTransform(t.report).join('\n')).toContain(
      'colour: 1 cell with a category not seen in training ("purple")',
    );
  });

  it('encodes targets when the records have them, leaving out rows without a usable one', () => {
    const t = transformRecords(p, [...rows(3), { ...rows(2)[1]!, label: 'unheard-of' }]);
    expect(t.kept).toEqual([1, 2]);
    expect(t.report.targetMissing).toBe(1);
    expect(t.report.targetUnknown).toBe(1);
    expect(t.y?.cols).toBe(2);
  });

  it('refuses a column where most cells are unreadable (a file read with another decimal separator)', () => {
    const eu = rows(6).map((r) => ({ ...r, x: `${String(r['x']).replace('NA', '')},5` }));
    expectCode(
      () => transformRecords(p, eu),
      'INVALID_DATA',
      /column "x": expected a number, found "\d*,5" \(5 of 5 cells/,
    );
  });

  it('refuses records that lack a feature column entirely, naming it', () => {
    expectCode(() => transformRecords(p, [{ when: '2020-01-01', x: '1', flag: 'no' }]), 'INVALID_DATA', /"colour"/);
  });

  it('selects columns by name or 1-based number, and says when none is left', () => {
    expect(fitPipeline(rows(30), { target: 7, features: [3, 'colour'] }).steps.map((s) => s.column)).toEqual([
      'x',
      'colour',
    ]);
    expect(fitPipeline(rows(30), { target: 'label', exclude: ['when', 'x'] }).steps.map((s) => s.column)).toEqual([
      'colour',
      'flag',
    ]);
    expectCode(
      () => fitPipeline(rows(30), { target: 'label', features: ['nope'] }),
      'INVALID_OPTION',
      /unknown feature column "nope"/,
    );
    expectCode(
      () => fitPipeline(rows(30), { target: 'label', features: ['id', 'same'], exclude: ['id'] }),
      'INVALID_DATA',
      /no usable feature columns/,
    );
  });

  it('standardises a regression target with training statistics', () => {
    const r = fitPipeline(
      rows(40).map((x, i) => ({ ...x, label: String(100 + i) })),
      { target: 'label' },
    );
    expect(r.target.kind).toBe('values');
    const t = transformRecords(r, [{ ...rows(1)[0]!, label: '119.5' }]);
    expect(t.y?.data[0]).toBeCloseTo(0, 6); // 119.5 is the mean of 100…139
  });

  it('round-trips through JSON to identical inputs', () => {
    const back = readPipeline(JSON.parse(JSON.stringify(p)));
    expect(back).toEqual(p);
    const r = rows(20);
    expect(transformRecords(back, r).x.data).toEqual(transformRecords(p, r).x.data);
  });
});

describe('readPipeline refuses a corrupt pipeline with INVALID_MODEL naming the field', () => {
  const p = fitPipeline(rows(60), { target: 'label' });
  const cases: [string, (j: Record<string, unknown> & { steps: Record<string, unknown>[] }) => void, RegExp][] = [
    ['format', (j) => (j['format'] = 'other'), /pipeline\.format must be "neurite-pipeline"/],
    ['version', (j) => (j['version'] = 2), /pipeline\.version 2 is not supported/],
    ['step kind', (j) => (j.steps[0]!['kind'] = 'magic'), /pipeline\.steps\[0\]\.kind must be one of/],
    ['levels', (j) => (j.steps[2]!['levels'] = [1, 2]), /pipeline\.steps\[2\]\.levels\[0\] must be a string/],
    [
      'scale',
      (j) => ((j.steps[1]!['scale'] as Record<string, unknown>)['scale'] = -1),
      /pipeline\.steps\[1\]\.scale\.scale must be positive/,
    ],
    ['fill', (j) => (j.steps[1]!['fill'] = 'NaN'), /pipeline\.steps\[1\]\.fill must be a finite number/],
    ['featureNames', (j) => (j['featureNames'] = ['a']), /pipeline\.featureNames do not match the steps/],
    [
      'target',
      (j) => (j['target'] = { kind: 'label', columns: ['label'] }),
      /pipeline\.target\.classes must be a list/,
    ],
    ['duplicate column', (j) => (j.steps[1]!['column'] = 'when'), /"when" appears twice/],
    [
      'not an object',
      (j) => (j.steps[0] = 3 as unknown as Record<string, unknown>),
      /pipeline\.steps\[0\] must be an object/,
    ],
  ];
  for (const [what, corrupt, message] of cases) {
    it(what, () => {
      const j = JSON.parse(JSON.stringify(p)) as Pipeline &
        Record<string, unknown> & { steps: Record<string, unknown>[] };
      corrupt(j);
      expectCode(() => readPipeline(j), 'INVALID_MODEL', message);
    });
  }
});
