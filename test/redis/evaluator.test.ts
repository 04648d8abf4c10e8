// redisEvaluator and redisWorker in this process, on a redis-server of the test's own: a resumed
// run reads back the generations already scored and ends where an uninterrupted run ends; fitness
// errors, refused payloads and bad credentials are NeuriteErrors naming the cause.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import { evolve, type FitnessFn } from '../../src/evolve/node.js';
import { redisEvaluator, redisWorker, type RedisWorker } from '../../src/redis/index.js';
import { skipRedis, startRedis, type RedisServer } from '../helpers/redis.js';
import { FITNESS_MODULE } from './fitness-source.js';

describe.skipIf(skipRedis)('redisEvaluator', () => {
  let server: RedisServer;
  let module: string;
  let fitness: FitnessFn;
  const network = new NeuralNetwork({ layers: [2, 3, 1], seed: 1, backend: 'js' });
  const settings = { network, populationSize: 10, seed: 5 };

  beforeAll(async () => {
    // An ACL user besides the default one: the URL's credentials must reach Redis.
    server = await startRedis(['--user', 'alice', 'on', '>s3cret', '~*', '&*', '+@all']);
    const dir = mkdtempSync(join(tmpdir(), 'neurite-redis-fit-'));
    module = join(dir, 'fit.mjs');
    writeFileSync(module, FITNESS_MODULE);
    fitness = ((await import(pathToFileURL(module).href)) as { fitness: FitnessFn }).fitness;
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** Runs `body` with a worker on `queue`, closing it afterwards. */
  const withWorker = async <T>(
    queue: string,
    body: (jobs: { count: number }) => Promise<T>,
    extra: Partial<Parameters<typeof redisWorker>[0]> = {},
  ): Promise<T> => {
    const jobs = { count: 0 };
    const worker: RedisWorker = await redisWorker({
      url: server.url,
      module,
      queue,
      concurrency: 2,
      onJob: () => {
        jobs.count++;
      },
      ...extra,
    });
    try {
      return await body(jobs);
    } finally {
      await worker.close();
    }
  };

  it('resumes after the coordinator stops: scored generations are read back, the result is the serial one', async () => {
    const serial = await evolve({ ...settings, generations: 4, fitness });
    await withWorker('resume', async (jobs) => {
      const first = await redisEvaluator({ url: server.url, network, run: 'resume-1', queue: 'resume' });
      const stopAfter2 = new AbortController();
      const partial = await evolve({
        ...settings,
        generations: 4,
        parallel: first,
        signal: stopAfter2.signal,
        onGeneration: (s) => {
          if (s.generation === 1) stopAfter2.abort();
        },
      });
      await first.close(); // the keys stay: that is the checkpoint
      expect(partial.history).toEqual(serial.history.slice(0, 2));
      const before = jobs.count;
      expect(before).toBe(partial.evaluations);

      const second = await redisEvaluator({ url: server.url, network, run: 'resume-1', queue: 'resume' });
      const resumed = await evolve({ ...settings, generations: 4, parallel: second });
      await second.close({ removeRun: true });
      expect(resumed.history).toEqual(serial.history);
      expect(resumed.best.getWeights()).toEqual(serial.best.getWeights());
      // Only generations 2 and 3 ran again.
      expect(jobs.count - before).toBe(serial.evaluations - partial.evaluations);
    });
  });

  it('refuses to resume a run whose genomes differ (other settings under the same name)', async () => {
    await withWorker('mismatch', async () => {
      const a = await redisEvaluator({ url: server.url, network, run: 'same-name', queue: 'mismatch' });
      await evolve({ ...settings, generations: 1, parallel: a });
      await a.close();
      const b = await redisEvaluator({ url: server.url, network, run: 'same-name', queue: 'mismatch' });
      await expect(evolve({ ...settings, seed: 6, generations: 1, parallel: b })).rejects.toMatchObject({
        code: 'INVALID_OPTION',
        message: expect.stringMatching(/other genomes stored for generation 0/) as unknown,
      });
      await b.close({ removeRun: true });
    });
  });

  it('reports a failing fitness as FITNESS_ERROR with its genome index and generation', async () => {
    await withWorker(
      'failing',
      async () => {
        const evaluator = await redisEvaluator({ url: server.url, network, queue: 'failing' });
        try {
          await expect(evolve({ ...settings, generations: 3, parallel: evaluator })).rejects.toMatchObject({
            code: 'FITNESS_ERROR',
            details: { generation: 1, index: 3 },
            message: expect.stringMatching(/boom at 3/) as unknown,
          });
        } finally {
          await evaluator.close({ removeRun: true });
        }
      },
      { exportName: 'failing' },
    );
  });

  it('refuses genomes that do not fit the architecture and generations over the limits', async () => {
    await withWorker(
      'limits',
      async () => {
        const evaluator = await redisEvaluator({ url: server.url, network, queue: 'limits' });
        try {
          const job = { genome: new Float32Array(5), index: 0, generation: 0, seed: 1 };
          await expect(evaluator.evaluate([job])).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
          // This worker accepts 100 bytes of genomes: genome 3 (bytes 192…255) lies past them.
          const genome = new Float32Array(network.parameterCount);
          await expect(evaluator.evaluate([{ genome, index: 3, generation: 0, seed: 1 }])).rejects.toMatchObject({
            code: 'FITNESS_ERROR',
            details: { index: 3 },
            message: expect.stringMatching(/maxGenerationBytes 100/) as unknown,
          });
        } finally {
          await evaluator.close({ removeRun: true });
        }
        const small = await redisEvaluator({ url: server.url, network, queue: 'limits', maxGenerationBytes: 64 });
        const genomes = Array.from({ length: 2 }, () => new Float32Array(network.parameterCount));
        await expect(
          small.evaluate(genomes.map((genome, index) => ({ genome, index, generation: 0, seed: 1 }))),
        ).rejects.toMatchObject({
          code: 'INVALID_OPTION',
          message: expect.stringMatching(/maxGenerationBytes 64/) as unknown,
        });
        await small.close({ removeRun: true });
      },
      { maxGenerationBytes: 100 },
    );
  });

  it('passes the URL’s ACL user and password through, and names a wrong one without printing it', async () => {
    const port = String(server.port);
    const ok = await redisEvaluator({ url: `redis://alice:s3cret@127.0.0.1:${port}`, network });
    await ok.close({ removeRun: true });
    const wrong = redisEvaluator({ url: `redis://alice:nope@127.0.0.1:${port}`, network });
    await expect(wrong).rejects.toMatchObject({ code: 'IO_ERROR' });
    const message = await wrong.catch((e: unknown) => (e as Error).message);
    expect(message).toMatch(/alice:\*\*\*@127\.0\.0\.1/);
    expect(message).not.toMatch(/nope/);
    await expect(redisEvaluator({ url: 'http://127.0.0.1', network })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
  });
});
