// fit takes a Matrix as given and checks its rows batch by batch in the first epoch (so a large
// dataset is not scanned once more before training). A NaN or Infinity must still end the call
// as if it had been found first: NON_FINITE naming the first one, and nothing of the call kept.
import { describe, expect, it } from 'vitest';
import { NeuralNetwork, Rng, type Matrix } from '../../src/index.js';
import { testBackend } from '../helpers/backends.js';
import { expectRejectCode } from '../helpers/errors.js';
import { randomRows } from '../helpers/random.js';

const ROWS = 600;

function data(seed: number): { x: Matrix; y: Matrix } {
  const rng = new Rng(seed);
  const rows = randomRows(rng, ROWS, 4, -2, 2);
  return {
    x: { rows: ROWS, cols: 4, data: Float32Array.from(rows.flat()) },
    y: { rows: ROWS, cols: 2, data: Float32Array.from(rows.flatMap((r) => [Math.tanh(r[0]! - r[1]!), r[2]! * 0.5])) },
  };
}

const makeNet = (): NeuralNetwork =>
  new NeuralNetwork({
    layers: [4, { units: 16, activation: 'relu' }, { units: 2, activation: 'linear' }],
    seed: 7,
    backend: testBackend(),
  });

const state = (net: NeuralNetwork): string => JSON.stringify(net.toJSON());

describe('fit checks a Matrix batch by batch, and a bad value still leaves nothing behind', () => {
  it('a NaN in a late input row: batches trained before it are undone (weights, optimizer, loss, generator)', async () => {
    const { x, y } = data(1);
    const net = makeNet();
    // A first fit, so there is optimizer state and a moved generator to put back.
    await net.fit(x, y, { epochs: 2, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 } });
    const before = state(net);
    x.data[590 * 4 + 3] = Number.NaN;
    let batches = 0;
    const e = await expectRejectCode(
      net.fit(x, y, {
        epochs: 3,
        batchSize: 16,
        loss: 'mae',
        optimizer: { type: 'adam', learningRate: 0.02 },
        onBatchEnd: () => batches++,
      }),
      'NON_FINITE',
    );
    expect(e.message).toBe('inputs[590][3] must be a finite number, got NaN');
    // The bad row was met after some steps had changed the weights and the optimizer.
    expect(batches).toBeGreaterThan(0);
    expect(state(net)).toBe(before);
  });

  it('after a refused call, training goes on exactly as if it had not happened', async () => {
    const opts = { epochs: 2, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 } } as const;
    const { x, y } = data(1);
    const a = makeNet();
    const b = makeNet();
    await a.fit(x, y, opts);
    await b.fit(x, y, opts);
    const keep = x.data[300 * 4]!;
    x.data[300 * 4] = Number.POSITIVE_INFINITY;
    await expectRejectCode(b.fit(x, y, { ...opts, loss: 'mae', shuffle: true }), 'NON_FINITE');
    x.data[300 * 4] = keep;
    await a.fit(x, y, opts);
    await b.fit(x, y, opts);
    expect(state(b)).toBe(state(a));
  });

  it('a non-finite target is named as targets[r][c], the first one in the data, whatever batch found it', async () => {
    const { x, y } = data(2);
    const net = makeNet();
    const before = state(net);
    y.data[500 * 2 + 1] = Number.NEGATIVE_INFINITY;
    y.data[40 * 2] = Number.NaN;
    const e = await expectRejectCode(net.fit(x, y, { epochs: 1, batchSize: 8 }), 'NON_FINITE');
    expect(e.message).toBe('targets[40][0] must be a finite number, got NaN');
    expect(state(net)).toBe(before);
    // Inputs come first, as before any check split them: a bad input anywhere is what is named.
    x.data[599 * 4] = Number.NaN;
    const f = await expectRejectCode(net.fit(x, y, { epochs: 1, batchSize: 8 }), 'NON_FINITE');
    expect(f.message).toBe('inputs[599][0] must be a finite number, got NaN');
    expect(state(net)).toBe(before);
  });

  it('data smaller than the weights and optimizer state is checked before training (no copy to put back)', async () => {
    const wide = new NeuralNetwork({ layers: [4, 200, 2], seed: 3, backend: testBackend() });
    const x = { rows: 20, cols: 4, data: new Float32Array(80).fill(0.5) };
    const y = { rows: 20, cols: 2, data: new Float32Array(40) };
    x.data[19 * 4 + 2] = Number.NaN;
    let batches = 0;
    const e = await expectRejectCode(
      wide.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, onBatchEnd: () => batches++ }),
      'NON_FINITE',
    );
    expect(e.message).toBe('inputs[19][2] must be a finite number, got NaN');
    expect(batches).toBe(0);
  });

  it('held-out rows (validationSplit), epochs: 0 and classWeight are checked before any step', async () => {
    const { x, y } = data(3);
    const net = makeNet();
    const before = state(net);
    x.data[595 * 4 + 1] = Number.NaN;
    let batches = 0;
    const e = await expectRejectCode(
      net.fit(x, y, { epochs: 2, validationSplit: 0.1, onBatchEnd: () => batches++ }),
      'NON_FINITE',
    );
    expect(e.message).toBe('inputs[595][1] must be a finite number, got NaN');
    expect(batches).toBe(0);
    expect((await expectRejectCode(net.fit(x, y, { epochs: 0 }), 'NON_FINITE')).message).toMatch(/inputs\[595\]\[1\]/);
    const classes = { rows: ROWS, cols: 1, data: Float32Array.from({ length: ROWS }, (_, r) => r % 2) };
    classes.data[9] = Number.NaN;
    const clf = new NeuralNetwork({ layers: [4, 3, { units: 1, activation: 'sigmoid' }], seed: 1 });
    x.data[595 * 4 + 1] = 0;
    const c = await expectRejectCode(clf.fit(x, classes, { epochs: 1, classWeight: 'balanced' }), 'NON_FINITE');
    expect(c.message).toBe('targets[9][0] must be a finite number, got NaN');
    expect(state(net)).toBe(before);
  });
});
