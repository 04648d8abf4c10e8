// What a user meets: the three packages of the workspace (packages/) are packed as `npm pack` would
// publish them, installed into empty projects, and used there: ESM import, CommonJS require, a strict
// TypeScript file, the `neurite` command. `npm test` builds dist/ and docs/api first, so packing skips
// the prepack build here and only copies them into the packages (scripts/pack-package.mjs).
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { skipRedis, startRedis } from '../helpers/redis.js';
import { FITNESS_MODULE } from '../redis/fitness-source.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const PACKAGES = ['neurite', 'neurite-redis', 'neurite-cli'] as const;
interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  workspaces?: string[];
  dependencies?: Record<string, string>;
}
const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
const lib = manifest(join(root, 'packages', 'neurite'));

interface Packed {
  filename: string;
  files: { path: string }[];
}

/** Copies dist/ into the package's folder, then packs it as `npm pack -w` would publish it. */
async function pack(name: string, dest: string): Promise<Packed> {
  await run(process.execPath, [join(root, 'scripts', 'pack-package.mjs'), name]);
  const { stdout } = await run('npm', ['pack', '-w', name, '--ignore-scripts', '--json', '--pack-destination', dest], {
    cwd: root,
    maxBuffer: 64 << 20,
  });
  const [info] = JSON.parse(stdout) as Packed[];
  if (info === undefined) throw new Error(`npm pack printed no package: ${stdout}`);
  return info;
}

async function npmInstall(project: string, args: readonly string[]): Promise<void> {
  await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', ...args], {
    cwd: project,
    maxBuffer: 64 << 20,
  });
}

function emptyProject(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `neurite-${name}-`));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `try-${name}`, version: '1.0.0', private: true }));
  return dir;
}

const installed = (project: string): string[] =>
  readdirSync(join(project, 'node_modules')).filter((n) => !n.startsWith('.'));

describe('the published packages', () => {
  const out = mkdtempSync(join(tmpdir(), 'neurite-pack-'));
  let libTgz = '';
  let libFiles: string[] = [];
  let cliTgz = '';
  let redisTgz = '';
  let project = '';

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    const libInfo = await pack('neurite', out);
    libTgz = join(out, libInfo.filename);
    libFiles = libInfo.files.map((f) => f.path);
    redisTgz = join(out, (await pack('neurite-redis', out)).filename);
    cliTgz = join(out, (await pack('neurite-cli', out)).filename);
    project = emptyProject('lib');
    await npmInstall(project, [libTgz]);
  });

  it('the repository is a private npm workspace of the three packages, their versions in step', () => {
    const workspace = manifest(root);
    expect(workspace.private).toBe(true);
    expect(workspace.workspaces).toEqual(PACKAGES.map((p) => `packages/${p}`));
    for (const name of PACKAGES) {
      const pkg = manifest(join(root, 'packages', name));
      expect(pkg.name).toBe(name);
      expect(pkg.version).toBe(lib.version);
      for (const sibling of PACKAGES) {
        if (pkg.dependencies?.[sibling] !== undefined) expect(pkg.dependencies[sibling]).toBe(lib.version);
      }
      // `npm ci` links each package into node_modules, so `import 'neurite'` in the repository
      // resolves to packages/neurite (built by `npm run build`), as it will for a user.
      const linked = createRequire(join(root, 'package.json')).resolve(`${name}/package.json`);
      expect(realpathSync(linked)).toBe(realpathSync(join(root, 'packages', name, 'package.json')));
    }
  });

  it('the library declares no runtime dependency and installs as one package', () => {
    expect(lib.dependencies ?? {}).toEqual({});
    expect(installed(project)).toEqual(['neurite']);
  });

  it('ships what it runs and what its README links, and not the command line', () => {
    expect(libFiles).toContain('dist/index.js');
    expect(libFiles).toContain('dist/backend/wasm/modules.generated.js'); // the wasm modules, inlined
    expect(libFiles.filter((f) => /^dist\/(cli|report|node|redis)\//.test(f))).toEqual([]);
    const readme = readFileSync(join(root, 'packages', 'neurite', 'README.md'), 'utf8');
    expect(readme).toBe(readFileSync(join(root, 'README.md'), 'utf8'));
    const links = [...readme.matchAll(/\]\(([^)#:]+)(?:#[^)]*)?\)/g)].map((m) => m[1] as string);
    expect(links.length).toBeGreaterThan(3);
    expect(links.filter((l) => !libFiles.includes(l))).toEqual([]);
  });

  it('works through import and through require', async () => {
    const script = (load: string): string =>
      `${load}
       const net = new NeuralNetwork({ layers: [2, 4, 1], activation: 'tanh', seed: 1 });
       const before = net.train([0.5, -0.5], [1]);
       for (let i = 0; i < 50; i++) net.train([0.5, -0.5], [1]);
       const after = net.train([0.5, -0.5], [1]);
       if (!(after < before)) throw new Error('no learning: ' + before + ' -> ' + after);
       if (!(err instanceof Function) || !(iris().x.rows > 100) || denseStack(net).layers.length !== 2) throw new Error('entry points');
       console.log('ok ' + net.predict([0.5, -0.5]).length + ' ' + net.backend.name + ' ' + net.backend.threads);`;
    const esm = script(
      "import { NeuralNetwork, NeuriteError as err } from 'neurite'; import { iris } from 'neurite/data'; import { denseStack } from 'neurite/io';",
    );
    const cjs = script(
      "const { NeuralNetwork, NeuriteError: err } = require('neurite'); const { iris } = require('neurite/data'); const { denseStack } = require('neurite/io');",
    );
    writeFileSync(join(project, 'esm.mjs'), esm);
    writeFileSync(join(project, 'cjs.cjs'), cjs);
    // Node gets the thread pool by default (one thread per core), and the process still exits by
    // itself (its workers are unref'd): a hang would hit the timeout. NEURITE_THREADS=1 opts out.
    const cores = availableParallelism();
    const opts = { cwd: project, timeout: 60_000 };
    const one = { ...opts, env: { ...process.env, NEURITE_THREADS: '1' } };
    expect((await run(process.execPath, ['esm.mjs'], opts)).stdout.trim()).toBe(`ok 1 wasm ${String(cores)}`);
    expect((await run(process.execPath, ['cjs.cjs'], opts)).stdout.trim()).toBe(`ok 1 wasm ${String(cores)}`);
    expect((await run(process.execPath, ['esm.mjs'], one)).stdout.trim()).toBe('ok 1 wasm 1');
    expect((await run(process.execPath, ['cjs.cjs'], one)).stdout.trim()).toBe('ok 1 wasm 1');
  });

  it('type-checks a strict TypeScript file, and a misspelt option is a compile error', async () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', noEmit: true },
        files: ['use.ts'],
      }),
    );
    writeFileSync(
      join(project, 'use.ts'),
      `import { NeuralNetwork } from 'neurite';
       import { circles } from 'neurite/data';
       const net = new NeuralNetwork({ layers: [2, 8, 1], activation: 'tanh', seed: 1 });
       const data = circles({ n: 40, seed: 1 });
       export const done: Promise<number> = net.fit(data.x, data.y, { epochs: 2 }).then((h) => h.loss.length);`,
    );
    await run(process.execPath, [tsc, '-p', '.'], { cwd: project });
    writeFileSync(
      join(project, 'use.ts'),
      `import { NeuralNetwork } from 'neurite';
       export const net = new NeuralNetwork({ layers: [2, 1], activaton: 'tanh' });`,
    );
    const failed = await run(process.execPath, [tsc, '-p', '.'], { cwd: project }).then(
      () => '',
      (e: unknown) => (e as { stdout: string }).stdout,
    );
    expect(failed).toMatch(/activaton/);
  });

  it('the CLI package installs the neurite command, with --help, bench and training', async () => {
    const cliProject = emptyProject('cli');
    await npmInstall(cliProject, [libTgz, redisTgz, cliTgz]);
    const neurite = join(cliProject, 'node_modules', '.bin', 'neurite');
    const help = await run(neurite, ['--help'], { cwd: cliProject });
    expect(help.stdout).toMatch(/train/);
    // The version it reports is the installed library's.
    expect((await run(neurite, ['--version'], { cwd: cliProject })).stdout.trim()).toBe(lib.version);
    const bench = await run(neurite, ['bench'], { cwd: cliProject }).then(
      () => ({ code: 0, stderr: '' }),
      (e: unknown) => e as { code: number; stderr: string },
    );
    expect(bench.code).not.toBe(0);
    expect(bench.stderr).toMatch(/source checkout/);
    expect(bench.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const trained = await run(
      neurite,
      ['train', '--dataset', 'iris', '--epochs', '5', '--out', 'iris.json', '--no-report'],
      { cwd: cliProject, maxBuffer: 16 << 20 },
    );
    expect(trained.stdout + trained.stderr).toMatch(/accuracy/i);
    expect(existsSync(join(cliProject, 'iris.json'))).toBe(true);
  });

  it('neurite-redis brings bullmq and ioredis, types, and runs `neurite worker` with `neurite evolve --redis`', async () => {
    const project = emptyProject('redis');
    await npmInstall(project, [libTgz, redisTgz, cliTgz]);
    const redisPkg = manifest(join(root, 'packages', 'neurite-redis'));
    expect(Object.keys(redisPkg.dependencies ?? {}).sort()).toEqual(['bullmq', 'ioredis', 'neurite']);
    expect(redisPkg.dependencies?.['neurite']).toBe(lib.version);
    writeFileSync(
      join(project, 'use.mjs'),
      `import { redisEvaluator, redisWorker, DEFAULT_LOCKS } from 'neurite-redis';
       import { DEFAULT_QUEUE } from 'neurite-redis/settings';
       console.log(typeof redisEvaluator, typeof redisWorker, DEFAULT_LOCKS.lockDuration, DEFAULT_QUEUE);`,
    );
    expect((await run(process.execPath, ['use.mjs'], { cwd: project })).stdout.trim()).toBe(
      'function function 4000 neurite-evolve',
    );
    const neurite = join(project, 'node_modules', '.bin', 'neurite');
    expect((await run(neurite, ['worker', '--help'], { cwd: project })).stdout).toMatch(/--concurrency/);
    if (skipRedis) return;
    const server = await startRedis();
    writeFileSync(join(project, 'fit.mjs'), FITNESS_MODULE);
    const worker = spawn(neurite, ['worker', '--redis', server.url, '--module', 'fit.mjs', '--concurrency', '1'], {
      cwd: project,
    });
    try {
      const args = [
        'evolve',
        '--module',
        'fit.mjs',
        '--layers',
        '2,3,1',
        '--population',
        '6',
        '--generations',
        '2',
        '--json',
      ];
      const local = JSON.parse((await run(neurite, [...args, '--workers', '1'], { cwd: project })).stdout) as unknown;
      const remote = JSON.parse((await run(neurite, [...args, '--redis', server.url], { cwd: project })).stdout) as {
        run: string;
      };
      expect({ ...remote, run: undefined }).toEqual({ ...(local as object), run: undefined });
      expect(remote.run).toMatch(/^evolve-/);
    } finally {
      worker.kill('SIGKILL');
      await server.stop();
    }
  });
});
