// Mutated, truncated and padded TF.js models: the reader answers every one with a NeuriteError
// (or, when the mutation happens to leave a valid model, a working network), never another
// exception, a hang or an allocation beyond the files' own sizes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NeuralNetwork, NeuriteError } from '../../src/index.js';
import { fromTfjs, toTfjs } from '../../src/io/index.js';

const net = new NeuralNetwork({
  layers: [
    3,
    { units: 4, activation: 'leakyRelu', alpha: 0.2 },
    { units: 3, activation: 'tanh' },
    { units: 2, activation: 'softmax' },
  ],
  seed: 2,
});
const { modelJson, weightData } = toTfjs(net);
const text = JSON.stringify(modelJson);

/** Every (container, key) pair in a JSON tree, so a mutation can reach any node. */
function slots(root: unknown): [Record<string, unknown> | unknown[], string | number][] {
  const out: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach((v, i) => (out.push([x, i]), walk(v)));
    else if (typeof x === 'object' && x !== null) {
      for (const [k, v] of Object.entries(x)) {
        out.push([x as Record<string, unknown>, k]);
        walk(v);
      }
    }
  };
  walk(root);
  return out;
}

/** Loads and, when that succeeds, predicts; anything thrown must be a NeuriteError. */
function outcome(json: unknown, weights: Uint8Array): string {
  try {
    const back = fromTfjs(json, weights);
    back.predict(new Array<number>(back.inputSize).fill(0.5));
    return 'ok';
  } catch (e) {
    if (!(e instanceof NeuriteError)) throw e;
    return e.code;
  }
}

const replacement = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(2 ** 31, 2 ** 53, -1, 0, 1e308, 'Conv2D', 'InputLayer', 'gelu_new', 'uint8', 'string', null, [], {}),
);

describe('TF.js reader fuzz', () => {
  it('any node of model.json replaced or deleted: a NeuriteError or a working network', () => {
    const n = slots(JSON.parse(text)).length;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: n - 1 }), fc.boolean(), replacement, (at, remove, value) => {
        const json = JSON.parse(text) as unknown;
        const [parent, key] = slots(json)[at] as [Record<string, unknown> | unknown[], string];
        if (remove && Array.isArray(parent)) parent.splice(Number(key), 1);
        else if (remove) Reflect.deleteProperty(parent, key);
        else (parent as Record<string, unknown>)[key] = value;
        expect(['ok', 'INVALID_MODEL', 'UNSUPPORTED']).toContain(outcome(json, weightData));
      }),
      { numRuns: 600, seed: 11 },
    );
  });

  it('model.json cut anywhere is INVALID_MODEL', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 1 }), (cut) => {
        expect(outcome(text.slice(0, cut), weightData)).toBe('INVALID_MODEL');
      }),
      { numRuns: 200, seed: 12 },
    );
  });

  it('weights truncated or padded are INVALID_MODEL; flipped bytes never crash', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: weightData.length - 1 }), fc.integer({ min: 1, max: 64 }), (cut, extra) => {
        expect(outcome(text, weightData.slice(0, cut))).toBe('INVALID_MODEL');
        const padded = new Uint8Array(weightData.length + extra);
        padded.set(weightData);
        expect(outcome(text, padded)).toBe('INVALID_MODEL');
      }),
      { numRuns: 200, seed: 13 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: weightData.length - 1 }), fc.integer({ min: 0, max: 255 }), (at, byte) => {
        const w = weightData.slice();
        w[at] = byte;
        expect(['ok', 'INVALID_MODEL']).toContain(outcome(text, w));
      }),
      { numRuns: 300, seed: 14 },
    );
  });

  it('a manifest asking for more than the files hold fails before allocating', () => {
    const json = JSON.parse(text) as { weightsManifest: { weights: { shape: number[] }[] }[] };
    const spec = json.weightsManifest[0]?.weights[0];
    if (spec) spec.shape = [2 ** 30, 2 ** 30];
    expect(outcome(json, weightData)).toBe('INVALID_MODEL');
    expect(outcome(text, {} as unknown as Uint8Array)).toBe('INVALID_MODEL'); // the weights file named in model.json is missing
  });
});
