// ISO 8601 dates and timestamps as people's files write them: 2012-01-31, 2012/01/31,
// 2012-01-31 14:05, 2012-01-31T14:05:09.5Z, 2012-01-31T14:05+02:00. Day-first and month-first
// forms (01/02/2012) are left alone: they are ambiguous, and a wrong guess silently swaps them.
const DATE =
  /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

const DAY_MS = 86_400_000;

/**
 * The time a date or timestamp cell means, in milliseconds since 1970-01-01 UTC (a time without
 * a zone is read as UTC), or undefined when the text is not one. Impossible dates (2021-02-30)
 * are rejected.
 *
 * @example
 * ```ts
 * parseDate('1970-01-02'); // 86400000
 * parseDate('2012/13/01'); // undefined
 * ```
 */
export function parseDate(text: string): number | undefined {
  const m = DATE.exec(text);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[3], m[4], m[5], m[6], m[7]].map((v) => Number(v ?? 0)) as number[];
  const ms = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s) + Math.round(Number(m[8] ?? 0) * 1000);
  const check = new Date(ms);
  if (check.getUTCMonth() !== (mo as number) - 1 || check.getUTCDate() !== d || (h as number) > 23) return undefined;
  return ms - zoneOffsetMs(m[9]);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60_000;
}

/** The numbers a date becomes: a trend and the calendar cycles a model can learn from. */
export type DatePart = 'days' | 'year' | 'month' | 'dayOfWeek' | 'hour';

/** Every {@link DatePart}, in output order. */
export const DATE_PARTS: readonly DatePart[] = ['days', 'year', 'month', 'dayOfWeek', 'hour'];

/** One part of a time given in ms since the epoch (UTC): days since 1970-01-01 (fractional), year, month 1–12, day of week 0 (Sunday)–6, hour 0–23. */
export function datePart(ms: number, part: DatePart): number {
  const d = new Date(ms);
  switch (part) {
    case 'days':
      return ms / DAY_MS;
    case 'year':
      return d.getUTCFullYear();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'dayOfWeek':
      return d.getUTCDay();
    case 'hour':
      return d.getUTCHours();
  }
}
