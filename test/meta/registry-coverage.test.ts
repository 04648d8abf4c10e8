// One place that holds every registry to its tests (STYLE.md §7, tables that cannot drift): a
// registered activation, loss, optimizer rule or initialiser fails here until it has a finite-difference
// gradient check, an oracle row and its optimizer-table rows. The rows themselves are the tables
// the checks run (they are imported, not restated), so a row here is a check that runs.
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, LOSS_NAMES, OPTIMIZER_NAMES } from '../../src/index.js';
import { TARGETS } from '../grad/check-gradients.js';
import { ACTIVATIONS, LOSSES } from '../grad/tables.js';
import { INITIALIZER_NAMES } from '../../src/nn/initializers.js';
import { EXPECTED as INITIALIZER_EXPECTATIONS } from '../nn/initializer-expectations.js';
import { LOSS_REFERENCE } from '../nn/loss-reference.js';
import { FLOAT64_REFERENCES } from '../optim/float64-references.js';
import { RULES } from '../optim/rules.js';
import { TFJS_LOSSES } from '../oracle/compare-with-tfjs.js';
import { LARGE_NET_OPTIMIZERS, OPTIMIZERS, SMALL_NET_CASES } from '../oracle/optimizer-specs.js';

/** The registered names `table` has no row for. */
const missing = (names: readonly string[], table: Iterable<string>): string[] => {
  const rows = new Set(table);
  return names.filter((n) => !rows.has(n));
};

describe('every registered activation, loss, optimizer rule and initialiser is tested', () => {
  it('activations: a gradient check (test/grad/tables.ts) and a TF.js oracle network using it', () => {
    expect(missing(ACTIVATION_NAMES, Object.keys(ACTIVATIONS)), 'no gradient check').toEqual([]);
    // The activations the oracle's random networks really draw, not a list written to match.
    const oracle = SMALL_NET_CASES.flatMap((c) => c.spec.layers.map((l) => l.activation));
    expect(missing(ACTIVATION_NAMES, oracle), 'in no TF.js oracle network').toEqual([]);
  });

  it('losses: a gradient check with targets, a TF.js oracle row and a float64 reduction reference', () => {
    expect(missing(LOSS_NAMES, Object.keys(LOSSES)), 'no gradient check').toEqual([]);
    expect(missing(LOSS_NAMES, Object.keys(TARGETS)), 'no gradient-check targets').toEqual([]);
    expect(missing(LOSS_NAMES, TFJS_LOSSES), 'no TF.js oracle row').toEqual([]);
    expect(missing(LOSS_NAMES, Object.keys(LOSS_REFERENCE)), 'no float64 reference').toEqual([]);
  });

  it('optimizer rules: a row in the optimizer test table, and the TF.js oracles or a float64 reference', () => {
    const types = (specs: readonly { type: string }[]): string[] => specs.map((s) => s.type);
    expect(missing(OPTIMIZER_NAMES, types(Object.values(RULES))), 'no optimizer-table row').toEqual([]);
    // A rule TF.js has no twin of is held to an independent float64 implementation instead.
    const referenced = types(Object.values(FLOAT64_REFERENCES).map((r) => r.spec));
    const small = [...types(Object.values(OPTIMIZERS)), ...referenced];
    expect(missing(OPTIMIZER_NAMES, small), 'no small-network oracle row or float64 reference').toEqual([]);
    const large = [...types(Object.values(LARGE_NET_OPTIMIZERS).flat()), ...referenced];
    expect(missing(OPTIMIZER_NAMES, large), 'no large-network oracle row or float64 reference').toEqual([]);
  });

  it('initialisers: the distribution each must draw (test/nn/initializers.test.ts, a statistical test)', () => {
    expect(missing(INITIALIZER_NAMES, Object.keys(INITIALIZER_EXPECTATIONS)), 'no statistical test').toEqual([]);
  });

  it('names nothing that is not registered (a renamed entry cannot leave a stale row behind)', () => {
    expect(missing(Object.keys(ACTIVATIONS), ACTIVATION_NAMES)).toEqual([]);
    expect(missing([...Object.keys(LOSSES), ...TFJS_LOSSES, ...Object.keys(LOSS_REFERENCE)], LOSS_NAMES)).toEqual([]);
    expect(missing(Object.keys(LARGE_NET_OPTIMIZERS), OPTIMIZER_NAMES)).toEqual([]);
  });
});
