// neurite export / import and --model FILE.onnx, through the built CLI.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_FORMATS } from '../../src/cli/model-formats.js';
import { runOnnx } from '../io/onnx/ort.js';
import { numericCsv, requireBuilt, runCli, smallCsv, tempDir } from './helpers.js';

beforeAll(requireBuilt);

/** The probabilities `predict` printed, per row. */
const probabilities = (stdout: string): number[][] =>
  stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((r) => r.split(',').slice(1).map(Number));

describe('neurite export --format onnx and neurite import', () => {
  const dir = tempDir();
  // Numeric columns only, so the ONNX model takes the raw CSV numbers.
  const csv = numericCsv(90);

  it('every format row can be picked by name', () => {
    expect(MODEL_FORMATS.map((f) => f.name)).toContain('onnx');
  });

  it('exports a CSV-trained model that onnxruntime runs on raw columns, and predict/import read the .onnx', async () => {
    writeFileSync(join(dir, 'train.csv'), csv);
    const t = await runCli(['train', '--data', 'train.csv', '--target', 'kind', '--epochs', '20', '--no-report'], dir);
    expect(t.code, t.stderr).toBe(0);
    const e = await runCli(['export', '--format', 'onnx', '--out', 'model.onnx'], dir);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/wrote model\.onnx \(ONNX/);

    const fromJson = probabilities((await runCli(['predict', '--data', 'train.csv'], dir)).stdout);
    const fromOnnx = await runCli(['predict', '--model', 'model.onnx', '--data', 'train.csv'], dir);
    expect(fromOnnx.code, fromOnnx.stderr).toBe(0);
    expect(probabilities(fromOnnx.stdout)).toEqual(fromJson);

    const raw = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').slice(0, 2).map(Number));
    const ort = await runOnnx(new Uint8Array(readFileSync(join(dir, 'model.onnx'))), raw);
    const want = fromJson.flat();
    ort.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5));

    const i = await runCli(['import', 'model.onnx', '--out', 'back.json'], dir);
    expect(i.code, i.stderr).toBe(0);
    expect(i.stdout).toMatch(/read model\.onnx \(onnx\): 2 →/);
    expect(
      probabilities((await runCli(['predict', '--model', 'back.json', '--data', 'train.csv'], dir)).stdout),
    ).toEqual(fromJson);
    const inspect = await runCli(['inspect', '--model', 'model.onnx'], dir);
    expect(inspect.stdout).toMatch(/softmax/);
  });

  it('a model with a text column is exported as the network alone, with a note saying so', async () => {
    writeFileSync(join(dir, 'text.csv'), smallCsv(60));
    await runCli(
      ['train', '--data', 'text.csv', '--target', 'kind', '--epochs', '5', '--out', 'text.json', '--no-report'],
      dir,
    );
    const e = await runCli(['export', '--model', 'text.json', '--format', 'onnx', '--out', 'text.onnx'], dir);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stderr).toMatch(/note: .*colour.*network alone/s);
    const p = await runCli(['predict', '--model', 'text.onnx', '--data', 'text.csv'], dir);
    expect(probabilities(p.stdout)).toEqual(
      probabilities((await runCli(['predict', '--model', 'text.json', '--data', 'text.csv'], dir)).stdout),
    );
  });

  it('an unknown format is a usage error listing the known ones; a corrupt .onnx is a one-line failure', async () => {
    const e = await runCli(['export', '--format', 'keras', '--out', 'x'], dir);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/unknown format "keras".*onnx/);
    writeFileSync(join(dir, 'bad.onnx'), Uint8Array.of(0x3a, 0xff, 0xff, 0x01));
    const b = await runCli(['predict', '--model', 'bad.onnx', '--input', '1,2'], dir);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/invalid ONNX file/);
    expect(b.stderr).not.toMatch(/\n\s+at /);
  });
});
