import { NeuriteError } from '../core/errors.js';
import { sameRows, toLabels, toTable, type MetricInput } from './inputs.js';

/** Options of {@link rocAucScore}. */
export interface RocAucOptions {
  /** Multiclass one-vs-rest: `'macro'` (default) averages the classes equally, `'weighted'` by support. */
  readonly average?: 'macro' | 'weighted';
}

/**
 * Area under the ROC curve of one binary problem, as the Mann–Whitney statistic: the chance that a
 * random positive scores above a random negative, counting ties as half. This is exactly the
 * trapezoid area scikit-learn's `roc_curve` gives, where tied scores form one diagonal step.
 */
function binaryAuc(positive: (r: number) => boolean, score: (r: number) => number, n: number): number {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score(a) - score(b));
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j < n && score(order[j] as number) === score(order[i] as number)) j++;
    // Ranks i+1 … j share their mean rank.
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (positive(order[k] as number)) {
        nPos++;
        rankSum += rank;
      }
    }
    i = j;
  }
  const nNeg = n - nPos;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * ROC-AUC from scores or probabilities (scikit-learn's `roc_auc_score`, `multi_class='ovr'`).
 * Binary: `yScore` is the positive class's score (1-D or one column), or two columns whose second is
 * used. Multiclass: one column per class, scored one-vs-rest and averaged (`'macro'` by default,
 * or `'weighted'` by support); unlike scikit-learn, rows need not sum to 1. Throws `INVALID_DATA`
 * when a class has no rows in `yTrue`, where the area is undefined.
 *
 * @example
 * ```ts
 * rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * ```
 */
export function rocAucScore(yTrue: MetricInput, yScore: MetricInput, opts: RocAucOptions = {}): number {
  const average = opts.average ?? 'macro';
  if (average !== 'macro' && average !== 'weighted') {
    throw new NeuriteError(
      'INVALID_OPTION',
      `unknown average ${JSON.stringify(average)} for rocAucScore; expected macro or weighted`,
    );
  }
  const y = toLabels(yTrue, 'yTrue').labels;
  const s = toTable(yScore, 'yScore');
  sameRows({ rows: y.length }, s, 'yScore');
  const n = y.length;
  const k = s.cols <= 2 ? 2 : s.cols;
  const support = new Array<number>(k).fill(0);
  for (let r = 0; r < n; r++) {
    const c = y[r] as number;
    if (c >= k) {
      throw new NeuriteError(
        'INVALID_DATA',
        `yTrue[${String(r)}] is class ${String(c)} but yScore has ${k === 2 ? 'a binary score' : `${String(k)} columns`}; pass one score column per class`,
        { index: r },
      );
    }
    support[c] = (support[c] as number) + 1;
  }
  const missing = support.findIndex((v) => v === 0);
  if (missing >= 0) {
    throw new NeuriteError(
      'INVALID_DATA',
      `ROC-AUC is undefined: yTrue has no rows of class ${String(missing)}${k === 2 ? ` (only class ${String(1 - missing)})` : ''}; score it on rows that include every class`,
    );
  }
  const at = (r: number, c: number): number => s.data[r * s.cols + c] as number;
  if (k === 2)
    return binaryAuc(
      (r) => y[r] === 1,
      (r) => at(r, s.cols - 1),
      n,
    );
  let total = 0;
  for (let c = 0; c < k; c++) {
    const auc = binaryAuc(
      (r) => y[r] === c,
      (r) => at(r, c),
      n,
    );
    total += average === 'weighted' ? (auc * (support[c] as number)) / n : auc / k;
  }
  return total;
}
