import { isMissing } from '../../csv/cells.js';
import { sortClasses } from '../../one-hot.js';
import { countValues, mostFrequent } from '../impute.js';
import { badModel, readString, readStrings } from '../json-checks.js';
import { share, type StepKind } from './step.js';

/**
 * A categorical column, one-hot encoded: missing cells take the most frequent training value;
 * categories rarer than `minFrequency` (or beyond the `maxCategories` most frequent) share one
 * `(other)` input; a category never seen in training gives all zeros.
 */
export interface CategoricalStep {
  readonly kind: 'categorical';
  readonly column: string;
  /** One input per level, sorted. */
  readonly levels: readonly string[];
  /** Training categories pooled into the `(other)` input (empty: no such input). */
  readonly pooled: readonly string[];
  /** The value missing cells get. */
  readonly fill: string;
}

/** The {@link StepKind} of categorical columns. */
export const categoricalStep: StepKind<CategoricalStep> = {
  kind: 'categorical',
  fit(column, texts, settings) {
    const missing = texts.filter(isMissing).length;
    const counts = countValues(texts.filter((t) => !isMissing(t)));
    const fill = mostFrequent(counts);
    // Counted after filling in, as OneHotEncoder counts behind a SimpleImputer.
    counts.set(fill, (counts.get(fill) ?? 0) + missing);
    const byCount = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let frequent = byCount.filter(([, n]) => n >= settings.minFrequency);
    const capped = frequent.length + (frequent.length < byCount.length ? 1 : 0) > settings.maxCategories;
    // The cap counts the (other) input, as scikit-learn's max_categories does.
    if (capped) frequent = frequent.slice(0, Math.max(1, settings.maxCategories - 1));
    const keep = new Set(frequent.map(([v]) => v));
    const pooled = sortClasses(byCount.filter(([v]) => !keep.has(v)).map(([v]) => v));
    const step: CategoricalStep = { kind: 'categorical', column, levels: sortClasses(keep), pooled, fill };
    const notes: string[] = [];
    if (missing > 0)
      notes.push(
        `${column}: ${share(missing, texts.length)} missing, filled with the most frequent value ${JSON.stringify(fill)}`,
      );
    if (pooled.length > 0) {
      const rows = pooled.reduce((s, v) => s + (counts.get(v) ?? 0), 0);
      notes.push(
        `${column}: ${String(pooled.length)} rare categories (${String(rows)} rows) pooled into "${column}=(other)"${capped ? ` (at most ${String(settings.maxCategories)} inputs)` : ` (fewer than ${String(settings.minFrequency)} rows each)`}`,
      );
    }
    return { step, notes };
  },
  outputs: (s) => [...s.levels, ...(s.pooled.length > 0 ? ['(other)'] : [])].map((l) => `${s.column}=${l}`),
  transform(s, text, out, at) {
    const value = isMissing(text) ? s.fill : text;
    const width = s.levels.length + (s.pooled.length > 0 ? 1 : 0);
    out.fill(0, at, at + width);
    const level = s.levels.indexOf(value);
    if (level >= 0) out[at + level] = 1;
    else if (s.pooled.includes(value)) out[at + s.levels.length] = 1;
    else return 'unknown';
    return isMissing(text) ? 'imputed' : 'ok';
  },
  read(r, path) {
    const levels = readStrings(r['levels'], `${path}.levels`);
    const pooled = readStrings(r['pooled'], `${path}.pooled`);
    if (levels.length === 0 && pooled.length === 0) throw badModel(`${path}.levels`, 'must not be empty');
    if (new Set(levels).size !== levels.length) throw badModel(`${path}.levels`, 'must be distinct');
    return {
      kind: 'categorical',
      column: r['column'] as string,
      levels,
      pooled,
      fill: readString(r['fill'], `${path}.fill`),
    };
  },
  describe: (s) =>
    `${s.column}: categorical, one-hot over ${String(s.levels.length)} levels${s.pooled.length > 0 ? ` + (other) for ${String(s.pooled.length)} rare ones` : ''}; unknown categories → all zeros`,
};
