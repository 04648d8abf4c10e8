/** Largest parameter count a network may have (1 GiB of float32), so corrupt specs fail fast. */
export const MAX_PARAMETERS = 2 ** 28;
