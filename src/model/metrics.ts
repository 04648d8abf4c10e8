import { NeuriteError } from '../core/errors.js';
import type { FloatArray } from '../core/matrix.js';

/** Names of the metrics `fit` and `evaluate` can report. */
export type MetricName = 'accuracy' | 'mse' | 'mae';

/** Every metric name. */
export const METRIC_NAMES: readonly MetricName[] = ['accuracy', 'mse', 'mae'];

/** Validates a metrics list. */
export function parseMetrics(metrics: readonly string[] | undefined): MetricName[] {
  if (metrics === undefined) return [];
  if (!Array.isArray(metrics as unknown)) throw new NeuriteError('INVALID_OPTION', 'metrics must be an array of names');
  for (const m of metrics) {
    if (!(METRIC_NAMES as readonly string[]).includes(m)) {
      throw new NeuriteError(
        'INVALID_OPTION',
        `unknown metric ${JSON.stringify(m)}; expected one of: ${METRIC_NAMES.join(', ')}`,
      );
    }
  }
  return metrics as MetricName[];
}

/**
 * Sums a metric over m rows of n outputs (divide by {@link metricCount} for the mean), so batches can be
 * accumulated. Accuracy compares argmax for several outputs and a 0.5 threshold for one.
 */
export function metricSum(name: MetricName, m: number, n: number, p: FloatArray, t: FloatArray): number {
  let s = 0;
  if (name === 'accuracy') {
    for (let r = 0; r < m; r++) {
      const o = r * n;
      if (n === 1) {
        if ((p[o] as number) >= 0.5 === (t[o] as number) >= 0.5) s++;
      } else if (argmax(p, o, n) === argmax(t, o, n)) s++;
    }
    return s;
  }
  for (let i = 0; i < m * n; i++) {
    const d = (p[i] as number) - (t[i] as number);
    s += name === 'mse' ? d * d : Math.abs(d);
  }
  return s;
}

/** How many terms {@link metricSum} added for m rows of n outputs. */
export function metricCount(name: MetricName, m: number, n: number): number {
  return name === 'accuracy' ? m : m * n;
}

/** Index of the largest of `n` values starting at `offset` (first wins on ties). */
export function argmax(x: ArrayLike<number>, offset = 0, n = x.length - offset): number {
  let best = 0;
  let bv = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = x[offset + j] as number;
    if (v > bv) {
      bv = v;
      best = j;
    }
  }
  return best;
}
