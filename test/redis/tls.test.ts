// Redis as docs/scaling-out.md's security section sets it up: TLS only (rediss://, a certificate of
// a throwaway CA made with openssl) and an ACL user limited to neurite's keys, the default user off.
// `neurite worker` and `neurite evolve --redis` reach it with the CA given through
// NODE_EXTRA_CA_CERTS and the user and password in the URL, and give the local run's result;
// without the CA, or with a wrong password, the coordinator stops with one clear line that does
// not show the password. Skips when redis-server has no TLS or openssl is missing, except under CI.
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, requireBuilt, runCli, tempDir } from '../cli/helpers.js';
import {
  OPENSSL,
  makeTlsFiles,
  skipRedis,
  startCliWorker,
  startRedis,
  stopWorker,
  type RedisServer,
  type TlsFiles,
} from '../helpers/redis.js';
import { FITNESS_MODULE } from './fitness-source.js';

const CI = process.env['CI'] === 'true';
const PASSWORD = 'tls-test-Secret-42';
/** The ACL of docs/scaling-out.md: no default user; `neurite` may touch neurite's keys and channels only. */
const ACL = [
  ...['--user', 'default', 'off'],
  ...['--user', 'neurite', 'on', `>${PASSWORD}`, '~neurite:*', '&*', '+@all', '-@dangerous', '+info'],
];

describe.skipIf(skipRedis || (OPENSSL === undefined && !CI))('Redis over TLS with an ACL user', () => {
  let server: RedisServer | undefined;
  let tls: TlsFiles;
  let dir: string;
  let url: string;
  const workers: ChildProcess[] = [];
  const evolve = ['evolve', '--module', 'fit.mjs', '--layers', '2,4,1', '--population', '8', '--generations', '3'];
  const withCa = (): NodeJS.ProcessEnv => ({ NODE_EXTRA_CA_CERTS: tls.ca });

  beforeAll(async () => {
    requireBuilt();
    dir = tempDir();
    writeFileSync(join(dir, 'fit.mjs'), FITNESS_MODULE);
    tls = makeTlsFiles(dir);
    try {
      server = await startRedis(ACL, tls);
    } catch (e) {
      // Debian's redis-server has TLS; a build without it says so and exits.
      if (CI || !/tls/i.test(String(e))) throw e;
    }
    url = server?.url.replace('rediss://', `rediss://neurite:${PASSWORD}@`) ?? '';
  });

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await server?.stop();
  });

  it('runs evolve over rediss:// with the CA passed through, bit for bit as locally', async (ctx) => {
    if (server === undefined) return ctx.skip();
    expect(url).toMatch(/^rediss:\/\/neurite:/);
    const local = await runCli([...evolve, '--json'], dir);
    expect(local.code, local.stderr).toBe(0);

    const worker = await startCliWorker(CLI, url, dir, ['--module', 'fit.mjs'], workers, withCa());
    const remote = await runCli([...evolve, '--json', '--redis', url], dir, withCa());
    expect(remote.code, remote.stderr).toBe(0);
    const [got, expected] = [remote, local].map((r) => JSON.parse(r.stdout) as Record<string, unknown>);
    expect(got?.['history']).toEqual(expected?.['history']);
    expect(got?.['best']).toEqual(expected?.['best']);
    expect(await stopWorker(worker)).toBe(0);
  }, 120_000);

  it('refuses a server it cannot verify, and a wrong password, in one line without the password', async (ctx) => {
    if (server === undefined) return ctx.skip();
    const noCa = await runCli([...evolve, '--redis', url, '--run', 'no-ca'], dir);
    expect(noCa.code).not.toBe(0);
    expect(noCa.stderr).toMatch(/cannot use Redis at rediss:\/\/neurite:\*\*\*@127\.0\.0\.1:\d+: .*certificate/);
    expect(noCa.stderr).toContain('NODE_EXTRA_CA_CERTS');
    expect(noCa.stderr.trim().split('\n')).toHaveLength(1);
    expect(noCa.stderr).not.toContain(PASSWORD);

    const wrong = url.replace(PASSWORD, 'not-the-password');
    const denied = await runCli([...evolve, '--redis', wrong, '--run', 'wrong'], dir, withCa());
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(
      /cannot use Redis at rediss:\/\/neurite:\*\*\*@.*(WRONGPASS|invalid username-password)/,
    );
    expect(denied.stderr).not.toContain('not-the-password');
  }, 120_000);
});
