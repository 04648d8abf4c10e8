import { InvalidArgumentError, Option } from 'commander';
import { closest } from '../index.js';

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

/** Commander argument parser: one of `choices` (a near miss is named: `did you mean balanced?`). */
export function choiceArg<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) {
      const near = closest(value, choices);
      throw new InvalidArgumentError(
        `expected one of: ${choices.join(', ')}${near === undefined ? '' : `; did you mean ${near}?`}.`,
      );
    }
    return value as T;
  };
}

/** Commander argument parser: names each checked against `choices`. */
export function choiceListArg<T extends string>(choices: readonly T[]): (value: string) => T[] {
  return (value) => listArg(value).map(choiceArg(choices));
}

/**
 * Words other CLIs use to switch an output off (or on). As the value of an output-file option
 * they are taken as a mistake, not as a file name: `--report false` would otherwise write a file
 * named `false`. Matched case-insensitively; `./false` still names such a file.
 */
export const SWITCH_WORDS: readonly string[] = ['false', 'true', 'no', 'yes', 'off', 'on', 'none', 'null', '0', '1'];

/**
 * Commander argument parser for an option that names a file to write (`--out`, `--report`,
 * `--plot`, `--chart`): rejects an empty value and the {@link SWITCH_WORDS} with a usage error
 * (exit 2) that says how to skip the file, e.g.
 * `--report expects a file name; use --no-report to skip the report`.
 *
 * @param flag the option, e.g. `'--report'`.
 * @param skip how to do without the file, e.g. `'use --no-report to skip the report'`.
 */
export function outputFileArg(flag: string, skip: string): (value: string) => string {
  return (value) => {
    const word = value.trim().toLowerCase();
    if (word === '') throw new InvalidArgumentError(`${flag} expects a file name; ${skip}.`);
    if (SWITCH_WORDS.includes(word)) {
      throw new InvalidArgumentError(
        `${flag} expects a file name; ${skip}. To write a file named ${JSON.stringify(value)}, give it as ./${value}.`,
      );
    }
    return value;
  };
}

/** The values of `--class-weight`. */
export const CLASS_WEIGHT_CHOICES = ['balanced', 'none'] as const;
/** A value of `--class-weight`. */
export type ClassWeightOption = (typeof CLASS_WEIGHT_CHOICES)[number];

/** `--class-weight balanced|none` (`train`, `cv`, `tune`): classification only; the default is none. */
export function classWeightOption(): Option {
  return new Option(
    '--class-weight <how>',
    "classes: 'balanced' weighs each class by n_rows / (n_classes * its rows), so rare classes count as much as common ones; 'none' (default)",
  ).argParser(choiceArg(CLASS_WEIGHT_CHOICES));
}
