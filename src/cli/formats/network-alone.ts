import type { ExportRequest } from '../model-formats.js';
import type { Io } from '../output.js';

/**
 * Whether the model turns raw records into its inputs (a table pipeline or a standardisation) or
 * maps its outputs back to the target's units: a format holding the network alone then takes and
 * gives encoded numbers, not the raw columns `neurite predict` reads.
 */
export function hasPreprocessing(r: ExportRequest): boolean {
  const p = r.preprocessing;
  return p.pipeline !== undefined || p.standardize !== null || p.targetStandardize !== null || p.csv !== undefined;
}

/**
 * Says on stderr that `r.out` holds the network alone, for a model with preprocessing: its inputs
 * are the encoded (scaled, one-hot) features, by name. `readBack` is the file to give
 * `neurite predict --model` when it keeps neurite's metadata, so predict still takes the raw CSV.
 */
export function noteNetworkAlone(r: ExportRequest, io: Io, why: string, readBack?: string): void {
  if (!hasPreprocessing(r)) return;
  const names = r.preprocessing.featureNames;
  io.err(
    `note: ${why}.\n` +
      `  ${r.out} holds the network alone: its ${String(names.length)} inputs are the encoded (scaled, one-hot) features (${names.join(', ')})` +
      (readBack !== undefined
        ? `; neurite predict --model ${readBack} still takes the raw CSV (the preprocessing is in the file's metadata)\n`
        : '\n'),
  );
}
