import { isMissing, parseNumber } from '../../csv/cells.js';
import { IMPUTE_METHODS, numericFill, type ImputeMethod } from '../impute.js';
import { readBoolean, readChoice, readNumber } from '../json-checks.js';
import { applyScale, fitScale, readScale, type Scale } from '../scale.js';
import { examples, share, type StepKind } from './step.js';

/** A numeric column: missing (or unreadable) cells filled with a training statistic, then scaled; optionally a 0/1 "was missing" input. */
export interface NumericStep {
  readonly kind: 'numeric';
  readonly column: string;
  readonly impute: ImputeMethod;
  /** The value missing cells get, computed on the training rows. */
  readonly fill: number;
  /** Adds the input `column (missing)`: 1 where the cell was missing, else 0. */
  readonly indicator: boolean;
  readonly scale: Scale;
}

/** The {@link StepKind} of numeric columns. */
export const numericStep: StepKind<NumericStep> = {
  kind: 'numeric',
  fit(column, texts, settings) {
    const present: number[] = [];
    const unreadable: string[] = [];
    let missing = 0;
    for (const t of texts) {
      const v = isMissing(t) ? undefined : parseNumber(t);
      if (v !== undefined) present.push(v);
      else if (isMissing(t)) missing++;
      else unreadable.push(t);
    }
    const gaps = missing + unreadable.length;
    const fill = numericFill(present, settings.impute);
    const indicator = settings.missingIndicator === 'auto' ? gaps > 0 : settings.missingIndicator;
    // Fitted on the filled-in column, as a scaler after an imputer in a scikit-learn pipeline.
    const filled = Float64Array.from(texts, (t) => parseNumber(t) ?? fill);
    const step: NumericStep = {
      kind: 'numeric',
      column,
      impute: settings.impute,
      fill,
      indicator,
      scale: fitScale(filled, settings.scale),
    };
    const notes: string[] = [];
    if (unreadable.length > 0) {
      notes.push(
        `${column}: ${share(unreadable.length, texts.length)} are not numbers (${examples(unreadable)}); treated as missing`,
      );
    }
    if (gaps > 0) {
      notes.push(
        `${column}: ${share(gaps, texts.length)} missing, filled with the ${settings.impute === 'zero' ? 'value' : settings.impute} ${String(fill)}${indicator ? `; input "${column} (missing)" marks them` : ''}`,
      );
    }
    return { step, notes };
  },
  outputs: (s) => (s.indicator ? [s.column, `${s.column} (missing)`] : [s.column]),
  transform(s, text, out, at) {
    const v = isMissing(text) ? undefined : parseNumber(text);
    out[at] = applyScale(s.scale, v ?? s.fill);
    if (s.indicator) out[at + 1] = v === undefined ? 1 : 0;
    return v !== undefined ? 'ok' : isMissing(text) ? 'imputed' : 'invalid';
  },
  read: (r, path) => ({
    kind: 'numeric',
    column: r['column'] as string,
    impute: readChoice(r['impute'], IMPUTE_METHODS, `${path}.impute`),
    fill: readNumber(r['fill'], `${path}.fill`),
    indicator: readBoolean(r['indicator'], `${path}.indicator`),
    scale: readScale(r['scale'], `${path}.scale`),
  }),
  describe: (s) =>
    `${s.column}: numeric, ${scaleWords(s.scale)}${s.indicator ? ', plus a missing-value indicator' : ''}`,
};

/** "standardised", "min-max scaled" or "unscaled". */
export function scaleWords(s: Scale): string {
  return s.method === 'standard' ? 'standardised' : s.method === 'minmax' ? 'min-max scaled' : 'unscaled';
}
