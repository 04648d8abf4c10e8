// Shared by the browser tests: builds the playground with Vite, serves it from a tiny static file
// server (optionally sending COOP/COEP, which make a page cross-origin isolated) and drives
// headless Debian chromium through playwright-core.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Headers that make a page cross-origin isolated (so SharedArrayBuffer and wasm threads work). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves `dir` on 127.0.0.1 (a free port), adding `headers` to every response. */
export function serve(dir: string, headers: Record<string, string> = {}): Promise<Server> {
  const s = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    const file = resolve(dir, rel === '' ? 'index.html' : rel);
    if (!file.startsWith(dir + sep) && file !== dir) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      },
      () => res.writeHead(404, headers).end('not found'),
    );
  });
  return new Promise((ok) => s.listen(0, '127.0.0.1', () => ok(s)));
}

/** `http://127.0.0.1:<port>` of a listening server. */
export const urlOf = (server: Server): string => `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;

/** A headless chromium with a throwaway profile; `close()` removes the profile too. */
export async function launch(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  const userDataDir = await mkdtemp(join(tmpdir(), 'neurite-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1360, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-extensions',
      '--no-first-run',
      '--no-default-browser-check',
      '--metrics-recording-only',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Collects a page's console errors, uncaught errors and requests that leave localhost. */
export function watch(page: Page, consoleErrors: string[], foreignRequests: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !['blob:', 'data:'].includes(u.protocol))
      foreignRequests.push(r.url());
  });
}

/** Trimmed text of the element with this `data-testid`. */
export const text = async (page: Page, id: string): Promise<string> =>
  (await page.getByTestId(id).textContent())?.trim() ?? '';

/** A built playground served on localhost with a browser open on it (see {@link startPlayground}). */
export interface Playground {
  /** `http://127.0.0.1:<port>` */
  base: string;
  context: BrowserContext;
  consoleErrors: string[];
  foreignRequests: string[];
  /** Opens `index.html?<query>` and waits until the page has drawn its first state. */
  open(query: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Builds the playground with Vite into a fresh temporary directory (so test files running in
 * parallel never share an output folder), serves it, optionally with `headers`, and opens chromium.
 */
export async function startPlayground(options: { headers?: Record<string, string> } = {}): Promise<Playground> {
  const outDir = await mkdtemp(join(tmpdir(), 'neurite-playground-'));
  await build({
    configFile: join(ROOT, 'playground', 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  const server = await serve(outDir, options.headers);
  const browser = await launch();
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  const base = urlOf(server);
  return {
    base,
    context: browser.context,
    consoleErrors,
    foreignRequests,
    async open(query) {
      const page = await browser.context.newPage();
      watch(page, consoleErrors, foreignRequests);
      await page.goto(`${base}/index.html?${query}`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      return page;
    },
    async close() {
      await browser.close();
      server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

/**
 * For a test file's `describe`: serves the built library (dist/, which must hold `needs`) and opens
 * chromium before its tests, closing both after them. Returns `open(html)`, which opens a page of
 * that HTML on the server (its module scripts import `/index.js` and the like) and waits until a
 * script has set `body[data-ready="true"]`.
 */
export function distPages(needs = 'index.js'): (html: string) => Promise<Page> {
  let server: Server;
  let browser: Awaited<ReturnType<typeof launch>>;
  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', needs))) throw new Error('dist/ is missing: run `npm run build` first');
    server = await serve(join(ROOT, 'dist'));
    browser = await launch();
  });
  afterAll(async () => {
    await browser.close();
    server.close();
  });
  return async (html) => {
    const page = await browser.context.newPage();
    await page.route('**/page.html', (r) => r.fulfill({ contentType: 'text/html', body: html }));
    await page.goto(`${urlOf(server)}/page.html`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    return page;
  };
}
