import { describe, expect, it } from 'vitest';
import { NeuralNetwork, TableModel, fitTable } from '../../src/index.js';
import { expectCode, expectRejectCode } from '../helpers/errors.js';
import { messyRows } from '../helpers/tables.js';

describe('fitTable and TableModel', () => {
  it('trains on raw records and predicts labels and probabilities from raw records', async () => {
    const model = await fitTable(messyRows(300), { target: 'kind', seed: 1, epochs: 80 });
    expect(model.pipeline.dropped.map((d) => d.column)).toEqual(['id']);
    expect(model.history?.epochs).toBeGreaterThan(0);
    const test = messyRows(100, 2);
    const p = model.predict(test);
    if (p.task !== 'classification') throw new Error('expected classification');
    expect(p.classes).toEqual(['big', 'small']);
    const right = p.labels.filter((l, i) => l === test[i]!['kind']).length;
    expect(right / test.length).toBeGreaterThan(0.85);
    p.probabilities.forEach((row) => expect(row[0]! + row[1]!).toBeCloseTo(1, 5));
    // Unknown categories and missing cells are handled and reported, not errors.
    const odd = model.predict([{ id: '9', seen: '', x: '', colour: 'mauve' }]);
    expect(odd.report.unknown['colour']?.count).toBe(1);
    expect(odd.report.imputed).toEqual({ seen: 1, x: 1 });
  });

  it('saves and loads with the pipeline, predicting identically (also through a plain NeuralNetwork)', async () => {
    const model = await fitTable(messyRows(120), { target: 'kind', seed: 3, epochs: 5 });
    const json = JSON.parse(JSON.stringify(model.toJSON())) as unknown;
    const back = TableModel.fromJSON(json);
    const rows = messyRows(30, 5);
    expect(back.predict(rows)).toEqual(model.predict(rows));
    // A plain network round trip keeps the pipeline under metadata.
    const net = NeuralNetwork.fromJSON(JSON.parse(JSON.stringify(model.net.toJSON())));
    expect(TableModel.fromJSON(net.toJSON()).predict(rows)).toEqual(model.predict(rows));
  });

  it('predicts regression values in the target’s units', async () => {
    const rows = messyRows(300).map((r) => ({ ...r, kind: String(1000 + 50 * Number(r['x'] === '' ? 5 : r['x'])) }));
    const model = await fitTable(rows, { target: 'kind', seed: 2, epochs: 150 });
    const p = model.predict([{ id: '1', seen: '2021-03-15', x: '4.00', colour: 'red' }]);
    if (p.task !== 'regression') throw new Error('expected regression');
    expect(Math.abs(p.values[0]! - 1200)).toBeLessThan(60);
  });

  it('trains as autoFit chooses from the table, and reports the plan and the validation score against the baseline', async () => {
    const model = await fitTable(messyRows(300), { target: 'kind', seed: 1, epochs: 40 });
    expect(model.fit.plan.reason).toContain('classification, 300 rows');
    expect(model.fit.validation?.score).toBeGreaterThan(model.fit.validation?.baseline ?? 1);
    expect(model.history?.valLoss?.length).toBe(model.history?.epochs);
  });

  it('takes one sample weight per record (dropped with the records that have no target) and class weights', async () => {
    const rows = messyRows(200, 4).map((r, i) => (i % 9 === 0 ? { ...r, kind: '' } : r));
    const weights = rows.map((_, i) => 1 + (i % 3));
    const fixed = { target: 'kind', seed: 2, epochs: 15, validationSplit: 0, backend: 'js' } as const;
    const all = await fitTable(rows, { ...fixed, sampleWeight: weights });
    const labelled = rows.flatMap((r, i) => (r['kind'] === '' ? [] : [i]));
    const same = await fitTable(
      labelled.map((i) => rows[i]!),
      { ...fixed, sampleWeight: labelled.map((i) => weights[i]!) },
    );
    expect([...all.net.getWeights()]).toEqual([...same.net.getWeights()]);
    const unweighted = await fitTable(rows, fixed);
    expect([...unweighted.net.getWeights()]).not.toEqual([...all.net.getWeights()]);
    // 'balanced' is scikit-learn's n / (classes · count) per row: the same network as those weights.
    const counts = new Map<string, number>();
    for (const i of labelled) counts.set(String(rows[i]!['kind']), (counts.get(String(rows[i]!['kind'])) ?? 0) + 1);
    const perRow = rows.map((r) => (r['kind'] === '' ? 0 : labelled.length / (2 * counts.get(String(r['kind']))!)));
    const balanced = await fitTable(rows, { ...fixed, classWeight: 'balanced' });
    const byHand = await fitTable(rows, { ...fixed, sampleWeight: perRow });
    expect([...balanced.net.getWeights()]).toEqual([...byHand.net.getWeights()]);
  });

  it('checks its options strictly', async () => {
    const rows = messyRows(60);
    const e = await expectRejectCode(fitTable(rows, { target: 'kind', epoch: 3 } as never), 'INVALID_OPTION');
    expect(e.message).toMatch(/unknown option `epoch` in fitTable options; did you mean `epochs`\?/);
    await expectRejectCode(fitTable(rows, { target: 'kind', sampleWeight: [1, 2] }), 'SHAPE_MISMATCH');
    await expectRejectCode(fitTable(rows, { target: 'x', classWeight: 'balanced' }), 'INVALID_OPTION');
  });

  it('refuses a network without a pipeline, and a corrupt one, with INVALID_MODEL', async () => {
    const plain = new NeuralNetwork({ layers: [2, 2], seed: 1 });
    expectCode(() => TableModel.fromJSON(plain.toJSON()), 'INVALID_MODEL', /no metadata\.pipeline/);
    const model = await fitTable(messyRows(60), { target: 'kind', seed: 1, epochs: 1 });
    const json = model.toJSON() as unknown as { metadata: { pipeline: { steps: { kind: string }[] } } };
    json.metadata.pipeline.steps[0]!.kind = 'unheard-of';
    expectCode(() => TableModel.fromJSON(json), 'INVALID_MODEL', /metadata\.pipeline\.steps\[0\]\.kind/);
  });
});
