import type { Pipeline } from './pipeline.js';
import { stepKind } from './steps/index.js';
import { targetClasses } from './target.js';
import type { TransformReport } from './transform.js';

/**
 * What a fitted pipeline does, one line each: the target, how each used column becomes inputs,
 * each dropped column and why, then what fitting found (missing cells, pooled categories, rows
 * without a target). For the CLI to print and reports to show.
 *
 * @example
 * ```ts
 * describePipeline(fitPipeline(rows, { target: 'species' })).forEach((l) => console.log(l));
 * // target species: classification, 3 classes (Adelie, Chinstrap, Gentoo)
 * // island: categorical, one-hot over 3 levels; unknown categories → all zeros
 * // id: dropped, row identifier: …
 * ```
 */
export function describePipeline(p: Pipeline): string[] {
  const t = p.target;
  const classes = targetClasses(t);
  const head =
    classes === undefined
      ? `target ${t.columns.join(', ')}: regression, standardised for training (predictions in the original units)`
      : `target ${t.columns.join(', ')}: classification, ${String(classes.length)} classes (${short(classes)})`;
  return [
    head,
    `${String(p.rows)} training rows, ${String(p.featureNames.length)} inputs from ${String(p.steps.length)} columns`,
    ...p.steps.map((s) => stepKind(s).describe(s)),
    ...p.dropped.map((d) => `${d.column}: dropped, ${d.why}`),
    ...p.notes,
  ];
}

/**
 * What transforming rows did, in words (empty when every cell was used as it was): cells filled
 * in, unknown categories ignored, rows left out for a missing or unknown target.
 *
 * @example
 * ```ts
 * describeTransform(transformRecords(p, rows).report); // ['filled in 2 missing cells: age 2', …]
 * ```
 */
export function describeTransform(r: TransformReport): string[] {
  const lines: string[] = [];
  const list = (m: Readonly<Record<string, number>>): string =>
    Object.entries(m)
      .map(([c, n]) => `${c} ${String(n)}`)
      .join(', ');
  const total = (m: Readonly<Record<string, number>>): number => Object.values(m).reduce((s, n) => s + n, 0);
  if (total(r.imputed) > 0) lines.push(`filled in ${plural(total(r.imputed), 'missing cell')}: ${list(r.imputed)}`);
  if (total(r.invalid) > 0) lines.push(`filled in ${plural(total(r.invalid), 'unreadable cell')}: ${list(r.invalid)}`);
  for (const [c, u] of Object.entries(r.unknown)) {
    lines.push(
      `${c}: ${plural(u.count, 'cell')} with a category not seen in training (${short(u.values.map((v) => JSON.stringify(v)))}), ignored`,
    );
  }
  if (r.targetMissing > 0) lines.push(`left out ${plural(r.targetMissing, 'row')} without a target`);
  if (r.targetUnknown > 0)
    lines.push(`left out ${plural(r.targetUnknown, 'row')} whose target the model does not know`);
  return lines;
}

function plural(n: number, what: string): string {
  return `${String(n)} ${what}${n === 1 ? '' : 's'}`;
}

function short(values: readonly string[]): string {
  return values.length <= 6
    ? values.join(', ')
    : `${values.slice(0, 5).join(', ')}, … ${String(values.length - 5)} more`;
}
