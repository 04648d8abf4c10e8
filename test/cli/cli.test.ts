import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import {
  applyStandardize,
  readCsvTable,
  readPipeline,
  transformRecords,
  type StandardizeStats,
} from '../../src/data/index.js';
import { requireBuilt, runCli, smallCsv, tempDir } from './helpers.js';

beforeAll(requireBuilt);

interface Pre {
  standardize: StandardizeStats | null;
  classes?: string[];
  featureNames: string[];
}

function loadModel(path: string): { net: NeuralNetwork; pre: Pre } {
  const net = NeuralNetwork.fromJSON(JSON.parse(readFileSync(path, 'utf8')), { backend: 'js' });
  return { net, pre: net.metadata['preprocessing'] as Pre };
}

/** Parses `label,p_…` CSV from predict. */
function parsePredictions(stdout: string): { header: string[]; labels: string[]; probs: number[][] } {
  const [head, ...rows] = stdout.trim().split('\n');
  return {
    header: (head ?? '').split(','),
    labels: rows.map((r) => r.split(',')[0] ?? ''),
    probs: rows.map((r) => r.split(',').slice(1).map(Number)),
  };
}

describe('neurite train / predict / evaluate / inspect on a CSV file', () => {
  const dir = tempDir();
  const csv = join(dir, 'people.csv');
  writeFileSync(csv, smallCsv());
  let summary: Record<string, unknown>;

  it('trains, printing only JSON with --json, and writes the model and report', async () => {
    const r = await runCli(['train', '--data', 'people.csv', '--target', 'kind', '--epochs', '40', '--json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary['task']).toBe('classification');
    // The whole file trains: validation rows choose the epoch count (at most --epochs), then fold back in.
    expect(summary['scoredOn']).toBe('train');
    expect(summary['epochs']).toBeLessThanOrEqual(40);
    const validation = summary['validation'] as { score: number; baseline: number; metric: string };
    expect(validation.metric).toBe('accuracy');
    expect(validation.score).toBeGreaterThan(validation.baseline);
    expect(summary['trainAccuracy']).toBeGreaterThan(0.7);
    expect(existsSync(join(dir, 'model.json'))).toBe(true);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<svg');
    // Atomic writes leave no temporary files behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const { net, pre } = loadModel(join(dir, 'model.json'));
    expect(pre.classes).toEqual(['big', 'small']);
    expect(pre.featureNames).toEqual(['height', 'weight', 'colour=blue', 'colour=green', 'colour=red']);
    // The pipeline scales the inputs itself; the model file carries it beside the preprocessing record.
    expect(pre.standardize).toBeNull();
    expect(readPipeline(net.metadata['pipeline']).featureNames).toEqual(pre.featureNames);
    const training = net.metadata['training'] as Record<string, unknown>;
    expect(typeof training['date']).toBe('string');
    // The version the package says it is, so a stale or hard-coded version in the CLI fails.
    const pkg = JSON.parse(readFileSync(new URL('../../packages/neurite/package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(training['neuriteVersion']).toBe(pkg.version);
  });

  it('predicts exactly what the model computes in-process', async () => {
    // In-process below runs on the JS backend; so does the CLI here (WASM sums in another order).
    const r = await runCli(['predict', '--model', 'model.json', '--data', 'people.csv', '--backend', 'js'], dir);
    expect(r.code).toBe(0);
    const got = parsePredictions(r.stdout);
    expect(got.header).toEqual(['label', 'p_big', 'p_small']);
    const { net } = loadModel(join(dir, 'model.json'));
    const pipeline = readPipeline(net.metadata['pipeline']);
    const out = net.predictBatch(transformRecords(pipeline, readCsvTable(readFileSync(csv, 'utf8')).records).x);
    expect(got.probs).toHaveLength(out.rows);
    got.probs.forEach((row, i) => {
      expect(row).toEqual(Array.from(out.data.subarray(i * 2, i * 2 + 2)));
      expect(got.labels[i]).toBe(row[0]! >= row[1]! ? 'big' : 'small');
    });
  });

  it('predicts one --input row given as raw column values (categories by name)', async () => {
    const r = await runCli(['predict', '--input', '185,95,red'], dir);
    expect(r.code).toBe(0);
    expect(parsePredictions(r.stdout).labels).toEqual(['big']);
  });

  it('evaluates: loss, accuracy, per-class scores and the confusion matrix', async () => {
    const text = await runCli(['evaluate', '--data', 'people.csv'], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/accuracy: \d+\.\d\d%/);
    expect(text.stdout).toContain('confusion matrix');
    const r = await runCli(['evaluate', '--model', 'model.json', '--data', 'people.csv', '--json'], dir);
    const e = JSON.parse(r.stdout) as {
      rows: number;
      accuracy: number;
      confusionMatrix: number[][];
      perClass: unknown[];
    };
    expect(e.rows).toBe(80);
    expect(e.confusionMatrix.flat().reduce((s, v) => s + v, 0)).toBe(80);
    expect(e.perClass).toHaveLength(2);
    expect(e.accuracy).toBeGreaterThan(0.7);
  });

  it('inspects the architecture and one neuron', async () => {
    const summary = await runCli(['inspect'], dir);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain('total parameters');
    const r = await runCli(['inspect', '--layer', '0', '--neuron', '1', '--json'], dir);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as { inputNames: string[]; neurons: { weights: number[]; bias: number }[] };
    const { net } = loadModel(join(dir, 'model.json'));
    expect(got.neurons[0]).toEqual({ neuron: 1, ...net.getNeuron(0, 1) });
    expect(got.inputNames[0]).toBe('height');
    const text = await runCli(['inspect', '--layer', '0', '--neuron', '1'], dir);
    expect(text.stdout).toContain('neuron 1: bias');
  });

  it('trains a regression target and predicts in the original units', async () => {
    const rows = ['a,b,y'];
    for (let i = 0; i < 60; i++)
      rows.push(`${String(i % 7)},${String(i % 5)},${String(1000 + 50 * (i % 7) - 30 * (i % 5))}`);
    writeFileSync(join(dir, 'reg.csv'), `${rows.join('\n')}\n`);
    const r = await runCli(
      [
        'train',
        '--data',
        'reg.csv',
        '--target',
        'y',
        '--task',
        'regression',
        '--epochs',
        '200',
        '--out',
        'reg.json',
        '--no-report',
        '--json',
      ],
      dir,
    );
    expect(r.code).toBe(0);
    const p = await runCli(['predict', '--model', 'reg.json', '--input', '3,2'], dir);
    const [head, value] = p.stdout.trim().split('\n');
    expect(head).toBe('y');
    expect(Math.abs(Number(value) - (1000 + 150 - 60))).toBeLessThan(60);
  });
});

describe('neurite train --dataset xor', () => {
  const dir = tempDir();

  it('learns XOR, and predict/evaluate use the saved model', async () => {
    const r = await runCli(['train', '--dataset', 'xor', '--plot', 'loss.svg'], dir);
    expect(r.code).toBe(0);
    // Not a terminal: one line per epoch (thinned to ~50), then the result.
    expect(r.stdout).toMatch(/^epoch 1\/500 {2}loss /);
    expect(r.stdout).toContain('accuracy 100.00%');
    expect(readFileSync(join(dir, 'loss.svg'), 'utf8')).toMatch(/^<svg/);
    const p = await runCli(['predict', '--dataset', 'xor'], dir, { NEURITE_BACKEND: 'js' });
    expect(parsePredictions(p.stdout).labels).toEqual(['0', '1', '1', '0']);
    const { net } = loadModel(join(dir, 'model.json'));
    const inProcess = net.predictBatch(
      applyStandardize(
        { rows: 4, cols: 2, data: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]) },
        (net.metadata['preprocessing'] as Pre).standardize as StandardizeStats,
      ),
    );
    parsePredictions(p.stdout).probs.forEach((row, i) => expect(row[1]).toBe(inProcess.data[i]));
    const e = await runCli(['evaluate', '--dataset', 'xor', '--json'], dir);
    expect((JSON.parse(e.stdout) as { accuracy: number }).accuracy).toBe(1);
  });
});

describe('neurite evaluate --dataset on the dataset the model was trained on', () => {
  it('scores the held-out test rows of the training split, and says so', async () => {
    const dir = tempDir();
    const args = ['--dataset', 'circles', '--seed', '4', '--test-split', '0.25', '--epochs', '4', '--layers', '8'];
    const t = await runCli(['train', ...args, '--no-report', '--json'], dir);
    expect(t.code).toBe(0);
    const trained = JSON.parse(t.stdout) as { testLoss: number; testAccuracy: number; trainRows: number };
    const pre = loadModel(join(dir, 'model.json')).net.metadata['preprocessing'] as { split?: unknown };
    expect(pre.split).toEqual({ testFraction: 0.25, seed: 4, stratify: true });
    const e = await runCli(['evaluate', '--dataset', 'circles', '--json'], dir);
    expect(e.code).toBe(0);
    const out = JSON.parse(e.stdout) as { rows: number; datasetRows: string; loss: number; accuracy: number };
    // circles has 200 points: a quarter of them were held out, and the scores are train's test scores.
    expect(out.datasetRows).toBe('held-out');
    expect(out.rows).toBe(50);
    expect(out.loss).toBeCloseTo(trained.testLoss, 6);
    expect(out.accuracy).toBe(trained.testAccuracy);
    const text = await runCli(['evaluate'], dir);
    expect(text.stdout).toMatch(
      /^data: circles, the held-out test rows training did not use \(test split 0\.25, seed 4/,
    );
    expect(text.stdout).toContain('rows: 50');
    // Another dataset has no held-out rows for this model: every row, and the output says why.
    const other = await runCli(['evaluate', '--dataset', 'moons'], dir);
    expect(other.stdout).toMatch(/^data: moons, every row \(not the dataset the model was trained on\)/);
  });
});

describe('neurite compare', () => {
  it('writes one chart with one curve per variant, and a table', async () => {
    const dir = tempDir();
    const r = await runCli(
      [
        'compare',
        '--dataset',
        'moons',
        '--activations',
        'sigmoid,relu,tanh',
        '--epochs',
        '8',
        '--runs',
        '2',
        '--chart',
        'c.svg',
        '--report',
        'c.html',
      ],
      dir,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/variant\s+final loss/);
    const svg = readFileSync(join(dir, 'c.svg'), 'utf8');
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(3);
    for (const name of ['sigmoid', 'relu', 'tanh']) expect(svg).toContain(`>${name}</text>`);
    // Without --val-split the curves are training loss, and the title says so; none is dashed.
    expect(svg).toContain('>Training loss on moons');
    expect(svg).not.toContain('stroke-dasharray');
    expect(readFileSync(join(dir, 'c.html'), 'utf8')).toContain('<table class="grid">');
    const j = await runCli(
      [
        'compare',
        '--dataset',
        'moons',
        '--activations',
        'sigmoid,relu',
        '--optimizers',
        'sgd,adam',
        '--epochs',
        '3',
        '--json',
      ],
      dir,
    );
    const out = JSON.parse(j.stdout) as { variants: { name: string; loss: number[] }[] };
    expect(out.variants.map((v) => v.name)).toEqual(['sigmoid + sgd', 'relu + sgd', 'sigmoid + adam', 'relu + adam']);
    expect(out.variants[0]?.loss).toHaveLength(3);
    expect(out.variants[0]).not.toHaveProperty('valLoss');
  });

  it("with --val-split, adds each variant's validation curve, dashed, in its colour", async () => {
    const dir = tempDir();
    const r = await runCli(
      [
        'compare',
        '--dataset',
        'moons',
        '--activations',
        'sigmoid,relu',
        '--epochs',
        '5',
        '--val-split',
        '0.2',
        '--json',
      ],
      dir,
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { valSplit: number; variants: { loss: number[]; valLoss?: number[] }[] };
    expect(out.valSplit).toBe(0.2);
    for (const v of out.variants) {
      expect(v.valLoss).toHaveLength(5);
      expect(v.valLoss?.every(Number.isFinite)).toBe(true);
    }
    const svg = readFileSync(join(dir, 'compare.svg'), 'utf8');
    expect(svg).toContain('>Training (solid) and validation (dashed) loss on moons');
    // Two variants × (training, validation): four lines, the validation ones dashed.
    const lines = [
      ...svg.matchAll(/<path aria-label="[^"]*" role="graphics-symbol" aria-roledescription="line mark"[^>]*>/g),
    ].map((m) => m[0]);
    expect(lines).toHaveLength(4);
    const dashed = lines.filter((l) => /stroke-dasharray="6,4"/.test(l));
    expect(dashed).toHaveLength(2);
    // Each variant's two curves share one colour.
    const colour = (l: string): string => /stroke="(#[0-9a-f]+)"/.exec(l)?.[1] ?? '';
    expect(new Set(lines.map(colour)).size).toBe(2);
    expect(new Set(dashed.map(colour)).size).toBe(2);
  });
});

describe('neurite train with no dataset (MNIST), reduced budget', () => {
  it('trains on a slice of the digits and writes a report with misclassified digits', async () => {
    const dir = tempDir();
    const r = await runCli(['train', '--limit', '600', '--epochs', '1', '--augment', '1', '--json'], dir);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(s['dataset']).toBe('mnist');
    expect(s['architecture']).toEqual([784, 256, 128, 10]);
    expect(s['testAccuracy']).toBeGreaterThan(0.5);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('id="misclassified"');
    expect(html).toContain('data:image/png;base64,');
  });

  it('stops on Ctrl-C after the current batch and still writes the model and report', async () => {
    const dir = tempDir();
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('./helpers.js');
    const child = spawn(
      process.execPath,
      [CLI, 'train', '--limit', '2000', '--epochs', '500', '--augment', '0', '--layers', '64'],
      { cwd: dir },
    );
    let stdout = '';
    let sent = false;
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (!sent && stdout.includes('epoch 1/')) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      child.on('close', (c) => resolve(c));
    });
    expect(code).toBe(130);
    expect(stdout).toContain('stopped after');
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
      metadata: { training: { stopReason: string } };
    };
    expect(model.metadata.training.stopReason).toBe('aborted');
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });
});

describe('errors', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'people.csv'), smallCsv(30));

  const expectOneLine = (stderr: string): void => {
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^neurite: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  };

  it('missing CSV file: exit 1, one line, no output files', async () => {
    const r = await runCli(['train', '--data', 'nope.csv', '--target', 'kind'], dir);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain('nope.csv');
    expect(existsSync(join(dir, 'model.json'))).toBe(false);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });

  it('unknown target column: exit 2 and the available columns listed', async () => {
    const r = await runCli(['train', '--data', 'people.csv', '--target', 'knd'], dir);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain('available columns: height, weight, colour, kind');
  });

  it('bad option values and unknown options: exit 2', async () => {
    for (const args of [
      ['train', '--epochs', 'ten'],
      ['train', '--lr', '-1'],
      ['train', '--activation', 'relux'],
      ['train', '--bogus'],
      ['frobnicate'],
    ]) {
      const r = await runCli(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expectOneLine(r.stderr);
    }
  });

  it('corrupt or foreign model files: exit 1 naming the problem', async () => {
    writeFileSync(join(dir, 'broken.json'), '{"format": "neurite-model", "vers');
    let r = await runCli(['predict', '--model', 'broken.json', '--input', '1,2,red'], dir);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain('not valid JSON');
    writeFileSync(join(dir, 'v9.json'), JSON.stringify({ format: 'neurite-model', version: 9 }));
    r = await runCli(['inspect', '--model', 'v9.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('version 9 is not supported');
    r = await runCli(['evaluate', '--model', 'missing.json', '--dataset', 'xor'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no such file');
  });

  it('shows a stack trace only with --verbose', async () => {
    const r = await runCli(['inspect', '--model', 'missing.json', '--verbose'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it('--threads and --backend are accepted; an unknown backend is a usage error', async () => {
    const ok = await runCli(
      ['train', '--dataset', 'iris', '--epochs', '3', '--threads', '2', '--no-report', '--json'],
      dir,
    );
    expect(ok.code).toBe(0);
    const bad = await runCli(['train', '--dataset', 'iris', '--backend', 'gpu'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown backend "gpu"');
  });

  it('--help works on every command', async () => {
    const commands = ['train', 'evaluate', 'predict', 'inspect', 'compare', 'evolve', 'bench'];
    const root = await runCli(['--help'], dir);
    expect(root.code).toBe(0);
    // The root help lists every command, evolve included.
    for (const c of commands) expect(root.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    for (const c of commands) {
      const r = await runCli([c, '--help'], dir);
      expect(r.code, c).toBe(0);
      expect(r.stdout).toContain(`Usage: neurite ${c}`);
    }
  });
});
