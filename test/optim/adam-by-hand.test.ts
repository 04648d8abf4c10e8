import { describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import { testBackend } from '../helpers/backends.js';

/**
 * Two Adam steps on one linear neuron, worked out by hand (in the manner of tfjs'
 * adam_optimizer_test.ts). Network: p = w·x + b, w = 0.5, b = 0; sample x = 2, target t = 0;
 * loss mse = (p − t)², so dL/dp = 2(p − t), dL/dw = 2(p − t)·x, dL/db = 2(p − t).
 * Adam: lr 0.1, β1 0.9, β2 0.999, ε 1e-8.
 */
describe('Adam, two steps by hand', () => {
  it('matches the arithmetic', () => {
    const net = new NeuralNetwork({
      layers: [1, { units: 1, activation: 'linear' }],
      loss: 'mse',
      optimizer: { type: 'adam', learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
      seed: 1,
      backend: testBackend(),
    });
    net.setWeights([0.5, 0]);

    // Step 1: p = 0.5·2 + 0 = 1, loss = 1.
    //   g_w = 2·1·2 = 4, g_b = 2.
    //   m_w = 0.1·4 = 0.4,   v_w = 0.001·16 = 0.016
    //   m̂_w = 0.4 / (1 − 0.9) = 4,   v̂_w = 0.016 / (1 − 0.999) = 16,   √v̂_w = 4
    //   w ← 0.5 − 0.1·4/(4 + 1e-8) = 0.5 − 0.09999999975 = 0.40000000025
    //   m_b = 0.2, v_b = 0.004, m̂_b = 2, v̂_b = 4: b ← 0 − 0.1·2/(2 + 1e-8) = −0.0999999995
    expect(net.train([2], [0])).toBeCloseTo(1, 6);
    expect(net.getNeuron(0, 0).weights[0]).toBeCloseTo(0.40000000025, 6);
    expect(net.getNeuron(0, 0).bias).toBeCloseTo(-0.0999999995, 6);

    // Step 2: p = 0.4·2 − 0.1 = 0.7, loss = 0.49.
    //   g_w = 2·0.7·2 = 2.8, g_b = 1.4.
    //   m_w = 0.9·0.4 + 0.1·2.8 = 0.64,   v_w = 0.999·0.016 + 0.001·7.84 = 0.023824
    //   m̂_w = 0.64 / (1 − 0.81) = 3.368421…,   v̂_w = 0.023824 / (1 − 0.998001) = 11.917959…,   √v̂_w = 3.452240…
    //   w ← 0.4 − 0.1·3.368421/3.452240 = 0.4 − 0.0975720 = 0.3024280
    //   m_b = 0.9·0.2 + 0.1·1.4 = 0.32,  v_b = 0.999·0.004 + 0.001·1.96 = 0.005956
    //   m̂_b = 1.684211, v̂_b = 2.979490, √ = 1.726120: b ← −0.1 − 0.0975720 = −0.1975720
    expect(net.train([2], [0])).toBeCloseTo(0.49, 6);
    expect(net.getNeuron(0, 0).weights[0]).toBeCloseTo(0.3024279505, 6);
    expect(net.getNeuron(0, 0).bias).toBeCloseTo(-0.197572049, 6);
    expect(net.optimizer.t).toBe(2);
  });
});
