import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import { networkSvg } from '../../src/report/network-svg.js';
import { greyPng } from '../../src/report/png.js';
import { requireBuilt, runCli, tempDir } from '../cli/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = new URL('../../test-output/', import.meta.url);

describe('network drawing and PNG encoder', () => {
  it('samples large layers and says so', () => {
    const net = new NeuralNetwork({ layers: [784, 64, 10], activation: 'relu', seed: 1 });
    const d = networkSvg(net, { maxPerLayer: 10 });
    expect(d.sampled).toEqual([
      { layer: 0, size: 784, shown: 10 },
      { layer: 1, size: 64, shown: 10 },
    ]);
    expect(d.svg.match(/<circle/g)).toHaveLength(30);
    expect(d.svg).toContain('stroke="#2563eb"');
    expect(d.svg).toContain('stroke="#dc2626"');
  });

  it('writes a valid PNG signature and IHDR', () => {
    const png = greyPng(3, 2, new Uint8Array([0, 128, 255, 255, 128, 0]));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(3);
    expect(png.readUInt32BE(20)).toBe(2);
  });
});

describe.skipIf(!existsSync(CHROMIUM))('report rendered in headless Chromium', () => {
  let context: BrowserContext;
  let dir: string;

  beforeAll(async () => {
    requireBuilt();
    dir = tempDir();
    const r = await runCli(['train', '--limit', '1000', '--epochs', '2', '--augment', '1', '--json'], dir);
    expect(r.code).toBe(0);
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'neurite-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1200, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await context.close();
  });

  it('shows non-empty charts, the network, the confusion matrix and the digit grid, with no network access', async () => {
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith('file:') && !req.url().startsWith('data:')) requests.push(req.url());
    });
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    for (const id of ['loss', 'accuracy', 'confusion']) {
      const svg = page.locator(`#${id} svg`);
      await expect(svg.count()).resolves.toBe(1);
      const box = await svg.boundingBox();
      expect(box?.width, id).toBeGreaterThan(100);
      expect(box?.height, id).toBeGreaterThan(100);
      const paths = await page
        .locator(`#${id} svg path`)
        .evaluateAll((els) => els.map((e) => e.getAttribute('d') ?? '').filter((d) => d.length > 10));
      expect(paths.length, id).toBeGreaterThan(0);
    }
    // Two curves each (training and validation) in the loss and accuracy charts.
    await expect(page.locator('#loss svg path[aria-roledescription="line mark"]').count()).resolves.toBe(2);
    await expect(page.locator('#network svg line').count()).resolves.toBeGreaterThan(50);
    await expect(page.locator('#confusion svg text').filter({ hasText: /^\d+$/ }).count()).resolves.toBeGreaterThan(99);
    const images = page.locator('#misclassified img');
    await expect(images.count()).resolves.toBeGreaterThan(0);
    const loaded = await images.evaluateAll((els) => els.every((e) => (e as HTMLImageElement).naturalWidth === 28));
    expect(loaded).toBe(true);
    expect(requests).toEqual([]);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: new URL('report.png', OUT).pathname, fullPage: true });
    expect(readFileSync(new URL('report.png', OUT)).length).toBeGreaterThan(10_000);
  });
});
