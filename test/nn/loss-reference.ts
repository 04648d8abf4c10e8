// The documented loss reductions in float64 (activations-losses.test.ts checks evaluate against
// them); test/meta/registry-coverage.test.ts fails when a registered loss has no row here.
import type { LossName } from '../../src/index.js';

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const mean = (xs: number[]): number => sum(xs) / xs.length;

/** The documented reductions, computed independently in float64 from the predictions. */
export const LOSS_REFERENCE: Record<LossName, (p: number[][], t: number[][]) => number> = {
  mse: (p, t) => mean(p.flatMap((r, i) => r.map((v, j) => (v - t[i]![j]!) ** 2))),
  // Each row's sum of squared residuals, averaged over rows (README: fit and evaluate report ssr per row).
  ssr: (p, t) => sum(p.flatMap((r, i) => r.map((v, j) => (v - t[i]![j]!) ** 2))) / p.length,
  mae: (p, t) => mean(p.flatMap((r, i) => r.map((v, j) => Math.abs(v - t[i]![j]!)))),
  huber: (p, t) =>
    mean(
      p.flatMap((r, i) =>
        r.map((v, j) => {
          const d = Math.abs(v - t[i]![j]!);
          return d <= 1 ? 0.5 * d * d : d - 0.5;
        }),
      ),
    ),
  binaryCrossEntropy: (p, t) =>
    mean(p.flatMap((r, i) => r.map((v, j) => -(t[i]![j]! * Math.log(v) + (1 - t[i]![j]!) * Math.log(1 - v))))),
  categoricalCrossEntropy: (p, t) => sum(p.map((r, i) => -sum(r.map((v, j) => t[i]![j]! * Math.log(v))))) / p.length,
};
