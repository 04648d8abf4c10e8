import { argmax } from '../data/index.js';
import type { Matrix } from '../index.js';
import { UsageError } from './errors.js';

/** A metric `cv` and `tune` can score folds with. */
export interface FoldMetric {
  readonly name: string;
  readonly task: 'classification' | 'regression';
  /** True when larger is better (accuracy, R²); false for errors. */
  readonly greaterIsBetter: boolean;
  /** Scores predictions (probabilities, or values in the target's units) against the targets. */
  score(yTrue: Matrix, yPred: Matrix): number;
}

function accuracy(t: Matrix, p: Matrix): number {
  const a = argmax(t);
  const b = argmax(p);
  return a.reduce((n, v, i) => n + (v === b[i] ? 1 : 0), 0) / a.length;
}

function f1Macro(t: Matrix, p: Matrix): number {
  const a = argmax(t);
  const b = argmax(p);
  const k = Math.max(2, t.cols);
  let sum = 0;
  let classes = 0;
  for (let c = 0; c < k; c++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    a.forEach((v, i) => {
      if (v === c && b[i] === c) tp++;
      else if (b[i] === c) fp++;
      else if (v === c) fn++;
    });
    if (tp + fp + fn === 0) continue;
    classes++;
    sum += (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / classes;
}

function squaredError(t: Matrix, p: Matrix): number {
  let s = 0;
  for (let i = 0; i < t.data.length; i++) s += ((t.data[i] as number) - (p.data[i] as number)) ** 2;
  return s;
}

function r2(t: Matrix, p: Matrix): number {
  // Mean of the per-output R² (scikit-learn's 'uniform_average').
  let total = 0;
  for (let c = 0; c < t.cols; c++) {
    let mean = 0;
    for (let r = 0; r < t.rows; r++) mean += t.data[r * t.cols + c] as number;
    mean /= t.rows;
    let ssRes = 0;
    let ssTot = 0;
    for (let r = 0; r < t.rows; r++) {
      const y = t.data[r * t.cols + c] as number;
      ssRes += (y - (p.data[r * t.cols + c] as number)) ** 2;
      ssTot += (y - mean) ** 2;
    }
    total += ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  }
  return total / t.cols;
}

/** The metrics by name; the first of each task is its default. */
export const FOLD_METRICS: readonly FoldMetric[] = [
  { name: 'accuracy', task: 'classification', greaterIsBetter: true, score: accuracy },
  { name: 'f1Macro', task: 'classification', greaterIsBetter: true, score: f1Macro },
  { name: 'r2', task: 'regression', greaterIsBetter: true, score: r2 },
  {
    name: 'rmse',
    task: 'regression',
    greaterIsBetter: false,
    score: (t, p) => Math.sqrt(squaredError(t, p) / t.data.length),
  },
  {
    name: 'mae',
    task: 'regression',
    greaterIsBetter: false,
    score: (t, p) => t.data.reduce((s, v, i) => s + Math.abs(v - (p.data[i] as number)), 0) / t.data.length,
  },
];

/** The metric `name` for `task` (default: accuracy or R²); a usage error naming the choices otherwise. */
export function foldMetric(name: string | undefined, task: 'classification' | 'regression'): FoldMetric {
  const m = FOLD_METRICS.find((x) => (name === undefined ? x.task === task : x.name === name));
  if (m === undefined || m.task !== task) {
    const fits = FOLD_METRICS.filter((x) => x.task === task).map((x) => x.name);
    throw new UsageError(
      `${m === undefined ? 'unknown' : `a ${m.task}`} metric ${JSON.stringify(name)} for a ${task} target; expected one of: ${fits.join(', ')}`,
    );
  }
  return m;
}
