import { NeuriteError, describe } from '../core/errors.js';
import { closest } from '../core/options.js';
import type { FloatArray, Matrix } from '../core/matrix.js';
import type { Loss } from '../nn/losses.js';

/**
 * Weights of the classes in `fit`'s `classWeight`: `'balanced'` (scikit-learn's
 * `n_samples / (n_classes * count)`), an array with one weight per class, or a record from class
 * index to weight (classes left out weigh 1, as in scikit-learn).
 */
export type ClassWeight = 'balanced' | readonly number[] | Readonly<Record<number, number>>;

/**
 * The class of each target row, as Keras finds it for `class_weight`: the argmax of a one-hot
 * (several-output) row, and 0 or 1 for a single output (its value rounded, which must be 0 or 1).
 */
function rowClasses(y: Matrix): Int32Array {
  const classes = new Int32Array(y.rows);
  for (let r = 0; r < y.rows; r++) {
    if (y.cols === 1) {
      const v = Math.round(y.data[r] as number);
      if (v !== 0 && v !== 1) {
        throw new NeuriteError(
          'INVALID_DATA',
          `classWeight needs class targets: with one output each target must be 0 or 1, got ${String(y.data[r])} at row ${String(r)}`,
          { sample: r },
        );
      }
      classes[r] = v;
      continue;
    }
    let best = 0;
    for (let c = 1; c < y.cols; c++)
      if ((y.data[r * y.cols + c] as number) > (y.data[r * y.cols + best] as number)) best = c;
    classes[r] = best;
  }
  return classes;
}

const checkWeight = (v: unknown, where: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new NeuriteError('INVALID_OPTION', `${where} must be a finite number >= 0, got ${describe(v)}`);
  }
  return v;
};

/**
 * One weight per class (`y.cols` classes, or 2 for a single output) from a {@link ClassWeight}.
 * `'balanced'` counts only the classes present, as scikit-learn's `compute_class_weight` does.
 */
export function classWeights(spec: ClassWeight, y: Matrix): Float64Array {
  const nClasses = Math.max(2, y.cols);
  const weights = new Float64Array(nClasses).fill(1);
  if (spec === 'balanced') {
    const counts = new Float64Array(nClasses);
    for (const c of rowClasses(y)) counts[c] = (counts[c] as number) + 1;
    const present = counts.filter((n) => n > 0).length;
    counts.forEach((n, c) => (weights[c] = n > 0 ? y.rows / (present * n) : 1));
    return weights;
  }
  if (Array.isArray(spec)) {
    if (spec.length !== nClasses) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `classWeight must have one weight per class (${String(nClasses)}), got an array of length ${String(spec.length)}`,
      );
    }
    spec.forEach((v: unknown, c) => (weights[c] = checkWeight(v, `classWeight[${String(c)}]`)));
    return weights;
  }
  if (typeof spec !== 'object' || (spec as unknown) === null) {
    const hint =
      typeof spec === 'string' && closest(spec, ['balanced']) !== undefined ? "; did you mean 'balanced'?" : '';
    throw new NeuriteError(
      'INVALID_OPTION',
      `classWeight must be 'balanced', an array or a record of class index to weight, got ${describe(spec)}${hint}`,
    );
  }
  for (const [key, v] of Object.entries(spec)) {
    const c = Number(key);
    if (!Number.isInteger(c) || c < 0 || c >= nClasses) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `classWeight has a key ${JSON.stringify(key)}, but the classes are 0 to ${String(nClasses - 1)}`,
      );
    }
    weights[c] = checkWeight(v, `classWeight[${key}]`);
  }
  return weights;
}

/** Validates `fit`'s `sampleWeight`: one finite weight >= 0 for each of `rows` rows. */
export function checkSampleWeight(sampleWeight: unknown, rows: number): Float32Array | undefined {
  if (sampleWeight === undefined) return undefined;
  const sw = sampleWeight as ArrayLike<unknown>;
  if (typeof sampleWeight !== 'object' || sampleWeight === null || typeof sw.length !== 'number') {
    throw new NeuriteError(
      'INVALID_OPTION',
      `sampleWeight must be an array with one number per row, got ${describe(sampleWeight)}`,
    );
  }
  if (sw.length !== rows) {
    throw new NeuriteError(
      'SHAPE_MISMATCH',
      `sampleWeight must have one weight per row of inputs (${String(rows)}), got ${String(sw.length)}`,
    );
  }
  const w = new Float32Array(rows);
  for (let r = 0; r < rows; r++) w[r] = checkWeight(sw[r], `sampleWeight[${String(r)}]`);
  return w;
}

/**
 * One weight per row of `y`: the checked `sampleWeight` (or 1) times the row's class weight when
 * `classWeight` is given (Keras multiplies the two), or undefined when there is neither.
 */
export function rowWeights(
  sampleWeight: Float32Array | undefined,
  classWeight: ClassWeight | undefined,
  y: Matrix,
): Float32Array | undefined {
  if (classWeight === undefined) return sampleWeight;
  const w = sampleWeight ? Float32Array.from(sampleWeight) : new Float32Array(y.rows).fill(1);
  const perClass = classWeights(classWeight, y);
  rowClasses(y).forEach((c, r) => (w[r] = (w[r] as number) * (perClass[c] as number)));
  return w;
}

/**
 * Weights the loss of the last forward pass row by row (Keras semantics: each row's loss times
 * its weight, then reduced as the loss always is, so the mean is still over rows, not over the
 * weights' sum). Scales each row of `delta` (dL/d(output), already scaled by the reduction) by the
 * same weight and returns the weighted loss. `p`, `t`, `delta` hold m rows of n outputs.
 */
export function weightRows(
  loss: Loss,
  m: number,
  n: number,
  p: FloatArray,
  t: FloatArray,
  scale: number,
  weights: FloatArray,
  delta: FloatArray,
): number {
  let total = 0;
  for (let r = 0; r < m; r++) {
    const w = weights[r] as number;
    let sum = 0;
    for (let i = r * n; i < (r + 1) * n; i++) {
      sum += loss.f(p[i] as number, t[i] as number);
      delta[i] = (delta[i] as number) * w;
    }
    total += w * sum;
  }
  return scale * total;
}
