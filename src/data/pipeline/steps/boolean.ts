import { isMissing } from '../../csv/cells.js';
import { sortClasses } from '../../one-hot.js';
import { countValues, mostFrequent } from '../impute.js';
import { badModel, readChoice, readStrings } from '../json-checks.js';
import { share, type StepKind } from './step.js';

/**
 * A column with two values (yes/no, true/false, M/F): one 0/1 input, 1 for the second value in
 * sorted order. Missing and unknown cells take the most frequent training value.
 */
export interface BooleanStep {
  readonly kind: 'boolean';
  readonly column: string;
  /** The two values, sorted: the first is 0, the second 1. */
  readonly levels: readonly [string, string];
  /** The input missing and unknown cells get. */
  readonly fill: 0 | 1;
}

/** The {@link StepKind} of two-valued columns. */
export const booleanStep: StepKind<BooleanStep> = {
  kind: 'boolean',
  fit(column, texts) {
    const missing = texts.filter(isMissing).length;
    const counts = countValues(texts.filter((t) => !isMissing(t)));
    const levels = sortClasses(counts.keys()) as [string, string];
    const fill = levels.indexOf(mostFrequent(counts)) === 1 ? 1 : 0;
    const notes =
      missing > 0
        ? [
            `${column}: ${share(missing, texts.length)} missing, filled with the most frequent value ${JSON.stringify(levels[fill])}`,
          ]
        : [];
    return { step: { kind: 'boolean', column, levels, fill }, notes };
  },
  outputs: (s) => [`${s.column}=${s.levels[1]}`],
  transform(s, text, out, at) {
    if (isMissing(text)) {
      out[at] = s.fill;
      return 'imputed';
    }
    const i = s.levels.indexOf(text);
    out[at] = i < 0 ? s.fill : i;
    return i < 0 ? 'unknown' : 'ok';
  },
  read(r, path) {
    const levels = readStrings(r['levels'], `${path}.levels`);
    if (levels.length !== 2 || levels[0] === levels[1]) throw badModel(`${path}.levels`, 'must be two distinct values');
    const fill = readChoice(String(r['fill']), ['0', '1'], `${path}.fill`) === '1' ? 1 : 0;
    return { kind: 'boolean', column: r['column'] as string, levels: levels as [string, string], fill };
  },
  describe: (s) => `${s.column}: two values, ${JSON.stringify(s.levels[0])} → 0 and ${JSON.stringify(s.levels[1])} → 1`,
};
