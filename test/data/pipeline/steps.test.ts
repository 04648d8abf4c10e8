import { beforeAll, describe, expect, it } from 'vitest';
import { fitPipeline, transformRecords, type CsvRecord } from '../../../src/data/index.js';
import { hasSklearn, runPython } from '../../helpers/sklearn.js';

// Each step against scikit-learn run on the same rows: the pipeline is fitted on `train` and
// applied to `test` by both, and the arrays compared.

const PY_PRELUDE = `
import json, sys
import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer, MissingIndicator
from sklearn.preprocessing import StandardScaler, MinMaxScaler, OneHotEncoder
d = json.load(sys.stdin)
def num(rows):
    return np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=float)
def txt(rows):
    return np.array(rows, dtype=object)
`;

/** Seeded rows with numbers, gaps and categories of every frequency. */
function table(n: number, seed: number): { a: number | null; b: number | null; c: string | null }[] {
  let s = seed;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const cats = ['ant', 'bee', 'cat', 'dog', 'eel', 'fox', 'gnu'];
  return Array.from({ length: n }, () => ({
    a: rand() < 0.15 ? null : Math.round(rand() * 1000) / 10,
    b: rand() < 0.3 ? null : Math.round((rand() - 0.5) * 1e4),
    // Skewed: ant common, gnu rare.
    c: rand() < 0.1 ? null : (cats[Math.floor(rand() ** 2 * cats.length)] as string),
  }));
}

const cell = (v: number | string | null): string => (v === null ? '' : String(v));
const records = (rows: ReturnType<typeof table>): CsvRecord[] =>
  rows.map((r, i) => ({ a: cell(r.a), b: cell(r.b), c: cell(r.c), y: String(i % 2) }));
const columns = (x: { rows: number; cols: number; data: Float32Array }, from: number, to: number): number[][] =>
  Array.from({ length: x.rows }, (_, r) => Array.from(x.data.subarray(r * x.cols + from, r * x.cols + to)));

function expectClose(got: number[][], want: number[][]): void {
  expect(got.length).toBe(want.length);
  got.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(want[r]![c]!, 4)));
}

const train = table(120, 7);
const test = table(40, 99);
test.push({ a: null, b: 5, c: 'zebra' }); // an unseen category

const CATEGORICAL_CASES = [
  [1, 50],
  [8, 50],
  [1, 4],
] as const;

/** scikit-learn's arrays for every case, from one Python run (starting scikit-learn is the slow part). */
interface Reference {
  median: number[][];
  mean: number[][];
  minmax: number[][];
  categorical: { names: string[]; x: number[][] }[];
}

function reference(): Reference {
  return runPython(
    `${PY_PRELUDE}
out = {}
for s in ['median', 'mean']:
    m = make_pipeline(SimpleImputer(strategy=s), StandardScaler()).fit(num(d['train']))
    out[s] = m.transform(num(d['test'])).tolist()
m = make_pipeline(SimpleImputer(strategy='median'), MinMaxScaler()).fit(num(d['train']))
ind = MissingIndicator(features='all').fit(num(d['train']))
out['minmax'] = np.hstack([m.transform(num(d['test'])), ind.transform(num(d['test']))]).tolist()
out['categorical'] = []
for minf, maxc in d['cases']:
    imp = SimpleImputer(strategy='most_frequent', missing_values=None).fit(txt(d['trainC']))
    enc = OneHotEncoder(handle_unknown='ignore', min_frequency=minf, max_categories=maxc, sparse_output=False)
    enc.fit(imp.transform(txt(d['trainC'])))
    names = [str(n).replace('x0_', 'c=').replace('infrequent_sklearn', '(other)') for n in enc.get_feature_names_out()]
    out['categorical'].append({'names': names, 'x': enc.transform(imp.transform(txt(d['testC']))).tolist()})
print(json.dumps(out))`,
    {
      train: train.map((r) => [r.a, r.b]),
      test: test.map((r) => [r.a, r.b]),
      trainC: train.map((r) => [r.c]),
      testC: test.map((r) => [r.c]),
      cases: CATEGORICAL_CASES,
    },
  ) as Reference;
}

describe.skipIf(!hasSklearn)('pipeline steps against scikit-learn', () => {
  let ref: Reference;
  beforeAll(() => {
    ref = reference();
  });

  for (const impute of ['median', 'mean'] as const) {
    it(`numeric: SimpleImputer(${impute}) + StandardScaler, fitted on the training rows`, () => {
      const p = fitPipeline(records(train), { target: 'y', features: ['a', 'b'], impute, missingIndicator: false });
      expect(p.featureNames).toEqual(['a', 'b']);
      expectClose(columns(transformRecords(p, records(test)).x, 0, 2), ref[impute]);
    });
  }

  it('numeric: MinMaxScaler, and MissingIndicator for the columns with gaps', () => {
    const p = fitPipeline(records(train), { target: 'y', features: ['a', 'b'], scale: 'minmax' });
    expect(p.featureNames).toEqual(['a', 'a (missing)', 'b', 'b (missing)']);
    const x = transformRecords(p, records(test)).x;
    // Ours interleaves each column's indicator; scikit-learn appends the indicators.
    expectClose(
      columns(x, 0, 4).map((r) => [r[0]!, r[2]!, r[1]!, r[3]!]),
      ref.minmax,
    );
  });

  CATEGORICAL_CASES.forEach(([minFrequency, maxCategories], i) => {
    it(`categorical: most frequent + OneHotEncoder(handle_unknown='ignore', min_frequency=${String(minFrequency)}, max_categories=${String(maxCategories)})`, () => {
      const p = fitPipeline(records(train), { target: 'y', features: ['c'], minFrequency, maxCategories });
      const t = transformRecords(p, records(test));
      const want = ref.categorical[i]!;
      expect(p.featureNames).toEqual(want.names);
      expectClose(columns(t.x, 0, t.x.cols), want.x);
      // The unseen category: all zeros, counted, never an error.
      expect(t.report.unknown['c']).toEqual({ count: 1, values: ['zebra'] });
    });
  });
});
