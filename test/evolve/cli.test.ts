import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import { runEvolve } from '../../src/cli/commands/evolve.js';

describe('neurite evolve', () => {
  it('solves XOR, writes the model and an HTML report with the fitness and species charts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-evolve-'));
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s), isTty: false };
    const summary = await runEvolve(
      { task: 'xor', seed: 1, json: true, out: join(dir, 'best.json'), report: join(dir, 'evolve.html') },
      io,
    );
    expect(summary['solved']).toBe(true);
    expect(JSON.parse(out.join(''))).toMatchObject({ task: 'xor', solved: true });
    const net = NeuralNetwork.fromJSON(JSON.parse(readFileSync(join(dir, 'best.json'), 'utf8')));
    expect(net.predict([1, 0])[0]).toBeGreaterThan(0.5);
    const html = readFileSync(join(dir, 'evolve.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('Species over generations');
  });

  it('prints one line per generation without --json', async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (s: string) => void err.push(s), isTty: false };
    await runEvolve({ task: 'cartpole', seed: 3, population: 30, generations: 5 }, io);
    expect(err.join('')).toMatch(/^generation 0: best/m);
  });
});
