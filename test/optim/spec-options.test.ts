// Optimizer specs are checked as a plain-JavaScript user would expect: each rule takes the keys of
// its own table row plus the common ones, refuses any other naming the closest valid key, and
// shows wrong values as given.
import { describe, expect, it } from 'vitest';
import {
  NeuriteError,
  NeuralNetwork,
  OPTIMIZER_NAMES,
  Optimizer,
  defaultLearningRate,
  type OptimizerName,
  type OptimizerSpec,
} from '../../src/index.js';

function refusal(spec: unknown): NeuriteError {
  try {
    new Optimizer(spec as never);
  } catch (e) {
    expect(e).toBeInstanceOf(NeuriteError);
    expect((e as NeuriteError).code).toBe('INVALID_OPTION');
    return e as NeuriteError;
  }
  throw new Error(`accepted ${JSON.stringify(spec)}`);
}

describe('optimizer specs', () => {
  it.each([
    [{ type: 'adam', lr: 0.1 }, 'lr', 'learningRate'],
    [{ type: 'adam', learnigRate: 0.1 }, 'learnigRate', 'learningRate'],
    [{ type: 'adam', beta_1: 0.8 }, 'beta_1', 'beta1'],
    [{ type: 'sgd', momentun: 0.9 }, 'momentun', 'momentum'],
    [{ type: 'rmsprop', eps: 1e-6 }, 'eps', 'epsilon'],
    [{ type: 'adagrad', clipnorm: 1 }, 'clipnorm', 'clipNorm'],
  ])('%j: refuses `%s`, suggests `%s`', (spec, key, suggestion) => {
    const e = refusal(spec);
    expect(e.message).toContain(`\`${key}\``);
    expect(e.message).toContain(`did you mean \`${suggestion}\``);
  });

  it("refuses another rule's key ({ type: 'sgd', rho: 3 })", () => {
    expect(refusal({ type: 'sgd', rho: 3 }).message).toContain('`rho`');
  });

  it('shows a value as given: the string "0.1" as a string', () => {
    expect(refusal({ type: 'adam', learningRate: '0.1' }).message).toContain('"0.1"');
    expect(refusal({ type: 'sgd', momentum: 0.9, nesterov: 'yes' }).message).toContain('"yes"');
  });

  it('suggests the closest optimizer name', () => {
    expect(refusal('adagard').message).toContain("did you mean 'adagrad'");
    expect(refusal({ type: 'rmsprp' }).message).toContain("did you mean 'rmsprop'");
  });

  it("checks the schedule's keys", () => {
    expect(refusal({ type: 'adam', schedule: { type: 'step', step: 3 } }).message).toContain('`step`');
  });

  it('accepts every rule with all of its own keys', () => {
    // Keyed by rule name, so a new rule does not compile until it has a row here.
    const byRule: Record<OptimizerName, OptimizerSpec & { learningRate: number }> = {
      sgd: { type: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true },
      adam: { type: 'adam', learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 },
      adamw: { type: 'adamw', learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.01 },
      rmsprop: { type: 'rmsprop', learningRate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-6 },
      adagrad: { type: 'adagrad', learningRate: 0.01, initialAccumulatorValue: 0.2, epsilon: 1e-6 },
    };
    for (const s of Object.values(byRule)) {
      const o = new Optimizer({ ...s, clipNorm: 1, clipValue: 2, schedule: { type: 'cosine', epochs: 5 } });
      expect(o.learningRate).toBe(s.learningRate);
    }
  });
});

describe('one default learning rate per optimizer', () => {
  it.each(OPTIMIZER_NAMES.map((n) => [n]))('%s: the rule default wherever it is named', (name) => {
    expect(new Optimizer(name).learningRate).toBe(defaultLearningRate(name));
    expect(new Optimizer({ type: name }).learningRate).toBe(defaultLearningRate(name));
  });

  it('fit and the constructor train a named optimizer at the same rate', async () => {
    const net = new NeuralNetwork({ layers: [2, 2, 1], optimizer: 'adam', seed: 1 });
    const h = await net.fit([[0, 1]], [[1]], { epochs: 1 });
    const h2 = await new NeuralNetwork({ layers: [2, 2, 1], seed: 1 }).fit([[0, 1]], [[1]], {
      epochs: 1,
      optimizer: 'adam',
    });
    expect(h.learningRate).toEqual(h2.learningRate);
    expect(h.learningRate).toEqual([defaultLearningRate('adam')]);
  });
});
