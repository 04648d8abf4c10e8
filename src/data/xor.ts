import { NeuriteError, checkOptions, describe, matrix } from '../core/index.js';
import type { Dataset } from './dataset.js';
import { pointsDataset, resolveOptions, type SyntheticOptions } from './synthetic.js';

/**
 * The XOR truth table: inputs `[[0,0],[0,1],[1,0],[1,1]]`, targets `[[0],[1],[1],[0]]` in a single
 * 0/1 column (the classic brain.js test). `oneHot: true` gives two columns instead.
 *
 * @example
 * ```ts
 * xor().y.data; // Float32Array [0, 1, 1, 0]
 * ```
 */
export function xor(options: { readonly oneHot?: boolean } = {}): Dataset {
  checkOptions(options, ['oneHot'], 'xor options');
  const oneHot: unknown = options.oneHot ?? false;
  if (typeof oneHot !== 'boolean')
    throw new NeuriteError('INVALID_OPTION', `oneHot must be true or false, got ${describe(oneHot)}`);
  const x = matrix(4, 2, new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]));
  const y = oneHot
    ? matrix(4, 2, new Float32Array([1, 0, 0, 1, 0, 1, 1, 0]))
    : matrix(4, 1, new Float32Array([0, 1, 1, 0]));
  return {
    name: 'xor',
    x,
    y,
    featureNames: ['a', 'b'],
    targetNames: oneHot ? ['xor=0', 'xor=1'] : ['xor'],
    classes: ['0', '1'],
    task: 'classification',
  };
}

/**
 * XOR on the plane (TensorFlow Playground's "exclusive or"): points uniform in `[-1, 1]²`, class 1
 * when the two coordinates have different signs, else class 0. The class is decided before noise
 * is added, so noise blurs the quadrant borders. Default noise 0.05.
 *
 * @example
 * ```ts
 * const ds = xorPlane({ n: 400, seed: 5 });
 * ds.classes; // ['0', '1']
 * ```
 */
export function xorPlane(options: SyntheticOptions = {}): Dataset {
  const opts = resolveOptions(options, 0.05, 'xorPlane');
  const xy: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < opts.n; i++) {
    const a = opts.rng.uniform(-1, 1);
    const b = opts.rng.uniform(-1, 1);
    labels.push(a * b < 0 ? 1 : 0);
    xy.push(a + opts.rng.normal(0, opts.noise), b + opts.rng.normal(0, opts.noise));
  }
  return pointsDataset('xor-plane', xy, labels, 2, opts);
}
