// Issue 14's command-line papercuts, each with the behaviour a new user expects.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import { requireBuilt, runCli, tempDir } from './helpers.js';

beforeAll(requireBuilt);

describe('first contact with the CLI', () => {
  const dir = tempDir();
  // A network made and saved by the library alone: no preprocessing record, as evolve --out writes too.
  const net = new NeuralNetwork({
    layers: [2, 4, 2],
    outputActivation: 'softmax',
    loss: 'categoricalCrossEntropy',
    seed: 1,
  });
  writeFileSync(join(dir, 'net.json'), JSON.stringify(net.toJSON()));
  const rows = [
    [0.1, 0.9, 1],
    [0.8, 0.2, 0],
    [0.5, 0.5, 1],
  ];
  writeFileSync(join(dir, 'rows.csv'), `x1,x2,label\n${rows.map((r) => r.join(',')).join('\n')}\n`);

  it('inspect, predict and evaluate read a network saved by the library (net.toJSON())', async () => {
    const i = await runCli(['inspect', '--model', 'net.json'], dir);
    expect(i.code, i.stderr).toBe(0);
    expect(i.stdout).toContain('saved without preprocessing');
    const p = await runCli(['predict', '--model', 'net.json', '--input', '0.1,0.9', '--backend', 'js'], dir);
    expect(p.code, p.stderr).toBe(0);
    const expected = net.predict([0.1, 0.9]);
    const [label, ...probs] = p.stdout.trim().split('\n')[1]!.split(',');
    expect(label).toBe(expected[0]! > expected[1]! ? '0' : '1');
    expect(probs.map(Number)).toEqual(Array.from(expected));
    const e = await runCli(['evaluate', '--model', 'net.json', '--data', 'rows.csv', '--json', '--backend', 'js'], dir);
    expect(e.code, e.stderr).toBe(0);
    const labels = rows.map((r) => {
      const out = net.predict([r[0]!, r[1]!]);
      return out[0]! > out[1]! ? 0 : 1;
    });
    const accuracy = labels.filter((l, k) => l === rows[k]![2]).length / rows.length;
    expect((JSON.parse(e.stdout) as { accuracy: number }).accuracy).toBeCloseTo(accuracy, 12);
  });

  it('evaluate without rows names only the options it has (no --input)', async () => {
    const e = await runCli(['evaluate', '--model', 'net.json'], dir);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('--data FILE.csv or --dataset NAME');
    expect(e.stderr).not.toContain('--input');
  });

  it('inspect prints its facts left-aligned: every value starts in the same column', async () => {
    const t = await runCli(['train', '--dataset', 'xor', '--epochs', '3', '--no-report', '--out', 'xor.json'], dir);
    expect(t.code, t.stderr).toBe(0);
    const i = await runCli(['inspect', '--model', 'xor.json'], dir);
    const facts = i.stdout.split('\n\n')[1]!.trim().split('\n');
    const starts = new Set(facts.map((l) => /^\S.*?\s{2,}(?=\S)/.exec(l)?.[0].length));
    expect(facts.length).toBeGreaterThan(4);
    expect([...starts]).toHaveLength(1);
  });

  it('--schedule offers the library schedules with their parameters', async () => {
    const t = await runCli(
      [
        'train',
        '--dataset',
        'xor',
        '--epochs',
        '4',
        '--schedule',
        'step:stepSize=2,gamma=0.5',
        '--no-report',
        '--out',
        's.json',
      ],
      dir,
    );
    expect(t.code, t.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as {
      metadata: { training: { history: { learningRate: number[] } } };
    };
    const lr = saved.metadata.training.history.learningRate;
    expect(lr[2]! / lr[0]!).toBeCloseTo(0.5, 6);
    for (const [spec, message] of [
      ['bogus', /step, exponential, cosine, reduceOnPlateau/],
      ['step', /stepSize/],
      ['cosine:minLearningRate=x', /key=number/],
      ['exponential:decayRate=0.9,speed=2', /speed/],
    ] as const) {
      const r = await runCli(['train', '--dataset', 'xor', '--schedule', spec, '--no-report'], dir);
      expect(r.code, spec).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const help = await runCli(['train', '--help'], dir);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/reduceOnPlateau \(factor=0\.1/);
  });

  it('the epoch lines and the final line read the same clock: the last epoch is not later than done', async () => {
    const t = await runCli(['train', '--dataset', 'xor', '--epochs', '50', '--no-report', '--out', 'c.json'], dir);
    expect(t.code, t.stderr).toBe(0);
    const epochs = [...t.stdout.matchAll(/^epoch \d+\/50 .* (\d+\.\d)s$/gm)].map((m) => Number(m[1]));
    const done = Number(/^done after 50 epochs in (\d+\.\d)s/m.exec(t.stdout)?.[1]);
    expect(epochs.length).toBeGreaterThan(0);
    expect(Math.max(...epochs)).toBeLessThanOrEqual(done);
  });
});
