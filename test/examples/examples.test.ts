import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as seed000 from '../../examples/seed-000-neurons.js';
import * as seed001 from '../../examples/seed-001-ssr.js';
import * as seed002 from '../../examples/seed-002-people.js';
import * as xor from '../../examples/xor.js';
import * as tour from '../../examples/api-tour.js';

describe('examples (the seed posts, runnable)', () => {
  it('seed 002: the post as written predicts ~0.5 for everyone (saturated sigmoids)', () => {
    const { predictions, epochLoss } = seed002.main();
    expect(predictions).toHaveLength(3);
    for (const p of predictions) expect(Math.abs(p - 0.5)).toBeLessThan(0.05);
    expect(epochLoss).toHaveLength(1000);
  });

  it('seed 002 with standardized inputs separates the classes and its loss falls', () => {
    const { predictions, epochLoss } = seed002.main(false, true);
    expect(predictions[0]).toBeGreaterThan(0.8);
    expect(predictions[1]).toBeLessThan(0.2);
    expect(predictions[2]).toBeGreaterThan(0.8);
    expect(epochLoss.at(-1)).toBeLessThan((epochLoss[0] as number) / 5);
  });

  it('seed 001: SSR falls with both sigmoid and ReLU', async () => {
    const curves = await seed001.main(false, 150);
    for (const curve of [curves.sigmoid, curves.relu]) {
      expect(curve).toHaveLength(150);
      expect(curve.at(-1)).toBeLessThan((curve[0] as number) * 0.5);
    }
  });

  it('seed 000: a hand-edited neuron changes the output exactly as computed by hand', () => {
    const { before, after, expected } = seed000.main();
    expect(after).not.toBeCloseTo(before, 3);
    expect(after).toBeCloseTo(expected, 5);
  });

  it('xor is learned', async () => {
    const { mse, predictions } = await xor.main();
    expect(mse).toBeLessThan(0.05);
    expect(predictions.map((p) => Math.round(p))).toEqual([0, 1, 1, 0]);
  });

  it("the README's API tour runs as written", async () => {
    const r = await tour.main();
    expect(r.trainLoss).toBeGreaterThan(0);
    expect(r.history.loss.length).toBeGreaterThan(0);
    expect(r.history.valLoss).toHaveLength(r.history.loss.length);
    expect(r.history.loss.at(-1)).toBeLessThan(r.history.loss[0] as number);
    expect(r.errorCode).toBe('SHAPE_MISMATCH');
    expect(r.roundTripEqual).toBe(true);
    expect(r.editedNeuron.weights.map((w) => Math.fround(w))).toEqual([0.5, -0.2, 0.1].map((w) => Math.fround(w)));
    expect(r.circlesAccuracy).toBeGreaterThan(0.9);
    expect(r.tableLabel).toBe('setosa');
    expect(r.tableNotes).toEqual([
      'filled in 1 missing cell: petal_length 1',
      'garden: 1 cell with a category not seen in training ("east"), ignored',
    ]);
    expect(r.tableRoundTripEqual).toBe(true);
    expect(r.circlesMetrics.accuracy).toBeCloseTo(r.circlesAccuracy, 6);
    expect(r.circlesMetrics.f1Macro).toBeGreaterThan(0.9);
    expect(r.circlesMetrics.rocAuc).toBeGreaterThan(0.95);
    expect(r.baselineAccuracy).toBeLessThan(0.7);
  });

  it('every example file is exercised by a test', () => {
    const covered = new Set(['api-tour.ts', 'seed-000-neurons.ts', 'seed-001-ssr.ts', 'seed-002-people.ts', 'xor.ts']);
    const files = readdirSync(new URL('../../examples/', import.meta.url)).filter(
      (f) => f.endsWith('.ts') && !f.startsWith('evolve-'),
    );
    // Evolution examples are run by test/evolve.
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
  });
});
