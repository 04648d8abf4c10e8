// `neurite evolve --module` locally and through `neurite worker` processes on a redis-server of the
// test's own: the same seed gives bit-identical histories and best networks with one worker, two,
// and two of which one is SIGKILLed mid-run.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import { CLI, requireBuilt, runCli, tempDir } from '../cli/helpers.js';
import {
  runCliKilling,
  skipRedis,
  startCliWorker,
  startRedis,
  stopWorker,
  type RedisServer,
} from '../helpers/redis.js';
import { FITNESS_MODULE } from './fitness-source.js';

interface Summary {
  history: { generation: number; best: number; mean: number }[];
  best: { fitness: number };
  evaluations: number;
}

describe.skipIf(skipRedis)('neurite evolve --module, locally and on Redis workers', () => {
  let server: RedisServer;
  let dir: string;
  const workers: ChildProcess[] = [];
  const args = ['evolve', '--module', 'fit.mjs', '--layers', '2,4,1', '--population', '12', '--generations', '4'];
  const settings = [...args, '--seed', '7', '--json'];

  /** Starts `neurite worker` (one thread) on the fitness module and resolves once it listens. */
  const startWorker = (env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> =>
    startCliWorker(CLI, server.url, dir, ['--module', 'fit.mjs'], workers, env);
  const stop = stopWorker;
  const weights = (file: string): Float32Array =>
    NeuralNetwork.fromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8'))).getWeights();

  beforeAll(async () => {
    requireBuilt();
    server = await startRedis();
    dir = tempDir();
    writeFileSync(join(dir, 'fit.mjs'), FITNESS_MODULE);
  });

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await server?.stop();
  });

  it('gives the local run bit for bit with one worker, two workers, and two workers when one is SIGKILLed', async () => {
    const local = await runCli([...settings, '--out', 'local.json'], dir);
    expect(local.code, local.stderr).toBe(0);
    const expected = JSON.parse(local.stdout) as Summary;
    expect(expected.history).toHaveLength(4);
    expect(expected.best.fitness).toBe(Math.max(...expected.history.map((h) => h.best)));
    const inspect = await runCli(['inspect', '--model', 'local.json'], dir);
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(inspect.stdout).toMatch(/evolved/);
    const predict = await runCli(['predict', '--model', 'local.json', '--input', '0,1'], dir);
    expect(predict.code, predict.stderr).toBe(0);
    const predicted = Number(predict.stdout.trim().split('\n')[1]);
    expect(predicted).toBe(
      NeuralNetwork.fromJSON(JSON.parse(readFileSync(join(dir, 'local.json'), 'utf8'))).predict([0, 1])[0],
    );

    const check = async (out: string, extra: readonly string[] = []): Promise<void> => {
      const r = await runCli([...settings, '--redis', server.url, '--out', out, ...extra], dir);
      expect(r.code, r.stderr).toBe(0);
      const got = JSON.parse(r.stdout) as Summary;
      expect(got.history).toEqual(expected.history);
      expect(got.best).toEqual(expected.best);
      expect(weights(out)).toEqual(weights('local.json'));
    };

    const markers = join(dir, 'one');
    mkdirSync(markers);
    const a = await startWorker({ FIT_DIR: markers });
    await check('one.json');
    expect(readdirSync(markers)).toHaveLength(1);

    const both = join(dir, 'two');
    mkdirSync(both);
    const b = await startWorker({ FIT_DIR: both });
    // A fresh run name, so the second run is computed again rather than read back.
    await check('two.json', ['--run', 'two-workers']);
    expect(await Promise.all([stop(a), stop(b)])).toEqual([0, 0]);

    // ~40 ms per evaluation: the SIGKILL lands while the victim holds a job; its lock (1 s) lapses
    // and the survivor's stalled check (0.5 s) takes the job back.
    const killed = join(dir, 'killed');
    mkdirSync(killed);
    const slow = { FIT_MS: '40', FIT_DIR: killed };
    const [victim, survivor] = await Promise.all([startWorker(slow), startWorker(slow)]);
    // Killed as soon as it has started a fitness (its marker file appears).
    const r = await runCliKilling(
      CLI,
      [...args, '--seed', '7', '--json', '--redis', server.url, '--run', 'killed', '--out', 'killed.json'],
      dir,
      victim,
      () => readdirSync(killed).includes(`pid-${String(victim.pid)}`),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(victim.signalCode).toBe('SIGKILL');
    const got = JSON.parse(r.stdout) as Summary;
    expect(got.history).toEqual(expected.history);
    expect(weights('killed.json')).toEqual(weights('local.json'));
    expect(await stop(survivor)).toBe(0);
  });
});
