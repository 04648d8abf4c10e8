import { isMissing } from '../../csv/cells.js';
import { DATE_PARTS, datePart, parseDate, type DatePart } from '../dates.js';
import { numericFill } from '../impute.js';
import { badModel, readBoolean, readList, readNumber } from '../json-checks.js';
import { applyScale, fitScale, readScale, type Scale } from '../scale.js';
import { examples, share, type StepKind } from './step.js';
import { scaleWords } from './numeric.js';

/**
 * A date or timestamp column, turned into numbers a network can use: days since 1970 (the
 * trend) and the calendar parts that vary in training (year, month, day of week, hour), each
 * scaled. Missing or unreadable cells take the training median time.
 */
export interface DateStep {
  readonly kind: 'date';
  readonly column: string;
  /** The parts kept, one input each (in {@link DATE_PARTS} order). */
  readonly parts: readonly DatePart[];
  /** One fitted scale per part. */
  readonly scales: readonly Scale[];
  /** The time (ms since the epoch) missing cells get: the training median. */
  readonly fill: number;
  /** Adds the input `column (missing)`. */
  readonly indicator: boolean;
}

/** The {@link StepKind} of date and timestamp columns. */
export const dateStep: StepKind<DateStep> = {
  kind: 'date',
  fit(column, texts, settings) {
    const times = texts.map((t) => (isMissing(t) ? undefined : parseDate(t)));
    const unreadable = texts.filter((t, i) => !isMissing(t) && times[i] === undefined);
    const gaps = times.filter((v) => v === undefined).length;
    const fill = numericFill(
      times.filter((v) => v !== undefined),
      'median',
    );
    const filled = times.map((v) => v ?? fill);
    const parts = DATE_PARTS.filter((p) => p === 'days' || new Set(filled.map((v) => datePart(v, p))).size > 1);
    const scales = parts.map((p) =>
      fitScale(
        Float64Array.from(filled, (v) => datePart(v, p)),
        settings.scale,
      ),
    );
    const indicator = settings.missingIndicator === 'auto' ? gaps > 0 : settings.missingIndicator;
    const notes = [
      `${column}: dates, turned into ${parts.map((p) => PART_WORDS[p]).join(', ')}`,
      ...(unreadable.length > 0
        ? [
            `${column}: ${share(unreadable.length, texts.length)} are not dates (${examples(unreadable)}); treated as missing`,
          ]
        : []),
      ...(gaps > 0
        ? [
            `${column}: ${share(gaps, texts.length)} missing, filled with the median date ${new Date(fill).toISOString()}`,
          ]
        : []),
    ];
    return { step: { kind: 'date', column, parts, scales, fill, indicator }, notes };
  },
  outputs: (s) => [...s.parts.map((p) => `${s.column} (${p})`), ...(s.indicator ? [`${s.column} (missing)`] : [])],
  transform(s, text, out, at) {
    const t = isMissing(text) ? undefined : parseDate(text);
    s.parts.forEach((p, i) => (out[at + i] = applyScale(s.scales[i] as Scale, datePart(t ?? s.fill, p))));
    if (s.indicator) out[at + s.parts.length] = t === undefined ? 1 : 0;
    return t !== undefined ? 'ok' : isMissing(text) ? 'imputed' : 'invalid';
  },
  read(r, path) {
    const parts = readList(r['parts'], `${path}.parts`).map((p, i) => {
      if (typeof p !== 'string' || !(DATE_PARTS as readonly string[]).includes(p)) {
        throw badModel(`${path}.parts[${String(i)}]`, `must be one of ${DATE_PARTS.join(', ')}`);
      }
      return p as DatePart;
    });
    if (parts.length === 0) throw badModel(`${path}.parts`, 'must not be empty');
    const scales = readList(r['scales'], `${path}.scales`).map((x, i) => readScale(x, `${path}.scales[${String(i)}]`));
    if (scales.length !== parts.length)
      throw badModel(`${path}.scales`, `must have one entry per part (${String(parts.length)})`);
    return {
      kind: 'date',
      column: r['column'] as string,
      parts,
      scales,
      fill: readNumber(r['fill'], `${path}.fill`),
      indicator: readBoolean(r['indicator'], `${path}.indicator`),
    };
  },
  describe: (s) =>
    `${s.column}: date → ${s.parts.map((p) => PART_WORDS[p]).join(', ')} (${s.scales[0] === undefined ? '' : scaleWords(s.scales[0])})${s.indicator ? ', plus a missing-value indicator' : ''}`,
};

const PART_WORDS: Record<DatePart, string> = {
  days: 'days since 1970',
  year: 'year',
  month: 'month',
  dayOfWeek: 'day of week',
  hour: 'hour',
};
