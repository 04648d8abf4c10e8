import type { PreprocessingNote } from '../report/html.js';
import type { PreparedData } from './data.js';

/**
 * What preprocessing did to a run's data, as report notes: the encodings, the scaling and the rows
 * left out. A `notes` list on the prepared data (from a fitted pipeline) comes first.
 */
export function preprocessingNotes(data: PreparedData): PreprocessingNote[] {
  const pre = data.preprocessing;
  const extra = data.notes ?? [];
  const notes: PreprocessingNote[] = [...extra];
  for (const f of pre.csv?.features ?? []) {
    if (f.kind === 'categorical') {
      notes.push({ column: f.name, message: `one-hot encoded into ${String(f.levels.length)} inputs` });
    }
  }
  if (data.dropped > 0) notes.push(`${String(data.dropped)} rows with missing or invalid cells were dropped`);
  if (pre.standardize !== null) notes.push('inputs standardised with the training rows’ mean and standard deviation');
  if (pre.targetStandardize !== null) {
    notes.push('the target was standardised for training; scores and charts are in its original units');
  }
  return notes;
}
