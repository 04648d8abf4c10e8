// The population forward kernel on every backend against its reference run in float64: networks
// whose every activation the wasm build runs natively (so its version is the one checked there),
// row counts around the four-row vector width, several genomes per call.
import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../../src/backend/js/index.js';
import { jsBackend } from '../../src/backend/js/index.js';
import {
  POPULATION_TABLE_STRIDE,
  populationAffine,
  populationForward,
  populationScratch,
  type PopulationAffineAttrs,
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
  const scratch = populationScratch(count, rows, net.inputs, widest, net.layers.length);
  const attrs: PopulationAttrs = { rows, layers: net.layers.length, genomeLength: offset, widest, acts };
  b.run(populationForward, count, [x, genomes, out, table, b.alloc(scratch.a), b.alloc(scratch.b)], attrs);
  return out;
}

describe('the population kernels on the wasm build', () => {
  it('are native there (so the checks below test the native versions)', () => {
    expect(NATIVE_ELEMENTWISE['populationForward']).toBeDefined();
    expect(NATIVE_ELEMENTWISE['populationAffine']).toBeDefined();
  });
});

/**
 * One populationAffine call on `b` (arrays from its alloc, so a native version runs): n genomes of
 * a layer of `units` neurons over `k` inputs, the bias block after the weights plus `pad` floats.
 */
function affine(b: Backend, n: number, rows: number, k: number, units: number, shared: boolean, seed: number) {
  const pad = 3;
  const genomeLength = 2 + units * k + units + pad;
  const attrs: PopulationAffineAttrs = {
    rows,
    genomeLength,
    k,
    units,
    weightOffset: 2,
    biasOffset: 2 + units * k,
    srcStride: shared ? 0 : rows * k,
  };
  const src = b.alloc((shared ? 1 : n) * rows * k);
  const genomes = b.alloc(n * genomeLength);
  fillRandom(src, seed, -3, 3);
  fillRandom(genomes, seed + 1, -2, 2);
  // Rows 0 and 1 of genome 0 (one pair of a two-row kernel) are all ones; its first neuron has
  // weights -0 and bias -0, so every product is -0: the reference's partial sums start at +0
  // (0 + -0 = +0), so its output is +0, and a native version must not start them at the first
  // product (that would give -0).
  src.fill(1, 0, Math.min(src.length, 2 * k));
  for (let p = 0; p < k; p++) genomes[attrs.weightOffset + p] = -0;
  genomes[attrs.biasOffset] = -0;
  // Its last neuron cancels 2^60 against -2^60: only the reference's order of the partial sums,
  // (s0 + s1) + (s2 + s3), keeps the small terms (float64 rounding alone rarely shows in float32).
  if (units > 1) {
    const w = attrs.weightOffset + (units - 1) * k;
    for (let p = 0; p < k; p++) genomes[w + p] = [2 ** 60, -(2 ** 60), 1, 0.25][p % 4] as number;
  }
  const dst = b.alloc(n * rows * units);
  b.run(populationAffine, n, [src, genomes, dst], attrs);
  return dst;
}

describe.each(BACKENDS)('populationAffine on $label', ({ backend }) => {
  it("is bit-identical to the reference (every 'exact' population output depends on it)", () => {
    let cases = 0;
    for (const k of [1, 3, 4, 5, 8, 9]) {
      for (const units of [1, 2, 5]) {
        for (const [rows, n] of [
          [1, 1],
          [3, 2],
          [7, 3],
        ] as const) {
          for (const shared of [true, false]) {
            const seed = 17 * k + 5 * units + rows + (shared ? 1 : 0);
            const got = affine(backend, n, rows, k, units, shared, seed);
            const want = affine(jsBackend, n, rows, k, units, shared, seed);
            expect(got, `k=${k} units=${units} rows=${rows} n=${n} shared=${String(shared)}`).toEqual(want);
            cases++;
          }
        }
      }
    }
    expect(cases).toBe(108);
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
