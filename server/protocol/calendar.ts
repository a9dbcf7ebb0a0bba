/**
 * Days of a daily check-in, counted in the group's time zone: a member in Shanghai who checks in at
 * 00:30 has a new day, whatever the server's clock zone. Days are 'YYYY-MM-DD' strings, which
 * compare and store as they are.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * Points for day 1…N of a cycle, and a bonus each time the streak reaches a multiple of `bonus.day`.
 * A streak longer than the table keeps counting and its rewards start the cycle again.
 */
export interface RewardTable {
  daily: number[];
  bonus?: { day: number; points: number };
}

/** A week: 1, 1, 2, 2, 3, 3, 5 points, and 10 more on every 7th day in a row (7, 14, 21…). */
export const defaultRewards: RewardTable = { daily: [1, 1, 2, 2, 3, 3, 5], bonus: { day: 7, points: 10 } };

const DAY_MS = 86_400_000;
// Building a DateTimeFormat costs far more than using one, and a server asks for few zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether Intl knows the zone (it throws RangeError on one it does not). */
export function validTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string') return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The 'YYYY-MM-DD' of an instant in `timeZone`, assembled from parts so no locale's layout matters. */
export function dayOf(epochMs: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const parts = formatter(timeZone).formatToParts(epochMs);
  const part = (type: 'year' | 'month' | 'day') => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The calendar day before `day` ('YYYY-MM-DD'): what a streak must have reached to go on today. */
export function previousDay(day: string): string {
  return new Date(utcMidnight(day) - DAY_MS).toISOString().slice(0, 10);
}

function utcMidnight(day: string): number {
  const [, y, m, d] = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) ?? [];
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  // Date.UTC rolls 2026-02-30 over into March; only a day that comes back unchanged is real.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) throw new RangeError(`not a day: ${JSON.stringify(day)}`);
  return ms;
}
