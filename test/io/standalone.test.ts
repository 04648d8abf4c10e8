// The standalone module, written into an empty folder and imported from there (so nothing of
// neurite is reachable from it), predicts what the network predicts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, NeuralNetwork, Rng, type ActivationName } from '../../src/index.js';
import { toStandaloneJs } from '../../src/io/index.js';
import { STANDALONE_SOURCES } from '../../src/io/standalone.js';
import { firstMismatch, randomRows } from '../helpers/random.js';

const dir = mkdtempSync(join(tmpdir(), 'neurite-standalone-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Standalone {
  predict(input: number[]): number[];
  predictBatch(rows: number[][]): number[][];
  inputSize: number;
  outputSize: number;
  default: (input: number[]) => number[];
}

async function load(source: string, name: string): Promise<Standalone> {
  const folder = mkdtempSync(join(dir, `${name}-`));
  const file = join(folder, 'model.mjs');
  writeFileSync(file, source);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Standalone;
}

function randomNet(act: ActivationName, seed: number): NeuralNetwork {
  const rng = new Rng(seed);
  const alpha = act === 'leakyRelu' || act === 'elu' ? rng.uniform(0.05, 1.5) : undefined;
  const hidden = act === 'softmax' ? 'sigmoid' : act;
  const layer = (units: number, a: ActivationName) => ({
    units,
    activation: a,
    ...(alpha !== undefined ? { alpha } : {}),
  });
  return new NeuralNetwork({
    layers: [6, layer(9, hidden), { units: 5, activation: 'tanh' as const }, layer(4, act)],
    seed,
  });
}

describe('toStandaloneJs', () => {
  // Activations without a row are refused (test/io/activation-forms.test.ts); softmax is the row loop's own.
  const written = ACTIVATION_NAMES.filter((a) => a === 'softmax' || a in STANDALONE_SOURCES);
  it.each(written.map((a, i) => [a, i + 1] as const))(
    '%s: the module imported from an empty folder predicts as neurite',
    async (act, seed) => {
      const net = randomNet(act, seed);
      const mod = await load(toStandaloneJs(net), act);
      const x = randomRows(new Rng(50 + seed), 20, 6, -4, 4);
      const ours = net.predictBatch(x);
      const theirs = mod.predictBatch(x);
      expect([mod.inputSize, mod.outputSize, theirs.length]).toEqual([6, 4, 20]);
      const bad = firstMismatch(theirs.flat(), ours.data, 1e-5, 1e-5);
      expect(bad, JSON.stringify(bad)).toBeUndefined();
      expect(mod.default(x[0] ?? [])).toEqual(mod.predict(x[0] ?? []));
      expect(() => mod.predict([1, 2])).toThrow(/expected 6 input values, got 2/);
    },
  );

  it('has no import or require, and grows with the weights (base64), not with code per weight', () => {
    const net = new NeuralNetwork({
      layers: [50, 64, 64, 10],
      activation: 'relu',
      outputActivation: 'softmax',
      seed: 1,
    });
    const source = toStandaloneJs(net, { description: 'digits\nclassifier' });
    expect(source).not.toMatch(/\bimport\b|\brequire\s*\(/);
    expect(source).toContain('// digits classifier');
    // 5⅓ base64 characters per float32, plus a fixed ~2 kB of code.
    expect(source.length).toBeLessThan((16 / 3) * net.parameterCount + 2500);
  });
});
