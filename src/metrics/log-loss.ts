import { NeuriteError } from '../core/errors.js';
import { sameRows, toLabels, toTable, type MetricInput } from './inputs.js';

/** Machine epsilon of float32 and float64: scikit-learn's `eps='auto'` clips by the input's. */
const EPS32 = 2 ** -23;
const EPS64 = 2 ** -52;

/** Options of {@link logLoss}. */
export interface LogLossOptions {
  /**
   * Probabilities are clipped to [eps, 1 − eps] so a confident mistake costs a finite amount.
   * Default: the machine epsilon of the input, as scikit-learn's `eps='auto'` (2⁻²³ for
   * `Float32Array`s and neurite matrices, 2⁻⁵² for plain numbers).
   */
  readonly eps?: number;
}

/**
 * Mean negative log-likelihood of the true classes (cross-entropy; scikit-learn's `log_loss`).
 * `yProb` is one column per class, or for two classes the positive class's probability (1-D or
 * one column). Probabilities are clipped to [eps, 1 − eps] and each row renormalised to sum to 1,
 * as scikit-learn 1.2 does. The class count comes from `yProb`'s columns, so `yTrue` need not
 * contain every class.
 *
 * @example
 * ```ts
 * logLoss([1, 0, 0, 1], [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]); // 0.21616
 * ```
 */
export function logLoss(yTrue: MetricInput, yProb: MetricInput, opts: LogLossOptions = {}): number {
  const y = toLabels(yTrue, 'yTrue').labels;
  const p = toTable(yProb, 'yProb');
  sameRows({ rows: y.length }, p, 'yProb');
  const eps = opts.eps ?? (p.f32 ? EPS32 : EPS64);
  if (!(eps > 0 && eps < 0.5)) {
    throw new NeuriteError('INVALID_OPTION', `eps must be a number in (0, 0.5), got ${String(eps)}`);
  }
  const binary = p.cols === 1;
  const k = binary ? 2 : p.cols;
  const clip = (v: number): number => Math.min(1 - eps, Math.max(eps, v));
  let sum = 0;
  for (let r = 0; r < y.length; r++) {
    const c = y[r] as number;
    if (c >= k) {
      throw new NeuriteError(
        'INVALID_DATA',
        `yTrue[${String(r)}] is class ${String(c)} but yProb has ${binary ? 'one probability (two classes)' : `${String(k)} columns`}; pass one probability column per class`,
        { index: r },
      );
    }
    let mass: number;
    let pc: number;
    if (binary) {
      const q = clip(p.data[r] as number);
      // scikit-learn makes the row [1 − q, q] after clipping, which already sums to 1.
      mass = 1 - q + q;
      pc = c === 1 ? q : 1 - q;
    } else {
      mass = 0;
      for (let j = 0; j < k; j++) mass += clip(p.data[r * k + j] as number);
      pc = clip(p.data[r * k + c] as number);
    }
    sum -= Math.log(pc / mass);
  }
  return sum / y.length;
}
