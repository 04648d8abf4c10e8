import { describe, expect, it } from 'vitest';
import { NeuralNetwork } from '../../src/index.js';
import { checkOptions, closest } from '../../src/core/options.js';
import { expectCode, expectRejectCode } from '../helpers/errors.js';

const FIT = ['epochs', 'batchSize', 'loss', 'optimizer', 'shuffle', 'validationSplit', 'learningRate'];

describe('checkOptions', () => {
  it('accepts known keys, including ones set to undefined', () => {
    expect(() => checkOptions({ epochs: 3, loss: undefined }, FIT, 'fit options')).not.toThrow();
    expect(() => checkOptions({}, FIT, 'fit options')).not.toThrow();
  });

  it('refuses an unknown key, naming it, the closest valid key and where', () => {
    const e = expectCode(
      () => checkOptions({ epochs: 1, epoch: 3 }, FIT, 'fit options'),
      'INVALID_OPTION',
      /unknown option `epoch` in fit options; did you mean `epochs`\?/,
    );
    expect(e.details).toEqual({ key: 'epoch', suggestion: 'epochs' });
    expect(e.message).toMatch(/Valid options: epochs, batchSize/);
    // A key set to undefined is still a typo.
    expectCode(() => checkOptions({ shufle: undefined }, FIT, 'fit options'), 'INVALID_OPTION', /`shuffle`/);
  });

  it('suggests nothing when no key is close', () => {
    const e = expectCode(() => checkOptions({ colour: 1 }, FIT, 'x'), 'INVALID_OPTION');
    expect(e.message).not.toMatch(/did you mean/);
    expect(e.details).toEqual({ key: 'colour' });
  });

  it('takes hints for aliases the edit distance cannot find', () => {
    expectCode(
      () => checkOptions({ lr: 0.1 }, FIT, 'optimizer', { lr: 'learningRate' }),
      'INVALID_OPTION',
      /did you mean `learningRate`/,
    );
  });

  it('refuses anything that is not a plain object', () => {
    for (const v of [null, 3, 'epochs', [1], undefined, () => 1]) {
      expectCode(() => checkOptions(v, FIT, 'fit options'), 'INVALID_OPTION', /fit options must be an object, got/);
    }
  });
});

describe('closest', () => {
  it('finds typos, case slips and prefixes; ignores far words', () => {
    expect(closest('epoch', FIT)).toBe('epochs');
    expect(closest('batchsize', FIT)).toBe('batchSize');
    expect(closest('batch', FIT)).toBe('batchSize');
    expect(closest('learningrate', FIT)).toBe('learningRate');
    expect(closest('los', FIT)).toBe('loss');
    expect(closest('validation', FIT)).toBe('validationSplit');
    expect(closest('colour', FIT)).toBeUndefined();
    expect(closest('e', FIT)).toBeUndefined();
  });
});

describe('fit refuses unknown keys', () => {
  it('fit({ epoch: 3 }) says did you mean `epochs` instead of training 10 epochs', async () => {
    const net = new NeuralNetwork({ layers: [1, 1], seed: 1 });
    const before = net.getWeights();
    const e = await expectRejectCode(net.fit([[1]], [[1]], { epoch: 3 } as object), 'INVALID_OPTION');
    expect(e.message).toMatch(/did you mean `epochs`/);
    expect(net.getWeights()).toEqual(before);
    const es = await expectRejectCode(
      net.fit([[1]], [[1]], { earlyStopping: { patience: 1, restoreBestWeights: true } as never }),
      'INVALID_OPTION',
    );
    expect(es.message).toMatch(/`restoreBestWeights` in earlyStopping; did you mean `restoreBest`/);
  });
});
