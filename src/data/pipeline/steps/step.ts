import type { ImputeMethod } from '../impute.js';
import type { ScaleMethod } from '../scale.js';

/** The settings every column step is fitted with (the pipeline options, defaults applied). */
export interface FitSettings {
  readonly impute: ImputeMethod;
  /** `'auto'`: an indicator input for each numeric or date column with missing training cells. */
  readonly missingIndicator: 'auto' | boolean;
  readonly scale: ScaleMethod;
  /** Categories seen in fewer training rows than this are pooled into one `(other)` input. */
  readonly minFrequency: number;
  /** At most this many inputs per categorical column, `(other)` included. */
  readonly maxCategories: number;
}

/** What happened to one cell: used as is, filled in (missing), unknown category, or not readable (e.g. text in a numeric column; filled in). */
export type CellOutcome = 'ok' | 'imputed' | 'unknown' | 'invalid';

/**
 * One kind of fitted column step, as a table entry: fit on a column's training cells, then
 * transform cells of new rows, always to the same inputs. A step is plain JSON (`{ kind, column,
 * … }`) so it is saved in the model file and read back strictly.
 */
export interface StepKind<S extends { readonly kind: string; readonly column: string }> {
  readonly kind: S['kind'];
  /** Fits on the column's trimmed training cells; the notes say what the user should know (missing cells, pooling). */
  fit(column: string, texts: readonly string[], settings: FitSettings): { step: S; notes: string[] };
  /** One name per model input the step writes. */
  outputs(step: S): string[];
  /** Writes the inputs for one trimmed cell at `out[at…]`. */
  transform(step: S, text: string, out: Float32Array, at: number): CellOutcome;
  /** Reads a saved step strictly (`INVALID_MODEL` naming the field); `r.kind` is already checked. */
  read(r: Readonly<Record<string, unknown>>, path: string): S;
  /** One line: how the column becomes inputs. */
  describe(step: S): string;
}

/** "3 cells (2.5%)". */
export function share(count: number, of: number): string {
  return `${String(count)} cell${count === 1 ? '' : 's'} (${((100 * count) / Math.max(1, of)).toFixed(1)}%)`;
}

/** Up to three examples, quoted, then "…". */
export function examples(values: readonly string[]): string {
  return (
    values
      .slice(0, 3)
      .map((v) => JSON.stringify(v))
      .join(', ') + (values.length > 3 ? ', …' : '')
  );
}
