// Each file format writes an activation from its own table, one row per activation it can express.
// A row may be missing (a new activation, or one the format cannot express): only an export that
// meets it fails, naming the activation and the format, so adding an activation does not require
// a row in every format at once.
import { NeuriteError } from '../core/errors.js';
import type { ActivationName } from '../nn/activations.js';

/** A format's form of each activation it can express. */
export type ActivationForms<T> = Readonly<Partial<Record<ActivationName, T>>>;

/** The form of `name` in `format`'s table, or `UNSUPPORTED` naming both. */
export function activationForm<T>(forms: ActivationForms<T>, name: ActivationName, format: string): T {
  const form = forms[name];
  if (form === undefined) {
    throw new NeuriteError(
      'UNSUPPORTED',
      `activation ${JSON.stringify(name)} has no ${format} form in neurite (yet); export to another format, or choose another activation`,
      { activation: name, format },
    );
  }
  return form;
}
