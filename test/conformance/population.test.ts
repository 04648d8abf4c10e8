// The population forward kernel on every backend against its reference run in float64: networks
// whose every activation the wasm build runs natively (so its version is the one checked there),
// row counts around the four-row vector width, several genomes per call.
import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../../src/backend/js/index.js';
import {
  POPULATION_TABLE_STRIDE,
  populationForward,
  populationScratch,
  type PopulationAttrs,
} from '../../src/backend/js/population.js';
import { ActId, type Backend } from '../../src/backend/types.js';
import { NATIVE_ELEMENTWISE } from '../../src/backend/wasm/native-kernels.js';
import type { FloatArray } from '../../src/core/matrix.js';
import { BACKENDS, fillRandom } from './backends.js';

const ref = createJsBackend({ precision: 'float64' });

interface Net {
  inputs: number;
  layers: [units: number, act: number][];
}

const NETS: Net[] = [
  {
    inputs: 4,
    layers: [
      [8, ActId.fastTanh],
      [2, ActId.fastTanh],
    ],
  },
  {
    inputs: 3,
    layers: [
      [7, ActId.fastSigmoid],
      [5, ActId.relu],
      [3, ActId.linear],
    ],
  },
  { inputs: 9, layers: [[1, ActId.relu]] },
  // Not all native on wasm (exact tanh, softmax): the backend must fall back to the reference.
  {
    inputs: 5,
    layers: [
      [6, ActId.tanh],
      [4, ActId.softmax],
    ],
  },
];

/** Runs the kernel on `b` over `count` random genomes of `net`; returns the outputs. */
function forward(b: Backend, net: Net, rows: number, count: number): FloatArray {
  let offset = 0;
  const table = b.alloc(net.layers.length * POPULATION_TABLE_STRIDE);
  let k = net.inputs;
  let acts = 0;
  net.layers.forEach(([units, act], i) => {
    table.set([k, units, offset, offset + units * k, act, 0], i * POPULATION_TABLE_STRIDE);
    offset += units * k + units;
    k = units;
    acts |= 1 << act;
  });
  const widest = Math.max(...net.layers.map(([u]) => u));
  const x = b.alloc(rows * net.inputs);
  const genomes = b.alloc(count * offset);
  const out = b.alloc(count * rows * k);
  fillRandom(x, rows + 3, -2, 2);
  fillRandom(genomes, offset + count, -1.5, 1.5);
  const scratch = populationScratch(count, rows, net.inputs, widest);
  const attrs: PopulationAttrs = { rows, layers: net.layers.length, genomeLength: offset, widest, acts };
  b.run(populationForward, count, [x, genomes, out, table, b.alloc(scratch), b.alloc(scratch)], attrs);
  return out;
}

describe('the population kernel on the wasm build', () => {
  it('is native there (so the checks below test the native version)', () => {
    expect(NATIVE_ELEMENTWISE['populationForward']).toBeDefined();
  });
});

describe.each(BACKENDS)('populationForward on $label', ({ backend }) => {
  it.each(NETS.map((n) => [JSON.stringify(n), n] as const))('%s matches float64', (_, net) => {
    for (const rows of [1, 3, 4, 5, 17, 67]) {
      for (const count of [1, 3, 10]) {
        const got = forward(backend, net, rows, count);
        const want = forward(ref, net, rows, count);
        expect(got.length).toBe(want.length);
        let bad = -1;
        for (let i = 0; i < want.length && bad < 0; i++)
          if (!(Math.abs(got[i]! - want[i]!) <= 1e-5 * (1 + Math.abs(want[i]!)))) bad = i;
        expect(bad, `rows=${rows} count=${count}: ${got[bad]} vs ${want[bad]}`).toBe(-1);
      }
    }
  });
});
