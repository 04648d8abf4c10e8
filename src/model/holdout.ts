import type { Matrix } from '../core/matrix.js';
import type { Rng } from '../core/rng.js';
import { argmax } from './metrics.js';

/** The class of row `r` of one-hot (argmax) or single-column 0/1 targets. */
export function classOf(y: Matrix, r: number): number {
  return y.cols === 1 ? ((y.data[r] as number) >= 0.5 ? 1 : 0) : argmax(y.data, r * y.cols, y.cols);
}

/** Row indices grouped by class, classes in order (one group of every row without `stratify`). */
function byClass(y: Matrix, stratify: boolean): number[][] {
  const groups = new Map<number, number[]>();
  for (let r = 0; r < y.rows; r++) {
    const k = stratify ? classOf(y, r) : 0;
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [r]);
    else g.push(r);
  }
  return [...groups.keys()].sort((a, b) => a - b).map((k) => groups.get(k) as number[]);
}

/**
 * Row indices of a held-out share of the rows and of the rest, drawn from `rng`. For classification
 * each class gives its share (rounded, at least one row from any class with two or more), so a
 * small validation part still holds every class in its proportion.
 */
export function holdoutRows(
  y: Matrix,
  fraction: number,
  stratify: boolean,
  rng: Rng,
): { fit: Int32Array; held: Int32Array } {
  const fit: number[] = [];
  const held: number[] = [];
  for (const group of byClass(y, stratify)) {
    const rows = rng.shuffle(group);
    const n = rows.length < 2 ? 0 : Math.min(rows.length - 1, Math.max(1, Math.round(rows.length * fraction)));
    held.push(...rows.slice(0, n));
    fit.push(...rows.slice(n));
  }
  return { fit: Int32Array.from(fit), held: Int32Array.from(held) };
}

/**
 * `k` disjoint validation parts covering every row, each with the rest as its training rows. For
 * classification each class is dealt round-robin over the parts after a shuffle, so every part
 * holds the classes in proportion.
 */
export function foldRows(y: Matrix, k: number, stratify: boolean, rng: Rng): { fit: Int32Array; held: Int32Array }[] {
  const fold = new Int32Array(y.rows);
  let next = 0;
  // The round-robin continues across classes so small classes do not all start in part 0.
  for (const group of byClass(y, stratify)) for (const r of rng.shuffle(group)) fold[r] = next++ % k;
  return Array.from({ length: k }, (_, i) => {
    const held: number[] = [];
    const fit: number[] = [];
    for (let r = 0; r < y.rows; r++) (fold[r] === i ? held : fit).push(r);
    return { fit: Int32Array.from(fit), held: Int32Array.from(held) };
  });
}

/** Copies the listed rows of `m`. */
export function pickRows(m: Matrix, rows: Int32Array): Matrix {
  const data = new Float32Array(rows.length * m.cols);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { rows: rows.length, cols: m.cols, data };
}

/**
 * What predicting without looking at the inputs scores on `test`: the most frequent class of
 * `train` (accuracy), or the mean of `train`'s targets (R²).
 */
export function baselinePredictions(train: Matrix, test: Matrix, task: 'classification' | 'regression'): Matrix {
  const out = new Float32Array(test.rows * test.cols);
  const constant = new Float32Array(train.cols);
  if (task === 'classification') {
    const counts = new Map<number, number>();
    for (let r = 0; r < train.rows; r++) counts.set(classOf(train, r), (counts.get(classOf(train, r)) ?? 0) + 1);
    // Most frequent, the lowest class on ties, so the baseline does not depend on row order.
    const [top] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] ?? [0];
    if (train.cols === 1) constant[0] = top;
    else constant[top] = 1;
  } else {
    for (let r = 0; r < train.rows; r++)
      for (let c = 0; c < train.cols; c++)
        constant[c] = (constant[c] as number) + (train.data[r * train.cols + c] as number) / train.rows;
  }
  for (let r = 0; r < test.rows; r++) out.set(constant, r * test.cols);
  return { rows: test.rows, cols: test.cols, data: out };
}
