import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { argmax, decodeMnist, encodeMnist, interleaveOrder, MNIST_LEVELS } from '../../src/data/index.js';
import { loadDataset, loadMnist, MNIST_ASSET_URL, readMnistSource } from '../../src/data/node/index.js';

const digitsDir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
const source = (d: number): number[] =>
  (JSON.parse(readFileSync(join(digitsDir, `${String(d)}.json`), 'utf8')) as { data: number[] }).data;

describe('MNIST', () => {
  const { train, test } = loadMnist();

  it('splits 8000 / 2000 with 784 inputs and one-hot digits', () => {
    expect(train.x.rows).toBe(8000);
    expect(test.x.rows).toBe(2000);
    expect(train.x.cols).toBe(784);
    expect(train.y.cols).toBe(10);
    expect(train.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(train.task).toBe('classification');
  });

  it('interleaves classes round-robin: the first train labels are 0,1,…,9,0,…', () => {
    expect([...argmax(train.y).subarray(0, 30)]).toEqual(Array.from({ length: 30 }, (_, i) => i % 10));
    expect(interleaveOrder([2, 1, 3])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [0, 1],
      [2, 1],
      [2, 2],
    ]);
  });

  it('pixel values are in [0, 1] and not all zero', () => {
    let min = Infinity;
    let max = -Infinity;
    for (const v of train.x.data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
  });

  it('matches the JSON source byte for byte (as float32) for samples across the split', () => {
    const files = Array.from({ length: 10 }, (_, d) => source(d));
    const order = interleaveOrder(files.map((f) => f.length / 784));
    for (const r of [0, 1, 9, 10, 4321, 7999, 8000, 9500, 9999]) {
      const [digit, index] = order[r] as [number, number];
      const ds = r < 8000 ? train : test;
      const row = r < 8000 ? r : r - 8000;
      const expected = Float32Array.from(files[digit]?.slice(index * 784, (index + 1) * 784) ?? []);
      expect(ds.x.data.subarray(row * 784, (row + 1) * 784)).toEqual(expected);
      expect(argmax(ds.y)[row]).toBe(digit);
    }
    expect(order.length).toBe(10000);
  });

  // Before `npm run build:data` the loader falls back to the JSON source; the asset check needs the asset.
  it.skipIf(!existsSync(MNIST_ASSET_URL))(
    'the asset equals a fresh conversion of the source, and the format round-trips',
    () => {
      const fromSource = readMnistSource();
      const asset = decodeMnist(new Uint8Array(gunzipSync(readFileSync(MNIST_ASSET_URL))));
      expect(asset.labels).toEqual(fromSource.labels);
      expect(Buffer.from(asset.pixels).equals(Buffer.from(fromSource.pixels))).toBe(true);
      expect(decodeMnist(encodeMnist(fromSource)).trainCount).toBe(8000);
      expect(MNIST_LEVELS[255]).toBe(1);
      expect(() => decodeMnist(new Uint8Array(30))).toThrowError(
        expect.objectContaining({ code: 'INVALID_DATA' }) as Error,
      );
    },
  );

  it('limit takes the first rows of each part', () => {
    const small = loadMnist({ limit: 100 });
    expect(small.train.x.rows).toBe(100);
    expect(small.test.x.rows).toBe(25);
    expect(small.train.x.data).toEqual(train.x.data.subarray(0, 100 * 784));
    expect(loadMnist({ limit: 100, testLimit: 7 }).test.x.rows).toBe(7);
    expect(loadDataset('mnist', { limit: 10 }).test?.x.rows).toBe(3);
    expect(loadDataset('circles', { n: 10 }).train.x.rows).toBe(10);
  });
});
