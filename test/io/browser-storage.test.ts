// Browser persistence in a real browser: headless Debian chromium opens a page importing the built
// library (dist/), saves a network in IndexedDB and localStorage, lists, loads and removes it, and
// downloads it as a file that is then uploaded through an <input type="file">.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import { CHROMIUM, distPages } from '../playground/browser.js';

const PAGE = `<!doctype html><html><body><input type="file" id="upload">
<script type="module">
import { NeuralNetwork } from '/index.js';
import * as io from '/io/index.js';
window.neurite = { NeuralNetwork, io };
document.body.dataset.ready = 'true';
</script></body></html>`;

describe.skipIf(!existsSync(CHROMIUM) && process.env['CI'] !== 'true')('browser persistence (chromium)', () => {
  const open = distPages(join('io', 'index.js'));

  it('IndexedDB and localStorage: save, list, load (same predictions), remove; download then upload', async () => {
    const page = await open(PAGE);
    const result = await page.evaluate(async () => {
      const { NeuralNetwork: NN, io } = (
        window as unknown as {
          neurite: { NeuralNetwork: typeof NeuralNetwork; io: typeof import('../../src/io/index.js') };
        }
      ).neurite;
      const net = new NN({
        layers: [3, { units: 5, activation: 'tanh' }, { units: 2, activation: 'softmax' }],
        seed: 9,
      });
      const x = [0.3, -1.2, 2];
      const out: Record<string, unknown> = { expected: Array.from(net.predict(x)) };
      for (const scheme of ['indexeddb', 'localstorage'] as const) {
        await io.saveToBrowser(net, `${scheme}://first`, { info: { note: 'a' } });
        await io.saveToBrowser(net.toJSON(), `${scheme}://second`);
        const listed = await io.listStoredModels(scheme);
        const back = await io.loadFromBrowser(`${scheme}://first`);
        await io.removeStoredModel(`${scheme}://first`);
        out[scheme] = {
          names: listed.map((m) => m.name).sort(),
          info: listed.find((m) => m.name === 'first')?.info,
          predicted: Array.from(back.predict(x)),
          afterRemove: (await io.listStoredModels(scheme)).map((m) => m.name),
          missing: await io.loadFromBrowser(`${scheme}://first`).then(
            () => 'loaded',
            (e: unknown) => (e as { code?: string }).code,
          ),
        };
      }
      return out;
    });
    for (const scheme of ['indexeddb', 'localstorage']) {
      expect(result[scheme]).toEqual({
        names: ['first', 'second'],
        info: { note: 'a' },
        predicted: result['expected'],
        afterRemove: ['second'],
        missing: 'INVALID_OPTION',
      });
    }

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(async () => {
        const { NeuralNetwork: NN, io } = (
          window as unknown as {
            neurite: { NeuralNetwork: typeof NeuralNetwork; io: typeof import('../../src/io/index.js') };
          }
        ).neurite;
        await io.saveToBrowser(new NN({ layers: [3, 4, 2], seed: 9 }), 'downloads://my-model');
      }),
    ]);
    expect(download.suggestedFilename()).toBe('my-model.json');
    const file = await download.path();
    const saved = NeuralNetwork.fromJSON(
      JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof NeuralNetwork.fromJSON>[0],
    );
    await page.setInputFiles('#upload', file);
    const uploaded = await page.evaluate(async () => {
      const { io } = (window as unknown as { neurite: { io: typeof import('../../src/io/index.js') } }).neurite;
      const input = document.getElementById('upload') as HTMLInputElement;
      const net = await io.loadFromFile(input.files![0]!);
      return Array.from(net.predict([1, 2, 3]));
    });
    expect(uploaded).toEqual(Array.from(saved.predict([1, 2, 3])));
    await page.close();
  });
});
