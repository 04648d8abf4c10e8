import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, LOSS_NAMES, type Activation, type ActivationName, type LossName } from '../../src/index.js';
import { ATOL, RTOL, checkGradients, type GradLayer, type GradSpec } from './check-gradients.js';
import { ACTIVATIONS, LOSSES } from './tables.js';
import { ActId } from '../../src/backend/types.js';

/**
 * A seed from the combination's names (FNV-1a), not a running count: adding an activation or loss
 * leaves every other combination's network and data as they were.
 */
function seedOf(...names: string[]): number {
  let h = 0x811c9dc5;
  for (const c of names.join('/')) h = Math.imul(h ^ (c.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return 100 + (h % 100_000);
}

function spec(hidden: Omit<GradLayer, 'units'>, output: Omit<GradLayer, 'units'>, loss: LossName): GradSpec {
  const seed = seedOf(hidden.activation, output.activation, loss);
  return {
    inputs: 1 + (seed % 4),
    layers: [
      { ...hidden, units: 3 + (seed % 3) },
      { ...hidden, units: 2 + ((seed >> 1) % 3) },
      { ...output, units: output.activation === 'softmax' ? 3 : 1 + (seed % 3) },
    ],
    loss,
    rows: 4,
    seed,
  };
}

function expectGradientsMatch(s: GradSpec): void {
  // A draw whose ReLUs are all dead has a zero gradient and checks nothing: take the next seed
  // (a few at most), so the check below always compares a gradient that is there.
  let r = checkGradients(s);
  for (let k = 1; k < 5 && r.maxAbsGradient <= 1e-4; k++) r = checkGradients({ ...s, seed: s.seed + k });
  const where = `|analytic − numeric| must be <= ${String(ATOL)} + ${String(RTOL)}·|g|; worst parameter ${String(r.worst.index)}: analytic ${String(r.worst.analytic)} vs numeric ${String(r.worst.numeric)} (seed ${String(r.seedUsed)})`;
  expect(r.worstRatio, where).toBeLessThanOrEqual(1);
  expect(r.maxAbsGradient, 'gradient is not trivially zero').toBeGreaterThan(1e-4);
  expect(Number.isFinite(r.loss)).toBe(true);
}

describe('finite-difference gradient checks (float64, every activation × every loss)', () => {
  for (const loss of LOSS_NAMES) {
    for (const act of ACTIVATION_NAMES) {
      const a = ACTIVATIONS[act];
      const rule = LOSSES[loss];
      const out =
        rule.validOutputs === undefined || rule.validOutputs.includes(act) ? a : { activation: rule.fallback };
      it(`${act} hidden layers, ${out.activation} output, ${loss}`, () => {
        expectGradientsMatch(spec(a, out, loss));
      });
    }
  }

  // The combinations whose output gradient takes a different code path, named explicitly.
  const special: [string, ActivationName, LossName][] = [
    ['softmax + categoricalCrossEntropy (fused p − t)', 'softmax', 'categoricalCrossEntropy'],
    ['sigmoid + binaryCrossEntropy (fused p − t)', 'sigmoid', 'binaryCrossEntropy'],
    ['softmax + mse (unfused softmax Jacobian)', 'softmax', 'mse'],
    ['softmax + binaryCrossEntropy (unfused)', 'softmax', 'binaryCrossEntropy'],
    ['sigmoid + categoricalCrossEntropy (unfused)', 'sigmoid', 'categoricalCrossEntropy'],
  ];
  for (const [name, output, loss] of special) {
    for (const hidden of ['tanh', 'relu', 'gelu'] as const) {
      it(`${name}, ${hidden} hidden`, () => {
        expectGradientsMatch(spec({ activation: hidden }, { activation: output }, loss));
      });
    }
  }

  it('default alphas (leakyRelu 0.01, elu 1) and a single-layer network', () => {
    for (const activation of ['leakyRelu', 'elu'] as const) {
      expectGradientsMatch(spec({ activation }, { activation }, 'mse'));
      expectGradientsMatch({
        inputs: 3,
        layers: [{ units: 2, activation }],
        loss: 'huber',
        rows: 6,
        seed: 7,
      });
    }
  });

  it('with dropout (the same mask replayed): gradients flow only through kept units, scaled by 1/(1 − rate)', () => {
    for (const [act, loss] of [
      ['tanh', 'mse'],
      ['relu', 'categoricalCrossEntropy'],
      ['sigmoid', 'binaryCrossEntropy'],
    ] as const) {
      const out = loss === 'categoricalCrossEntropy' ? 'softmax' : loss === 'binaryCrossEntropy' ? 'sigmoid' : 'linear';
      expectGradientsMatch({ ...spec({ activation: act }, { activation: out }, loss), dropout: 0.4, rows: 6 });
    }
  });

  it('larger batch and wider layers (gemm tails, several rows)', () => {
    expectGradientsMatch({
      inputs: 6,
      layers: [
        { units: 9, activation: 'tanh' },
        { units: 5, activation: 'elu', alpha: 1.3 },
        { units: 4, activation: 'softmax' },
      ],
      loss: 'categoricalCrossEntropy',
      rows: 17,
      seed: 3,
    });
  });
});

describe('gradient-check coverage', () => {
  it('the check itself fails on a deliberately wrong derivative', () => {
    const r = checkGradients({
      inputs: 3,
      layers: [
        { units: 4, activation: 'softplus' },
        { units: 2, activation: 'linear' },
      ],
      loss: 'mse',
      rows: 4,
      seed: 1,
      mutate: (net) => {
        const layer = net.layers[0]!;
        const act = layer.activation;
        // softplus' = sigmoid; 1.01× sigmoid is the kind of slip the check exists to catch. As a
        // custom id, so every backend runs this record's f/df instead of its native softplus loop.
        (layer as { activation: Activation }).activation = {
          ...act,
          id: ActId.custom,
          df: (x, y) => 1.01 * act.df(x, y),
        };
      },
    });
    expect(r.worstRatio).toBeGreaterThan(10);
  });
});
