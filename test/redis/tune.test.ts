// `neurite tune --redis` on a redis-server of the test's own and two `neurite worker` processes:
// on a real table (Fisher's iris, written as a CSV from the library's bundled copy) the same seed
// gives exactly the local run's leaderboard scores, best parameters and refitted model, also when
// one worker is SIGKILLed while it holds a trial; a worker whose copy of the data file differs
// from the coordinator's (by SHA-256) refuses the trials with a clear error.
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import { iris } from '../../src/data/index.js';
import { redisTrialRunner } from '../../src/redis/index.js';
import { CLI, requireBuilt, runCli, tempDir } from '../cli/helpers.js';
import {
  runCliKilling,
  skipRedis,
  startCliWorker,
  startRedis,
  stopWorker,
  type RedisServer,
} from '../helpers/redis.js';

interface TuneJson {
  metric: string;
  trials: { params: Record<string, number | string>; score: number }[];
  best: { params: Record<string, number | string>; score: number };
}

/** iris as a CSV table: four measurements and the species' name. */
function irisCsv(): string {
  const ds = iris();
  const rows = Array.from({ length: ds.x.rows }, (_, i) => {
    const x = Array.from(ds.x.data.subarray(i * 4, i * 4 + 4), (v) => Number(v.toFixed(1)));
    const k = Array.from(ds.y.data.subarray(i * 3, i * 3 + 3)).indexOf(1);
    return [...x, ds.classes?.[k]].join(',');
  });
  return `sepal_length,sepal_width,petal_length,petal_width,species\n${rows.join('\n')}\n`;
}

describe.skipIf(skipRedis)('neurite tune --redis on neurite worker processes', () => {
  let server: RedisServer;
  let dir: string;
  const workers: ChildProcess[] = [];
  // Successive halving: 6 candidates × 3 folds, then the best 2, then the best one, at growing epochs.
  const settings = ['tune', '--data', 'iris.csv', '--target', 'species', '--trials', '6', '--folds', '3'];
  const common = [...settings, '--epochs', '9', '--seed', '5', '--no-report', '--json'];
  const weights = (file: string): Float32Array =>
    NeuralNetwork.fromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8'))).getWeights();
  let expected: TuneJson;

  beforeAll(async () => {
    requireBuilt();
    server = await startRedis();
    dir = tempDir();
    writeFileSync(join(dir, 'iris.csv'), irisCsv());
    const local = await runCli([...common, '--workers', '1', '--out', 'local.json'], dir);
    expect(local.code, local.stderr).toBe(0);
    expected = JSON.parse(local.stdout) as TuneJson;
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await server?.stop();
  });

  it('gives the local leaderboard, best parameters and model exactly, with two workers and when one is SIGKILLed', async () => {
    expect(expected.metric).toBe('accuracy');
    expect(expected.trials.length).toBeGreaterThan(6);
    expect(new Set(expected.trials.map((t) => t.score)).size).toBeGreaterThan(1);

    const [a, b] = await Promise.all([
      startCliWorker(CLI, server.url, dir, [], workers),
      startCliWorker(CLI, server.url, dir, [], workers),
    ]);
    const remote = await runCli([...common, '--redis', server.url, '--out', 'remote.json'], dir);
    expect(remote.code, remote.stderr).toBe(0);
    expect(JSON.parse(remote.stdout)).toEqual(expected);
    expect(weights('remote.json')).toEqual(weights('local.json'));

    // The human-readable leaderboard too (stdout without --json; the refit line names the file).
    const table = async (extra: readonly string[], out: string): Promise<string> => {
      const r = await runCli([...common.filter((x) => x !== '--json'), ...extra, '--out', out], dir);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.replace(out, 'MODEL');
    };
    expect(await table(['--redis', server.url, '--run', 'text'], 'text-remote.json')).toBe(
      await table(['--workers', '1'], 'text-local.json'),
    );
    expect(await Promise.all([stopWorker(a), stopWorker(b)])).toEqual([0, 0]);

    // SIGKILL one worker while both hold a trial (each runs one at a time, so two active jobs
    // mean the victim has one); its lock lapses and the survivor takes the trial back.
    const [victim, survivor] = await Promise.all([
      startCliWorker(CLI, server.url, dir, [], workers),
      startCliWorker(CLI, server.url, dir, [], workers),
    ]);
    const redis = new Redis(server.url);
    try {
      const r = await runCliKilling(
        CLI,
        [...common, '--redis', server.url, '--run', 'killed', '--out', 'killed.json'],
        dir,
        victim,
        async () => (await redis.llen('neurite:neurite-tune:active')) >= 2,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(victim.signalCode).toBe('SIGKILL');
      expect(JSON.parse(r.stdout)).toEqual(expected);
      expect(weights('killed.json')).toEqual(weights('local.json'));
      // A finished run leaves no keys behind (the queue's own bookkeeping aside).
      expect(await redis.keys('neurite:neurite-tune:runs:*')).toEqual([]);
    } finally {
      redis.disconnect();
    }

    // A data file that changed after the coordinator hashed it: the worker refuses, naming both hashes.
    const file = join(dir, 'changed.csv');
    writeFileSync(file, irisCsv());
    const runner = await redisTrialRunner({
      url: server.url,
      data: { opts: { data: file, target: ['species'], seed: 1 }, metric: 'accuracy' },
      files: [file],
    });
    try {
      appendFileSync(file, '5.0,3.0,1.5,0.2,setosa\n');
      const train = Int32Array.from({ length: 100 }, (_, i) => i);
      const test = Int32Array.from({ length: 50 }, (_, i) => 100 + i);
      const refused = runner.run([{ params: { epochs: 1 }, fold: 0, train, test, seed: 1 }]);
      await expect(refused).rejects.toMatchObject({ code: 'FITNESS_ERROR' });
      await expect(refused).rejects.toThrow(
        /data file .*changed\.csv .* has SHA-256 [0-9a-f]+…, the coordinator's has/,
      );
    } finally {
      await runner.close({ removeRun: true });
    }
    expect(await stopWorker(survivor)).toBe(0);
  }, 300_000);
});
