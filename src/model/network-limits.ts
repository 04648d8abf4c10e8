import { NeuriteError } from '../core/errors.js';

/** Largest parameter count a network may have (1 GiB of float32), so corrupt specs fail fast. */
export const MAX_PARAMETERS = 2 ** 28;

/** Throws `INVALID_OPTION` when a network would have more than {@link MAX_PARAMETERS} parameters. */
export function assertParameterCount(total: number): void {
  if (total > MAX_PARAMETERS) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `network has ${String(total)} parameters; at most ${String(MAX_PARAMETERS)} are supported`,
    );
  }
}
