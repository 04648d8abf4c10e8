// `neurite export --format onnx|tfjs|safetensors|js` through the built CLI, each file run in its
// real consumer (onnxruntime-web, tf.loadLayersModel reading the folder, Debian's PyTorch with
// load_state_dict(strict=True), the standalone module imported from an empty folder) and compared
// with what `neurite predict` prints for the same rows; and `neurite import`/`predict`/`evaluate`/
// `inspect` on a TF.js model saved by TensorFlow.js itself, and on broken ones.
import * as tf from '@tensorflow/tfjs';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, NeuralNetwork, Rng, quantize, type ActivationName } from '../../src/index.js';
import { MODEL_FORMATS } from '../../src/cli/model-formats.js';
import { runOnnx } from '../io/onnx/ort.js';
import { hasTorch, runPythonJson, TORCH_READ_SAFETENSORS } from '../helpers/python.js';
import { firstMismatch, randomRows } from '../helpers/random.js';
import { allowGeluNew, fileHandler, savedByTfjs } from '../helpers/tfjs.js';
import { numericCsv, requireBuilt, runCli, tempDir } from './helpers.js';

beforeAll(async () => {
  requireBuilt();
  await tf.setBackend('cpu');
});

const dir = tempDir();
const INPUTS = 5;
const rows = randomRows(new Rng(42), 12, INPUTS, -2, 2);
const csv = (extra?: (r: number[]) => string): string =>
  [
    [...Array.from({ length: INPUTS }, (_, i) => `x${String(i + 1)}`), ...(extra ? ['label'] : [])].join(','),
    ...rows.map((r) => [...r.map(String), ...(extra ? [extra(r)] : [])].join(',')),
  ].join('\n') + '\n';
writeFileSync(join(dir, 'rows.csv'), csv());

/** One hidden layer per activation (elu with alpha 1, which TF.js can express), then a softmax output. */
const hidden = ACTIVATION_NAMES.filter((a) => a !== 'softmax');
const net = new NeuralNetwork({
  layers: [
    INPUTS,
    ...hidden.map((a: ActivationName) => ({ units: 6, activation: a, ...(a === 'leakyRelu' ? { alpha: 0.15 } : {}) })),
    { units: 3, activation: 'softmax' },
  ],
  seed: 5,
});
writeFileSync(join(dir, 'model.json'), JSON.stringify(net.toJSON()));

/** The numbers `neurite predict` printed (every column but the label), per row. */
const printed = (stdout: string): number[][] => {
  const [head = '', ...lines] = stdout.trim().split('\n');
  const keep = head.split(',').map((c) => c !== 'label');
  return lines.map((l) =>
    l
      .split(',')
      .filter((_, i) => keep[i] === true)
      .map(Number),
  );
};

async function predicted(model: string): Promise<number[][]> {
  const p = await runCli(['predict', '--model', model, '--data', 'rows.csv'], dir);
  expect(p.code, p.stderr).toBe(0);
  return printed(p.stdout);
}

function expectClose(theirs: ArrayLike<number>, ours: number[][], what: string): void {
  const flat = ours.flat();
  expect(theirs.length, what).toBe(flat.length);
  const bad = firstMismatch(theirs, flat, 1e-5, 1e-5);
  expect(bad, `${what}: ${JSON.stringify(bad)}`).toBeUndefined();
}

async function exported(format: string, out: string): Promise<string> {
  const e = await runCli(['export', '--model', 'model.json', '--format', format, '--out', out], dir);
  expect(e.code, e.stderr).toBe(0);
  return e.stderr;
}

describe('neurite export: every format runs in its consumer as neurite predict does (1e-5)', () => {
  let ours: number[][] = [];
  beforeAll(async () => {
    ours = await predicted('model.json');
    expect(ours.length).toBe(rows.length);
    // The network covers every activation, so a new one cannot skip these consumers.
    expect(new Set(net.layers.map((l) => l.activation.name))).toEqual(new Set(ACTIVATION_NAMES));
  });

  it('the format table has one writer per format of the issue', () => {
    expect(MODEL_FORMATS.filter((f) => f.write !== undefined).map((f) => f.name)).toEqual([
      'onnx',
      'tfjs',
      'safetensors',
      'js',
    ]);
  });

  it('onnx: onnxruntime-web', async () => {
    await exported('onnx', 'model.onnx');
    expectClose(await runOnnx(new Uint8Array(readFileSync(join(dir, 'model.onnx'))), rows), ours, 'onnxruntime');
  });

  it('onnx --quantize: onnxruntime-web computes quantize(net); other formats refuse --quantize', async () => {
    const e = await runCli(
      ['export', '--model', 'model.json', '--format', 'onnx', '--quantize', '--out', 'model.int8.onnx'],
      dir,
    );
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/int8/);
    const bytes = new Uint8Array(readFileSync(join(dir, 'model.int8.onnx')));
    const theirs = await runOnnx(bytes, rows);
    expectClose(
      theirs,
      Array.from({ length: rows.length }, (_, r) =>
        Array.from(
          quantize(net)
            .predictBatch(rows)
            .data.subarray(r * 3, r * 3 + 3),
        ),
      ),
      'onnxruntime (quantized)',
    );
    // The float network's answers are near, not equal: the quantized file is not the float one.
    expect(firstMismatch(theirs, ours.flat(), 1e-7, 1e-7)).toBeDefined();
    const wrong = await runCli(
      ['export', '--model', 'model.json', '--format', 'tfjs', '--quantize', '--out', 'q'],
      dir,
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--quantize writes an ONNX file/);
  });

  it('tfjs: a folder that tf.loadLayersModel reads with a file IOHandler', async () => {
    const stderr = await exported('tfjs', 'tfjs-model');
    expect(readdirSync(join(dir, 'tfjs-model')).sort()).toEqual(['model.json', 'weights.bin']);
    expect(stderr).toMatch(/gelu_new/);
    allowGeluNew();
    const model = await tf.loadLayersModel(fileHandler(join(dir, 'tfjs-model')));
    const theirs = tf.tidy(() => (model.predict(tf.tensor2d(rows)) as tf.Tensor).dataSync());
    model.dispose();
    expectClose(theirs, ours, 'tf.loadLayersModel');
    // …and neurite reads its own export back, directly and through import.
    expect(await predicted('tfjs-model/model.json')).toEqual(ours);
  });

  it.skipIf(!hasTorch())('safetensors: PyTorch nn.Sequential with load_state_dict(strict=True)', async () => {
    await exported('safetensors', 'model.safetensors');
    const theirs = runPythonJson(
      TORCH_READ_SAFETENSORS,
      JSON.stringify([{ name: 'cli', path: join(dir, 'model.safetensors'), x: rows }]),
    ) as Record<string, number[]>;
    expectClose(theirs['cli'] ?? [], ours, 'PyTorch');
    expect(await predicted('model.safetensors')).toEqual(ours);
  });

  it('js: the standalone module, imported from an empty folder', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'neurite-standalone-'));
    await exported('js', join(empty, 'model.js'));
    expect(readdirSync(empty)).toEqual(['model.js']);
    const mod = (await import(pathToFileURL(join(empty, 'model.js')).href)) as {
      predictBatch(rows: number[][]): number[][];
    };
    expectClose(mod.predictBatch(rows).flat(), ours, 'standalone module');
  });

  it('a safetensors state_dict without activations is one UNSUPPORTED line saying how to load it', async () => {
    // What PyTorch's save_file writes for Linear(2, 1): a header without neurite's metadata, then the data.
    const header = JSON.stringify({
      '0.weight': { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] },
      '0.bias': { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
    });
    const bytes = new Uint8Array(8 + header.length + 12);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(new TextEncoder().encode(header), 8);
    writeFileSync(join(dir, 'torch.safetensors'), bytes);
    const r = await runCli(['import', 'torch.safetensors', '--out', 'torch.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/torch\.safetensors holds parameters only.*fromSafetensors\(bytes, \{ activations/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an elu with alpha ≠ 1 cannot go to TF.js: the error names the layer and the way out, and writes nothing', async () => {
    const elu = new NeuralNetwork({ layers: [2, 4, { units: 3, activation: 'elu', alpha: 0.5 }, 1], seed: 1 });
    writeFileSync(join(dir, 'elu.json'), JSON.stringify(elu.toJSON()));
    const e = await runCli(['export', '--model', 'elu.json', '--format', 'tfjs', '--out', 'elu-tfjs'], dir);
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(/layer 1 \(dense 4→3\): TensorFlow\.js cannot express an elu with alpha 0\.5/);
    expect(e.stderr).toMatch(/ONNX or safetensors/);
    expect(e.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).not.toContain('elu-tfjs');
  });
});

describe('a TF.js model saved by TensorFlow.js itself', () => {
  const folder = join(dir, 'from-tfjs');
  let theirs: number[][] = [];
  beforeAll(async () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ inputShape: [INPUTS], units: 8, activation: 'relu' }));
    m.add(tf.layers.dense({ units: 6 }));
    m.add(tf.layers.leakyReLU({ alpha: 0.2 }));
    m.add(tf.layers.dropout({ rate: 0.25 }));
    m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
    const { modelJson, weights } = await savedByTfjs(m);
    mkdirSync(folder);
    writeFileSync(join(folder, 'model.json'), JSON.stringify(modelJson));
    writeFileSync(join(folder, 'group1-shard1of1.bin'), weights);
    const out = tf.tidy(() => (m.predict(tf.tensor2d(rows)) as tf.Tensor).arraySync() as number[][]);
    theirs = out;
    m.dispose();
  });

  it('neurite import reads it and predicts as TF.js does', async () => {
    const i = await runCli(['import', 'from-tfjs/model.json', '--out', 'imported.json'], dir);
    expect(i.code, i.stderr).toBe(0);
    expect(i.stdout).toMatch(/\(tfjs\): 5 → 8 relu → 6 leakyRelu → 3 softmax/);
    expectClose(theirs.flat(), await predicted('imported.json'), 'imported');
  });

  it('predict, evaluate and inspect take its model.json directly', async () => {
    expectClose(theirs.flat(), await predicted('from-tfjs/model.json'), '--model model.json');
    const argmax = (r: number[]): string => String(r.indexOf(Math.max(...r)));
    const labels = new Map(rows.map((r, i) => [r, argmax(theirs[i] ?? [])]));
    writeFileSync(
      join(dir, 'labelled.csv'),
      csv((r) => labels.get(r) ?? ''),
    );
    const e = await runCli(['evaluate', '--model', 'from-tfjs/model.json', '--data', 'labelled.csv'], dir);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/^accuracy: 100\.00%/m);
    const s = await runCli(['inspect', '--model', 'from-tfjs/model.json'], dir);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/dense 5→8\s+\(8\)\s+relu/);
  });

  it('a truncated or corrupt weights file is a one-line INVALID_MODEL failure, not a crash', async () => {
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    copyFileSync(join(folder, 'model.json'), join(broken, 'model.json'));
    copyFileSync(join(folder, 'group1-shard1of1.bin'), join(broken, 'group1-shard1of1.bin'));
    truncateSync(join(broken, 'group1-shard1of1.bin'), 37);
    for (const cmd of [
      ['predict', '--model', 'broken/model.json', '--data', 'rows.csv'],
      ['import', 'broken/model.json', '--out', 'x.json'],
    ]) {
      const r = await runCli(cmd, dir);
      expect(r.code, cmd.join(' ')).toBe(1);
      expect(r.stderr).toMatch(
        /broken\/model\.json: TF\.js model\.json: weight "\S+": shape \[\d+,\d+\] needs more bytes than the weight files hold/,
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    // A manifest that is not JSON arrays of numbers (a corrupt model.json)…
    const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as {
      weightsManifest: { paths: string[]; weights: { shape: unknown }[] }[];
    };
    json.weightsManifest[0]!.weights[0]!.shape = [5, 'x'];
    writeFileSync(join(broken, 'model.json'), JSON.stringify(json));
    const c = await runCli(['predict', '--model', 'broken/model.json', '--data', 'rows.csv'], dir);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/shape holds the string "x"/);
    // …and one naming a file outside its folder is refused before anything is read.
    json.weightsManifest[0]!.paths = ['../model.json'];
    writeFileSync(join(broken, 'model.json'), JSON.stringify(json));
    const o = await runCli(['predict', '--model', 'broken/model.json', '--data', 'rows.csv'], dir);
    expect(o.code).toBe(1);
    expect(o.stderr).toMatch(/names "\.\.\/model\.json", which is not a file beside model\.json/);
  });
});

describe('the standalone module of a CSV-trained model takes raw rows', () => {
  it('carries the numeric preprocessing: predictBatch on raw values (one a gap) matches neurite predict on the CSV', async () => {
    // Numeric columns only (height, weight; colour dropped), so the whole pipeline fits the module.
    const csv = numericCsv(90);
    const table = csv.trim().split('\n');
    writeFileSync(join(dir, 'table.csv'), csv);
    const t = await runCli(
      ['train', '--data', 'table.csv', '--target', 'kind', '--epochs', '10', '--out', 'table.json', '--no-report'],
      dir,
    );
    expect(t.code, t.stderr).toBe(0);
    const raw = table.slice(1, 13).map((l) => l.split(',').slice(0, 2));
    raw[3]![0] = ''; // a gap: the pipeline's fill
    writeFileSync(join(dir, 'raw.csv'), `height,weight\n${raw.map((r) => r.join(',')).join('\n')}\n`);
    const p = await runCli(['predict', '--model', 'table.json', '--data', 'raw.csv'], dir);
    expect(p.code, p.stderr).toBe(0);
    const empty = mkdtempSync(join(tmpdir(), 'neurite-standalone-'));
    const e = await runCli(
      ['export', '--model', 'table.json', '--format', 'js', '--out', join(empty, 'model.js')],
      dir,
    );
    expect(e.code, e.stderr).toBe(0);
    expect(e.stderr).toBe('');
    const mod = (await import(pathToFileURL(join(empty, 'model.js')).href)) as {
      columns: string[];
      predictBatch(rows: number[][]): number[][];
    };
    expect(mod.columns).toEqual(['height', 'weight']);
    expect(readFileSync(join(empty, 'model.js'), 'utf8')).toMatch(
      /^\/\/ inputs: height, weight; outputs: kind=big, kind=small /m,
    );
    const rowsIn = raw.map((r) => r.map((c) => (c === '' ? NaN : Number(c))));
    expectClose(mod.predictBatch(rowsIn).flat(), printed(p.stdout), 'standalone module on raw rows');
  });
});
