// The packed library in a browser with no bundler: the files `npm pack` ships are served on
// localhost, and headless Chromium opens (1) a page whose only glue is an import map pointing
// `neurite` and `neurite/data` at the package's files and (2) a page importing the single-file
// build dist/neurite.bundle.js. Each trains a small network on the wasm backend and reports it.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, ROOT, launch, serve, urlOf, watch } from '../playground/browser.js';

const run = promisify(execFile);

/** The page's script after its imports: trains on moons with the wasm backend, reports to the test. */
const TRAIN = `
await wasmReady(); // browsers compile WebAssembly asynchronously
const data = moons({ n: 200, noise: 0.1, seed: 1 });
const net = new NeuralNetwork({
  layers: [2, 8, 8, data.y.cols],
  activation: 'tanh',
  outputActivation: 'softmax',
  loss: 'categoricalCrossEntropy',
  backend: 'wasm',
  seed: 1,
});
const history = await net.fit(data.x, data.y, { epochs: 40, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.02 } });
const { accuracy } = net.evaluate(data.x, data.y, { metrics: ['accuracy'] });
window.result = { backend: net.backend.name, loss: history.loss, accuracy };
`;

const page = (head: string, imports: string): string =>
  `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>
<script type="module">
${imports}
try {
${TRAIN}
} catch (e) {
  window.result = { error: String(e) };
}
document.body.dataset.done = 'true';
</script></body></html>`;

interface Result {
  error?: string;
  backend: string;
  loss: number[];
  accuracy: number;
}

describe.skipIf(!existsSync(CHROMIUM) && process.env['CI'] !== 'true')('the packed library in a browser page', () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-browser-package-'));
  let server: Server;
  let browser: Awaited<ReturnType<typeof launch>>;
  let shipped: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'packages', 'neurite', 'dist', 'index.js'))) {
      throw new Error('packages/neurite/dist/ is missing: run `npm run build` first');
    }
    // Exactly what npm would publish (`npm run build`, which `npm test` runs first, fills
    // packages/neurite/dist/; so no prepack here).
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: join(ROOT, 'packages', 'neurite'),
      maxBuffer: 64 << 20,
    });
    const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    if (info === undefined) throw new Error(`npm pack printed no package: ${stdout}`);
    shipped = info.files.map((f) => f.path);
    await run('tar', ['-xzf', join(dir, info.filename), '-C', dir]); // into dir/package/
    writeFileSync(
      join(dir, 'importmap.html'),
      page(
        `<script type="importmap">${JSON.stringify({
          imports: { neurite: '/package/dist/index.js', 'neurite/data': '/package/dist/data/index.js' },
        })}</script>`,
        `import { NeuralNetwork, wasmReady } from 'neurite';\nimport { moons } from 'neurite/data';`,
      ),
    );
    writeFileSync(
      join(dir, 'bundle.html'),
      page('', `import { NeuralNetwork, moons, wasmReady } from '/package/dist/neurite.bundle.js';`),
    );
    writeFileSync(join(dir, 'favicon.ico'), ''); // Chromium asks for it whatever the page says
    server = await serve(dir);
    browser = await launch();
  }, 300_000);

  afterAll(async () => {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a page, waits for its training and returns what it reported and which files it fetched. */
  async function open(file: string): Promise<{ result: Result; fetched: string[]; errors: string[] }> {
    const p = await browser.context.newPage();
    const errors: string[] = [];
    const foreign: string[] = [];
    watch(p, [], foreign);
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
    });
    p.on('pageerror', (e) => errors.push(e.message));
    const fetched: string[] = [];
    p.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      fetched.push(path);
      if (r.status() !== 200) errors.push(`${String(r.status())} ${path}`);
    });
    await p.goto(`${urlOf(server)}/${file}`);
    await p.waitForSelector('body[data-done="true"]', { state: 'attached', timeout: 90_000 }).catch((e: unknown) => {
      throw new Error(`${file} did not finish: ${errors.join('; ') || String(e)}`);
    });
    const result = (await p.evaluate('window.result')) as Result;
    await p.close();
    expect(foreign).toEqual([]);
    expect(result.error).toBeUndefined();
    return { result, fetched, errors };
  }

  it('ships the single-file build and its types', () => {
    expect(shipped).toContain('dist/neurite.bundle.js');
    expect(shipped).toContain('dist/neurite.bundle.d.ts');
    // The single file has no import left to resolve.
    const bundle = readFileSync(join(dir, 'package', 'dist', 'neurite.bundle.js'), 'utf8');
    expect(bundle).not.toMatch(/\bimport\s*[{*\w]|\bfrom\s*["']/);
  });

  it('trains on the wasm backend from a page with only an import map', { timeout: 180_000 }, async () => {
    const { result, fetched, errors } = await open('importmap.html');
    expect(errors).toEqual([]);
    expect(result.backend).toBe('wasm');
    expect(result.loss).toHaveLength(40);
    expect(result.loss.at(-1)).toBeLessThan((result.loss[0] as number) * 0.6);
    expect(result.accuracy).toBeGreaterThan(0.85);
    // The modules came from the package's own files, one by one (no bundle involved).
    const modules = fetched.filter((f) => f.endsWith('.js'));
    expect(modules).toContain('/package/dist/index.js');
    expect(modules).toContain('/package/dist/data/index.js');
    expect(modules.length).toBeGreaterThan(10);
    expect(modules.every((f) => f.startsWith('/package/dist/') && !f.endsWith('neurite.bundle.js'))).toBe(true);
  });

  it(
    'trains on the wasm backend from a page importing dist/neurite.bundle.js alone',
    { timeout: 180_000 },
    async () => {
      const { result, fetched, errors } = await open('bundle.html');
      expect(errors).toEqual([]);
      expect(result.backend).toBe('wasm');
      expect(result.loss.at(-1)).toBeLessThan((result.loss[0] as number) * 0.6);
      expect(result.accuracy).toBeGreaterThan(0.85);
      expect(fetched.filter((f) => f.endsWith('.js'))).toEqual(['/package/dist/neurite.bundle.js']);
    },
  );
});
