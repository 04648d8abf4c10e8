import { NeuriteError } from '../../core/index.js';

/** How missing numeric cells are filled: the training `median` (default), `mean`, or `zero`. */
export type ImputeMethod = 'median' | 'mean' | 'zero';

/** Every {@link ImputeMethod}. */
export const IMPUTE_METHODS: readonly ImputeMethod[] = ['median', 'mean', 'zero'];

/** Checks a user's `impute` option. */
export function imputeMethod(x: unknown): ImputeMethod {
  if (typeof x === 'string' && (IMPUTE_METHODS as readonly string[]).includes(x)) return x as ImputeMethod;
  throw new NeuriteError(
    'INVALID_OPTION',
    `impute must be one of ${IMPUTE_METHODS.join(', ')}, got ${JSON.stringify(x)}`,
  );
}

/**
 * The fill value for a numeric column from its present training values, as scikit-learn's
 * `SimpleImputer` computes it (the median of an even count is the mean of the two middle values).
 * No present values gives 0.
 */
export function numericFill(values: readonly number[], method: ImputeMethod): number {
  if (values.length === 0 || method === 'zero') return 0;
  if (method === 'mean') return values.reduce((s, v) => s + v, 0) / values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** How often each value occurs, in order of first appearance. */
export function countValues(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/**
 * The most frequent value; ties go to the smallest in code-unit order, as scikit-learn's
 * `SimpleImputer(strategy='most_frequent')` breaks them.
 */
export function mostFrequent(counts: ReadonlyMap<string, number>): string {
  let best = '';
  let bestCount = -1;
  for (const [v, n] of counts) {
    if (n > bestCount || (n === bestCount && v < best)) {
      best = v;
      bestCount = n;
    }
  }
  return best;
}
