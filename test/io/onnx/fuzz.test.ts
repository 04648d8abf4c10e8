// Mutated and truncated ONNX files: every one is read or refused with a NeuriteError (INVALID_MODEL
// for a corrupt file, UNSUPPORTED for a well-formed graph neurite cannot express), never another
// exception, a hang or an allocation beyond the file's size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NeuralNetwork, NeuriteError } from '../../../src/index.js';
import { exportOnnx, importOnnx } from '../../../src/io/index.js';

const nets = [
  new NeuralNetwork({
    layers: [3, { units: 4, activation: 'elu', alpha: 0.5 }, { units: 2, activation: 'softmax' }],
    seed: 1,
  }),
  new NeuralNetwork({ layers: [2, { units: 3, activation: 'gelu' }, 1], seed: 2 }),
];
const files = [...nets.map((n) => exportOnnx(n)), exportOnnx(nets[1]!, { opset: 13 })];

function outcome(bytes: Uint8Array): string {
  try {
    importOnnx(bytes);
    return 'read';
  } catch (e) {
    if (!(e instanceof NeuriteError)) throw e;
    expect(['INVALID_MODEL', 'UNSUPPORTED']).toContain(e.code);
    return e.code;
  }
}

describe('importOnnx on damaged files', () => {
  it('every truncation is refused, or (cut between trailing metadata entries) predicts as the whole file', () => {
    files.forEach((file, f) => {
      const net = nets[Math.min(f, 1)]!;
      let read = 0;
      for (let n = 0; n < file.length; n++) {
        const cut = file.subarray(0, n);
        if (outcome(cut) !== 'read') continue;
        read++;
        expect(Array.from(importOnnx(cut).predict(new Array<number>(net.inputSize).fill(0.5)))).toEqual(
          Array.from(net.predict(new Array<number>(net.inputSize).fill(0.5))),
        );
      }
      expect(read).toBeLessThan(5);
    });
  });

  it('random byte changes, insertions and deletions never escape as anything but a NeuriteError', () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), value: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.nat({ max: files.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 8 }), (which, edits) => {
        const bytes = Array.from(files[which]!);
        for (const e of edits) {
          const at = e.at % (bytes.length + 1);
          if (e.kind === 'set') bytes[at % bytes.length] = e.value;
          else if (e.kind === 'insert') bytes.splice(at, 0, e.value);
          else bytes.splice(at, 1);
        }
        outcome(Uint8Array.from(bytes));
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('lengths claiming more bytes than the file holds are refused before anything is allocated', () => {
    // Field 7 (graph), length-delimited, claiming 2^31 bytes in a 10-byte file.
    const huge = Uint8Array.of(0x3a, 0x80, 0x80, 0x80, 0x80, 0x08, 0, 0, 0, 0);
    expect(outcome(huge)).toBe('INVALID_MODEL');
    expect(outcome(new Uint8Array(0))).toBe('INVALID_MODEL');
    expect(outcome(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toBe(
      'INVALID_MODEL',
    );
  });
});
