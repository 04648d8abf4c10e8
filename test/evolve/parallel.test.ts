import { describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import { evolve, workerPool } from '../../src/evolve/node.js';
import { fitness } from './fitness-fixture.js';

const module = new URL('./fitness-fixture.ts', import.meta.url);

describe('worker threads', () => {
  it('give exactly the serial run', async () => {
    const network = new NeuralNetwork({ layers: [2, 3, 1], seed: 1, backend: 'js' });
    const opts = { network, populationSize: 20, generations: 5, seed: 9 };
    const serial = await evolve({ ...opts, fitness });
    const pool = await workerPool({ module, network, workers: 2 });
    try {
      const parallel = await evolve({ ...opts, parallel: pool });
      expect(parallel.history).toEqual(serial.history);
      expect(parallel.best.getWeights()).toEqual(serial.best.getWeights());
    } finally {
      await pool.close();
    }
  });

  it('report a failing genome with FITNESS_ERROR and its index', async () => {
    const network = new NeuralNetwork({ layers: [2, 3, 1], seed: 1, backend: 'js' });
    const pool = await workerPool({ module, exportName: 'failing', network, workers: 2 });
    try {
      await expect(
        evolve({ network, populationSize: 10, generations: 5, seed: 1, parallel: pool }),
      ).rejects.toMatchObject({
        code: 'FITNESS_ERROR',
        details: { generation: 1, index: 3 },
      });
    } finally {
      await pool.close();
    }
  });
});
