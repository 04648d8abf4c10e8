import { describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import { compareOnRegression, evolveCartPole, evolveXor, scoreCartPole } from '../../src/evolve/index.js';
import { main as xorExample } from '../../examples/evolve-xor.js';
import { main as cartpoleExample } from '../../examples/evolve-cartpole.js';

const quiet = (): void => undefined;

describe('XOR by evolution', () => {
  it.each([1, 2, 3, 4, 5])('seed %i classifies all four cases within 300 generations', async (seed) => {
    const r = await evolveXor({ seed });
    expect(r.stopReason).toBe('targetFitness');
    expect(r.solved).toBe(true);
    expect(r.mse).toBeLessThan(0.01);
    expect(r.generations).toBeLessThanOrEqual(300);
  });

  it('the example runs and returns a solved network', async () => {
    const r = await xorExample(1, quiet);
    expect(r.solved).toBe(true);
  });
});

describe('CartPole-v1 by evolution', () => {
  it.each([1, 2, 3, 4, 5])('seed %i is solved (mean >= 475 over 100 episodes) within 50 generations', async (seed) => {
    const r = await evolveCartPole({ seed, populationSize: 50 });
    expect(r.solvedAt).toBeDefined();
    expect(r.solvedAt).toBeLessThan(50);
    expect(r.validation.solved).toBe(true);
    // The controller is a plain network: a JSON round trip scores the same on fresh episodes.
    const copy = NeuralNetwork.fromJSON(JSON.parse(JSON.stringify(r.controller.toJSON())));
    expect(scoreCartPole(copy, 20, 99)).toEqual(scoreCartPole(r.controller, 20, 99));
  });

  it('the example runs', async () => {
    const r = await cartpoleExample(3, quiet);
    expect(r.validation.solved).toBe(true);
  });
});

describe('regression: evolution vs backprop on the same data', () => {
  it('both beat the mean predictor by a wide margin', async () => {
    const r = await compareOnRegression({ seed: 1, generations: 150, epochs: 400 });
    expect(r.evolution.mse).toBeLessThan(r.baselineMse * 0.2);
    expect(r.backprop.mse).toBeLessThan(r.baselineMse * 0.2);
  });
});
