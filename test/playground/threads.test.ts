// Browser tests of the wasm backend's Web Worker pool: the playground served WITH COOP/COEP (so it
// is cross-origin isolated and trains on threads), and the pool itself, loaded the way a library
// user gets it (the compiled dist/ layout, plain ES modules), on products large enough to split.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ISOLATION_HEADERS,
  launch,
  ROOT,
  serve,
  startPlayground,
  text,
  urlOf,
  watch,
  type Playground,
} from './browser.js';

const QUERY = 'dataset=circles&seed=7&layers=8,8&activation=tanh&lr=0.03&batch=10&noise=0.1';

describe('playground on a cross-origin-isolated page', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground({ headers: ISOLATION_HEADERS });
  });
  afterAll(async () => {
    await pg?.close();
  });

  it('trains on circles on the wasm backend with a thread pool', async () => {
    const page = await pg.open(QUERY);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.locator('#isolation').textContent()).toBe('(cross-origin isolated)');
    expect(await text(page, 'backend')).toBe('wasm');
    const threads = Number(/(\d+) threads?/.exec(await text(page, 'threads'))?.[1]);
    expect(threads).toBeGreaterThan(1);
    expect(threads).toBe(Math.min(4, await page.evaluate(() => navigator.hardwareConcurrency)));
    await page.getByTestId('play').click();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="epoch"]')?.textContent ?? '0') >= 60,
      undefined,
      { timeout: 120_000 },
    );
    await page.getByTestId('play').click(); // pause
    expect(Number(await text(page, 'test-accuracy'))).toBeGreaterThan(0.9);
    await page.close();
    expect(pg.consoleErrors).toEqual([]);
    expect(pg.foreignRequests).toEqual([]);
  });
});

// Runs in the browser, on the page's main thread and inside a module worker: 1 thread against a
// pool with minFlops 0 (every product split), every transpose case, compared bit for bit.
const CHECK_JS = `
import { createWebWasmBackend, webThreadsAvailable } from './lib/index.js';
const SHAPES = [[512, 512, 512], [64, 784, 128], [2000, 10, 300], [3, 3000, 500], [67, 1000, 33], [5, 17, 67]];
function fill(a, seed) {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 4294967296 - 0.5;
  }
}
// Image-like zeros: whole columns and whole rows of the stored matrix, which the packed product
// skips as zero k steps.
function zeroSome(a, rows, cols) {
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) if ((c * 7) % 10 < 5 || (r * 3) % 10 < 4) a[r * cols + c] = 0;
}
export async function check(threads) {
  const one = await createWebWasmBackend({ threads: 1 });
  const many = await createWebWasmBackend({ threads, minFlops: 0 });
  let mismatches = 0;
  let products = 0;
  let unskipped = 0;
  let compared = 0;
  for (const [m, n, k] of SHAPES) {
    for (const [ta, tb, sparse] of [[false, false, false], [true, false, false], [false, true, false], [true, true, false],
        [false, false, true], [true, false, true], [false, true, true], [true, true, true]]) {
      const x = [one.alloc(m * k), one.alloc(k * n), one.alloc(m * n)];
      const y = [many.alloc(m * k), many.alloc(k * n), many.alloc(m * n)];
      x.forEach((a, i) => {
        fill(a, m + k + n * i);
        if (sparse && i === 0) zeroSome(a, ta ? k : m, ta ? m : k);
        if (sparse && i === 1) zeroSome(a, tb ? n : k, tb ? k : n);
        y[i].set(a);
      });
      // The same product with the operand that may be skipped stored the other way round, where
      // nothing is skipped: the skip must give its bits (packed products: from 4 rows).
      let other;
      if (sparse && (!ta || !tb) && m >= 4) {
        const i = !ta ? 0 : 1;
        const [r, c] = !ta ? [m, k] : [k, n];
        const t = one.alloc(r * c);
        for (let a = 0; a < r; a++) for (let b = 0; b < c; b++) t[b * r + a] = x[i][a * c + b];
        other = { t, i, c: one.alloc(m * n) };
        other.c.set(x[2]);
      }
      one.gemm(ta, tb, m, n, k, 0.5, x[0], x[1], 0.25, x[2]);
      many.gemm(ta, tb, m, n, k, 0.5, y[0], y[1], 0.25, y[2]);
      const p = new Uint32Array(x[2].buffer, x[2].byteOffset, m * n);
      const q = new Uint32Array(y[2].buffer, y[2].byteOffset, m * n);
      for (let i = 0; i < m * n; i++) if (p[i] !== q[i]) mismatches++;
      if (other) {
        if (other.i === 0) one.gemm(true, tb, m, n, k, 0.5, other.t, x[1], 0.25, other.c);
        else one.gemm(ta, true, m, n, k, 0.5, x[0], other.t, 0.25, other.c);
        const o = new Uint32Array(other.c.buffer, other.c.byteOffset, m * n);
        for (let i = 0; i < m * n; i++) if (p[i] !== o[i]) unskipped++;
        compared++;
        one.free(other.t);
        one.free(other.c);
      }
      products++;
      for (const a of x) one.free(a);
      for (const a of y) many.free(a);
    }
  }
  const out = {
    available: webThreadsAvailable(),
    shared: many.shared,
    threads: many.threads,
    threadsOfOne: one.threads,
    products,
    mismatches,
    unskipped,
    compared,
    workerChunks: many.pool ? many.pool.workerChunks : 0,
  };
  if (many.pool) many.pool.close();
  return out;
}
`;
const WORKER_JS = `
import { check } from './check.js';
onmessage = async (e) => postMessage(await check(e.data).catch((err) => ({ error: String(err) })));
`;

interface CheckResult {
  available: boolean;
  shared: boolean;
  threads: number;
  threadsOfOne: number;
  products: number;
  mismatches: number;
  unskipped: number;
  compared: number;
  workerChunks: number;
  error?: string;
}

describe('wasm Web Worker pool (compiled library, as users import it)', () => {
  let dir = '';
  let isolated: Server;
  let plain: Server;
  let strict: Server;
  let browser: Awaited<ReturnType<typeof launch>>;
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'neurite-pool-'));
    // The library as `npm run build` emits it (tsconfig.build.json), into lib/ of the served dir.
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', join(dir, 'lib')],
      { cwd: ROOT, stdio: 'inherit' },
    );
    await writeFile(join(dir, 'check.js'), CHECK_JS);
    await writeFile(join(dir, 'worker.js'), WORKER_JS);
    await writeFile(
      join(dir, 'index.html'),
      '<!doctype html><link rel="icon" href="data:,"><title>pool</title><p>pool test</p>',
    );
    isolated = await serve(dir, ISOLATION_HEADERS);
    plain = await serve(dir);
    // Isolated, but a CSP that allows no blob: workers (the pool's workers run from a Blob URL).
    strict = await serve(dir, { ...ISOLATION_HEADERS, 'Content-Security-Policy': "worker-src 'self'" });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    isolated?.close();
    plain?.close();
    strict?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function page(server: Server): Promise<Page> {
    const p = await browser.context.newPage();
    watch(p, consoleErrors, foreignRequests);
    await p.goto(`${urlOf(server)}/index.html`);
    return p;
  }

  const onMainThread = (p: Page, threads: number): Promise<CheckResult> =>
    // A string, so vitest does not rewrite the dynamic import for Node.
    p.evaluate(`import('/check.js').then((m) => m.check(${String(threads)}))`) as Promise<CheckResult>;

  const inWorker = (p: Page, threads: number): Promise<CheckResult> =>
    p.evaluate(
      (t) =>
        new Promise<CheckResult>((ok, fail) => {
          const w = new Worker('/worker.js', { type: 'module' });
          w.onmessage = (e: MessageEvent<CheckResult>) => {
            w.terminate();
            ok(e.data);
          };
          w.onerror = (e) => fail(new Error(e.message));
          w.postMessage(t);
        }),
      threads,
    );

  it('splits products over 3 threads, bit-identical to 1, on the main thread and in a worker (dense and sparse operands)', async () => {
    const p = await page(isolated);
    for (const result of [await onMainThread(p, 3), await inWorker(p, 3)]) {
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ available: true, shared: true, threads: 3, threadsOfOne: 1, mismatches: 0 });
      expect(result.products).toBe(48);
      // Sparse products whose zero steps may be skipped gave the bits of the same product stored
      // the other way round (which skips nothing).
      expect(result).toMatchObject({ compared: 15, unskipped: 0 });
      // The workers really computed part of the products (not only the calling thread).
      expect(result.workerChunks).toBeGreaterThan(0);
    }
    await p.close();
  });

  it('stays single-threaded, with the same results, without cross-origin isolation', async () => {
    const p = await page(plain);
    for (const result of [await onMainThread(p, 3), await inWorker(p, 3)]) {
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ available: false, shared: false, threads: 1, mismatches: 0, workerChunks: 0 });
    }
    await p.close();
  });

  it('falls back to one thread, with the same results, when a CSP blocks blob: workers', async () => {
    const errors: string[] = [];
    const p = await browser.context.newPage();
    watch(p, errors, foreignRequests);
    await p.goto(`${urlOf(strict)}/index.html`);
    const result = await onMainThread(p, 3);
    expect(result).toMatchObject({ available: true, shared: true, threads: 1, mismatches: 0, workerChunks: 0 });
    expect(errors.join('\n')).toContain('Content Security Policy');
    await p.close();
  });

  it('logs no console errors and makes no request beyond localhost', () => {
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
