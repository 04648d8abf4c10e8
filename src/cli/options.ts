import { InvalidArgumentError } from 'commander';

/** Commander argument parser: an integer ≥ `min`. */
export function intArg(min = 1): (value: string) => number {
  return (value) => {
    const v = Number(value);
    if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isSafeInteger(v) || v < min) {
      throw new InvalidArgumentError(`expected an integer >= ${String(min)}.`);
    }
    return v;
  };
}

/** Commander argument parser: a finite number in [min, max] (max exclusive when `openMax`). */
export function numberArg(min: number, max = Infinity, openMax = false): (value: string) => number {
  return (value) => {
    const v = Number(value);
    const ok = value.trim() !== '' && Number.isFinite(v) && v >= min && (openMax ? v < max : v <= max);
    if (!ok) {
      const range = max === Infinity ? `>= ${String(min)}` : `in [${String(min)}, ${String(max)}${openMax ? ')' : ']'}`;
      throw new InvalidArgumentError(`expected a number ${range}.`);
    }
    return v;
  };
}

/** Commander argument parser: a comma-separated list of non-empty names. */
export function listArg(value: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === ''))
    throw new InvalidArgumentError('expected a comma-separated list.');
  return items;
}

/** Commander argument parser: a comma-separated list of positive integers (layer sizes). */
export function intListArg(value: string): number[] {
  const toInt = intArg(1);
  return value.trim() === '' ? [] : listArg(value).map(toInt);
}

/** Commander argument parser: one of `choices`. */
export function choiceArg<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of: ${choices.join(', ')}.`);
    }
    return value as T;
  };
}

/** Commander argument parser: names each checked against `choices`. */
export function choiceListArg<T extends string>(choices: readonly T[]): (value: string) => T[] {
  return (value) => listArg(value).map(choiceArg(choices));
}
