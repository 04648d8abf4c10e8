// A redis-server of the test's own: on a free loopback port, nothing saved to disk, stopped by its
// pid. Never a system instance. Tests skip when redis-server is missing, except under CI=true.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];

/** Path of redis-server, or undefined when it is not installed. */
export const REDIS_SERVER = CANDIDATES.find((p) => existsSync(p));

/** True when Redis tests should skip (no redis-server here, and not CI, where a missing one fails). */
export const skipRedis = REDIS_SERVER === undefined && process.env['CI'] !== 'true';

/** A running server. */
export interface RedisServer {
  /** `redis://127.0.0.1:port` (`rediss://` with TLS) */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Stops the server by its pid and waits for it to exit. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The files of a TLS server: its certificate and key, and the CA that signed the certificate. */
export interface TlsFiles {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

/**
 * Starts redis-server with `extra` arguments (e.g. `['--user', 'alice', 'on', '>pw', '~*', '&*', '+@all']`);
 * with `tls`, it listens with TLS only (`--port 0 --tls-port …`) and the URL is `rediss://`.
 */
export async function startRedis(extra: readonly string[] = [], tls?: TlsFiles): Promise<RedisServer> {
  if (REDIS_SERVER === undefined) throw new Error('redis-server is not installed (scripts/system-deps.sh installs it)');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'neurite-redis-'));
  const listen =
    tls === undefined
      ? ['--port', String(port)]
      : [
          ...['--port', '0', '--tls-port', String(port), '--tls-auth-clients', 'no'],
          ...['--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.ca],
        ];
  const args = [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const child: ChildProcess = spawn(REDIS_SERVER, [...args, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer): void => {
      log += d.toString();
      if (log.includes('Ready to accept connections')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${String(code)}): ${log}`)));
    child.once('error', reject);
  });
  const pid = child.pid as number;
  return {
    url: `${tls === undefined ? 'redis' : 'rediss'}://127.0.0.1:${String(port)}`,
    port,
    pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(pid, 'SIGTERM');
      }),
  };
}

/**
 * Starts `node <cli> worker --redis url …args` in `cwd` (short locks, so a killed worker's jobs
 * return within about 1.5 s) and resolves once it listens; `workers` collects it for clean-up.
 */
export function startCliWorker(
  cli: string,
  url: string,
  cwd: string,
  args: readonly string[],
  workers: ChildProcess[],
  env: NodeJS.ProcessEnv = {},
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const w = spawn(
      process.execPath,
      [cli, 'worker', '--redis', url, '--concurrency', '1', '--lock-ms', '1000', '--stalled-ms', '500', ...args],
      { cwd, env: { ...process.env, ...env } },
    );
    workers.push(w);
    let err = '';
    w.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('Ctrl-C to stop')) resolve(w);
    });
    w.once('exit', (code) => reject(new Error(`worker exited with ${String(code)}: ${err}`)));
  });
}

/** Stops a worker with SIGTERM (it finishes its jobs in hand) and resolves with its exit code. */
export function stopWorker(w: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (w.exitCode !== null || w.signalCode !== null) return resolve(w.exitCode);
    w.once('exit', (code) => resolve(code));
    w.kill('SIGTERM');
  });
}

/**
 * Runs `node <cli> …args` in `cwd` and SIGKILLs `victim` as soon as `ready()` says so (checked every
 * 5 ms while the command runs); resolves with the command's exit code and output.
 */
export function runCliKilling(
  cli: string,
  args: readonly string[],
  cwd: string,
  victim: ChildProcess,
  ready: () => boolean | Promise<boolean>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [cli, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let checking = false;
    const watch = setInterval(() => {
      if (checking || victim.signalCode !== null) return;
      checking = true;
      void Promise.resolve(ready()).then((now) => {
        checking = false;
        if (now && victim.signalCode === null) {
          clearInterval(watch);
          victim.kill('SIGKILL');
        }
      });
    }, 5);
    c.on('close', (code) => {
      clearInterval(watch);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Path of openssl, or undefined when it is not installed. */
export const OPENSSL = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((p) => existsSync(p));

/**
 * A throwaway CA and a server certificate it signed for 127.0.0.1 (P-256 keys, valid one day), in
 * `dir`: what a TLS test gives redis-server, and the CA what it gives the clients.
 */
export function makeTlsFiles(dir: string): TlsFiles {
  if (OPENSSL === undefined) throw new Error('openssl is not installed');
  const f = (name: string): string => join(dir, name);
  const ssl = (...args: string[]): void => void execFileSync(OPENSSL, args, { stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '1', '-subj', '/CN=neurite test CA');
  ssl('req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl(
    ...['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial'],
    ...['-out', f('server.crt'), '-days', '1', '-extfile', f('san.ext')],
  );
  return { cert: f('server.crt'), key: f('server.key'), ca: f('ca.crt') };
}
