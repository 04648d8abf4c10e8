// The README's command-line examples of "Models that travel", run as written with the built CLI in
// an empty folder, in order: every command succeeds, and every `predict` on an exported file prints
// what the same `predict` on the neurite model file prints.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt, runCli, tempDir } from '../cli/helpers.js';
import { firstMismatch } from '../helpers/random.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The `neurite …` lines of the ```sh blocks in the README's "Models that travel" sections. */
function travelCommands(readme: string): string[][] {
  const sections = readme.split(/\n(?=### )/).filter((s) => s.startsWith('### Models that travel'));
  return sections
    .flatMap((s) => [...s.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? ''))
    .flatMap((block) => block.split('\n'))
    .map((line) => line.trim())
    .filter((line) => line.startsWith('neurite '))
    .map((line) => line.split(/\s+/).slice(1));
}

/** The cells `predict` printed: text (labels) as it is, numbers apart so they compare within float32 rounding. */
function cells(csv: string): { text: string[]; numbers: number[] } {
  const all = csv
    .trim()
    .split('\n')
    .flatMap((l) => l.split(','));
  const isNumber = (c: string): boolean => c.trim() !== '' && Number.isFinite(Number(c));
  return { text: all.filter((c) => !isNumber(c)), numbers: all.filter(isNumber).map(Number) };
}

beforeAll(requireBuilt);

describe("README's command-line examples of models that travel", () => {
  it('run as written, and predictions from every exported file match the model file', async () => {
    const commands = travelCommands(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    const formats = commands.filter((c) => c[0] === 'export').map((c) => c[c.indexOf('--format') + 1]);
    expect(new Set(formats)).toEqual(new Set(['onnx', 'tfjs', 'safetensors', 'js']));
    const dir = tempDir();
    for (const args of commands) {
      const r = await runCli(args, dir);
      expect(r.code, `neurite ${args.join(' ')}: ${r.stderr}`).toBe(0);
      const model = args.indexOf('--model') + 1;
      if (args[0] !== 'predict' || model === 0) continue;
      const original = await runCli(
        args.map((a, i) => (i === model ? 'iris.json' : a)),
        dir,
      );
      expect(original.code, original.stderr).toBe(0);
      const ours = cells(original.stdout);
      const theirs = cells(r.stdout);
      expect(ours.numbers.length).toBeGreaterThan(0);
      expect(theirs.text).toEqual(ours.text);
      const bad = firstMismatch(theirs.numbers, ours.numbers, 1e-6, 1e-6);
      expect(bad, `${args.join(' ')}: ${JSON.stringify(bad)}`).toBeUndefined();
    }
  });
});
