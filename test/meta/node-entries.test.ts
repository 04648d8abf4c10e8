// The library's entry points as Node loads them (`node` conditions of packages/neurite's exports):
// the bundles scripts/build-node-entries.mjs makes in dist/node-bundle/. Each test runs a fresh
// `node` at the repository root, where `neurite` is the workspace link to packages/neurite (built
// and synchronised by `npm run build`), so the specifiers resolve as in a user's project.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const lib = join(root, 'packages', 'neurite');
const { exports } = JSON.parse(readFileSync(join(lib, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
};
/** Public specifier → [its `node` target, its per-file `import` target], for each entry with a `node` condition. */
const entries = Object.entries(exports).flatMap(([key, t]) =>
  typeof t === 'object' && t['node'] !== undefined && t['import'] !== undefined
    ? [[key === '.' ? 'neurite' : `neurite/${key.slice(2)}`, t['node'], t['import']] as const]
    : [],
);

/** Where the scripts go: inside the repository, so that `neurite` resolves from them. */
const scripts = join(root, 'node_modules', '.cache', 'neurite-node-entries');
let scriptCount = 0;

/** Runs an ES module script in a fresh process at the repository root; returns its last line, parsed. */
function inFreshNode(code: string): unknown {
  // A file rather than `-e`: worker threads inherit the process's flags, and `--input-type` stops theirs.
  const file = join(scripts, `script-${String(process.pid)}-${String(scriptCount++)}.mjs`);
  writeFileSync(file, code);
  const out = execFileSync(process.execPath, [file], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? 'null');
}

describe('the Node entry points are bundles sharing one copy of each module', () => {
  beforeAll(() => {
    mkdirSync(scripts, { recursive: true });
    if (!existsSync(join(lib, 'dist', 'node-bundle', 'index.js'))) {
      throw new Error('packages/neurite/dist/node-bundle is missing: run `npm run build` first');
    }
  });

  it('every public entry point has one, and `neurite` itself is the pooled Node entry', () => {
    expect(entries.map(([spec]) => spec)).toEqual(
      expect.arrayContaining(['neurite', 'neurite/data', 'neurite/data/node', 'neurite/io', 'neurite/wasm-node']),
    );
    for (const [, node] of entries) expect(node).toMatch(/^\.\/dist\/node-bundle\/[a-z-]+\.js$/);
    const resolved = inFreshNode(
      `console.log(JSON.stringify(${JSON.stringify(entries.map(([s]) => s))}.map((s) => import.meta.resolve(s))));`,
    ) as string[];
    expect(resolved).toEqual(entries.map(([, node]) => pathToFileURL(join(lib, node)).href));
  });

  it('exports exactly what the per-file modules export, with one object per name shared by entry points', () => {
    // For the per-file side, '.' is compared with dist/index-node.js (what the bundle bundles).
    const pairs = entries.map(([spec, , file]) => [
      spec,
      pathToFileURL(join(lib, spec === 'neurite' ? './dist/index-node.js' : file)).href,
    ]);
    const report = inFreshNode(`
      const pairs = ${JSON.stringify(pairs)};
      const bundled = [], files = [];
      for (const [spec, file] of pairs) { bundled.push(await import(spec)); files.push(await import(file)); }
      const missing = [], extra = [], sharedDiffer = [];
      let shared = 0;
      pairs.forEach(([spec], i) => {
        const b = Object.keys(bundled[i]), f = Object.keys(files[i]);
        missing.push(...f.filter((k) => !b.includes(k)).map((k) => spec + ':' + k));
        extra.push(...b.filter((k) => !f.includes(k)).map((k) => spec + ':' + k));
        for (let j = 0; j < i; j++)
          for (const k of b.filter((k) => k in bundled[j])) {
            shared++;
            if ((bundled[i][k] === bundled[j][k]) !== (files[i][k] === files[j][k]))
              sharedDiffer.push(pairs[j][0] + ' and ' + spec + ':' + k);
          }
      });
      console.log(JSON.stringify({ missing, extra, sharedDiffer, shared }));
    `) as { missing: string[]; extra: string[]; sharedDiffer: string[]; shared: number };
    expect(report.missing).toEqual([]);
    expect(report.extra).toEqual([]);
    expect(report.sharedDiffer).toEqual([]);
    expect(report.shared).toBeGreaterThan(20);
  });

  it("runs the thread pool's workers from the bundle, with one thread's weights", () => {
    // The workers run source text made from the bundle's own functions: a helper the bundler put
    // inside one of them would be undefined there, and the worker would fail (the caller then
    // quietly takes every chunk itself; hence the count).
    const run = inFreshNode(`
      import { NeuralNetwork } from 'neurite';
      import { createNodeWasmBackend } from 'neurite/wasm-node';
      const rows = 512, x = new Float32Array(rows * 512), y = new Float32Array(rows * 10);
      for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 101) / 101;
      for (let r = 0; r < rows; r++) y[r * 10 + (r % 10)] = 1;
      const weights = async (backend) => {
        const net = new NeuralNetwork({ layers: [512, { units: 256, activation: 'relu' }, { units: 10, activation: 'softmax' }], seed: 3, backend });
        const h = await net.fit({ rows, cols: 512, data: x }, { rows, cols: 10, data: y }, { epochs: 3, batchSize: 64, loss: 'categoricalCrossEntropy', optimizer: 'adam' });
        return { w: net.getWeights(), loss: h.loss };
      };
      const pooled = createNodeWasmBackend({ threads: 2, adapt: false });
      // Booted before the fit (in ~50 ms); the first layer's products (16.8 MFLOP) split even while
      // the pool is calm.
      pooled.pool.start();
      await new Promise((r) => setTimeout(r, 1000));
      const a = await weights(pooled);
      const b = await weights(createNodeWasmBackend({ threads: 1 }));
      const same = a.w.length === b.w.length && a.w.every((v, i) => Object.is(v, b.w[i]));
      console.log(JSON.stringify({ chunks: pooled.pool.workerChunks, same, loss: a.loss }));
      process.exit(0);
    `) as { chunks: number; same: boolean; loss: number[] };
    expect(run.chunks).toBeGreaterThan(0);
    expect(run.same).toBe(true);
    expect(run.loss.at(-1)).toBeLessThan(run.loss[0] as number);
  });

  it("finds the files kept next to modules: MNIST's asset and the evolution workers' script", () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-node-entries-'));
    const fitnessModule = join(dir, 'fitness.mjs');
    writeFileSync(
      fitnessModule,
      `export function fitness(net) { return -((net.predict([1, 0])[0] - 1) ** 2) - net.predict([0, 1])[0] ** 2; }`,
    );
    const run = inFreshNode(`
      import { NeuralNetwork } from 'neurite';
      import { loadMnist } from 'neurite/data/node';
      import { evolve, workerPool } from 'neurite/evolve/node';
      import { fitness } from ${JSON.stringify(pathToFileURL(fitnessModule).href)};
      const { train } = loadMnist();
      const network = new NeuralNetwork({ layers: [2, 3, 1], seed: 1, backend: 'js' });
      const opts = { network, populationSize: 12, generations: 3, seed: 5 };
      const pool = await workerPool({ module: ${JSON.stringify(fitnessModule)}, network, workers: 2 });
      try {
        const parallel = await evolve({ ...opts, parallel: pool });
        const serial = await evolve({ ...opts, fitness });
        console.log(JSON.stringify({ rows: train.x.rows, best: parallel.bestFitness, serialBest: serial.bestFitness }));
      } finally {
        await pool.close();
      }
    `) as { rows: number; best: number; serialBest: number };
    expect(run.rows).toBe(8000);
    expect(Number.isFinite(run.best)).toBe(true);
    expect(run.best).toBe(run.serialBest);
  });
});
