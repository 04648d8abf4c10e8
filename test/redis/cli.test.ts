// `neurite evolve --module` locally and through `neurite worker` processes on a redis-server of the
// test's own: the same seed gives bit-identical histories and best networks with one worker, two,
// and two of which one is SIGKILLed mid-run.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import { CLI, requireBuilt, runCli, tempDir } from '../cli/helpers.js';
import { skipRedis, startRedis, type RedisServer } from '../helpers/redis.js';
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

  /** Starts `neurite worker` (one thread) and resolves once it listens. */
  const startWorker = (env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> =>
    new Promise((resolve, reject) => {
      const w = spawn(
        process.execPath,
        [
          CLI,
          'worker',
          '--redis',
          server.url,
          '--module',
          'fit.mjs',
          '--concurrency',
          '1',
          '--lock-ms',
          '1000',
          '--stalled-ms',
          '500',
        ],
        { cwd: dir, env: { ...process.env, ...env } },
      );
      workers.push(w);
      let err = '';
      w.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('Ctrl-C to stop')) resolve(w);
      });
      w.once('exit', (code) => reject(new Error(`worker exited with ${String(code)}: ${err}`)));
    });
  const stop = (w: ChildProcess): Promise<number | null> =>
    new Promise((resolve) => {
      w.once('exit', (code) => resolve(code));
      w.kill('SIGTERM');
    });
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
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const c = spawn(
        process.execPath,
        [CLI, ...args, '--seed', '7', '--json', '--redis', server.url, '--run', 'killed', '--out', 'killed.json'],
        { cwd: dir },
      );
      let stdout = '';
      let stderr = '';
      c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Killed as soon as it has started a fitness (its marker file appears).
      const watch = setInterval(() => {
        if (readdirSync(killed).includes(`pid-${String(victim.pid)}`)) {
          clearInterval(watch);
          victim.kill('SIGKILL');
        }
      }, 10);
      c.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(r.code, r.stderr).toBe(0);
    expect(victim.signalCode).toBe('SIGKILL');
    const got = JSON.parse(r.stdout) as Summary;
    expect(got.history).toEqual(expected.history);
    expect(weights('killed.json')).toEqual(weights('local.json'));
    expect(await stop(survivor)).toBe(0);
  });
});
