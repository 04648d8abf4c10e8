// The wasm backend's Web Worker pool in Chromium: 1 thread against 2 on the main thread of a
// cross-origin-isolated page, the library as `tsc -p tsconfig.build.json` emits it. Not part of
// `npm run bench` (it needs Chromium); run with `npx tsx bench/browser-gemm.ts`.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ISOLATION_HEADERS, launch, ROOT, serve, urlOf } from '../test/playground/browser.js';

// Runs in the page: median of 31 products after >= 3 products and 0.3 s of warm-up.
const PAGE_JS = `
import { createWebWasmBackend } from './lib/index.js';
const SHAPES = [[512, 512, 512], [256, 256, 256], [64, 784, 128], [2000, 784, 128]];
export async function run() {
  const rows = [];
  const backends = [await createWebWasmBackend({ threads: 1 }), await createWebWasmBackend({ threads: 2 })];
  for (const [m, k, n] of SHAPES) {
    for (const b of backends) {
      const a = b.alloc(m * k), bb = b.alloc(k * n), c = b.alloc(m * n);
      for (let i = 0; i < a.length; i++) a[i] = Math.sin(i * 0.37) * 0.5;
      for (let i = 0; i < bb.length; i++) bb[i] = Math.sin(2 + i * 0.37) * 0.5;
      const once = () => { const s = performance.now(); b.gemm(false, false, m, n, k, 1, a, bb, 0, c); return performance.now() - s; };
      const t0 = performance.now();
      for (let i = 0; i < 3 || performance.now() - t0 < 300; i++) once();
      const ts = Array.from({ length: 31 }, once).sort((x, y) => x - y);
      rows.push({ shape: m + 'x' + k + '·' + k + 'x' + n, threads: b.threads, flavour: b.flavour, ms: ts[15],
        gflops: (2 * m * n * k) / ts[15] / 1e6 });
      for (const v of [a, bb, c]) b.free(v);
    }
  }
  return rows;
}
`;

const dir = await mkdtemp(join(tmpdir(), 'neurite-browser-bench-'));
try {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', join(dir, 'lib')],
    { cwd: ROOT, stdio: 'inherit' },
  );
  await writeFile(join(dir, 'bench.js'), PAGE_JS);
  await writeFile(join(dir, 'index.html'), '<!doctype html><link rel="icon" href="data:,"><title>bench</title>');
  const server = await serve(dir, ISOLATION_HEADERS);
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${urlOf(server)}/index.html`);
    // A string, so the dynamic import is the page's, not Node's.
    const rows = (await page.evaluate(`import('/bench.js').then((m) => m.run())`)) as Record<string, unknown>[];
    for (const r of rows) process.stdout.write(`${JSON.stringify({ workload: 'browser-gemm', ...r })}\n`);
  } finally {
    await browser.close();
    server.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
