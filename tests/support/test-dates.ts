// Dates for tests that run against a real clock (the real stack, the time-skipping server): computed from that
// clock when the test starts, with the project's own working-day calendar, so the calendar never overtakes them.
import { addDays, localDate } from '../../domain/dates.js';
import type { TimeZone } from '../../domain/types.js';
import { officialCalendar } from '../unit/official-calendar.js';

export interface TestDates {
  /** Today in the zone, as `YYYY-MM-DD`. */
  readonly today: string;
  /** `n` calendar days from today (before it when n < 0). */
  days(n: number): string;
  /** `n` working days from today (before it when n < 0): never a weekend or a holiday. */
  workingDays(n: number): string;
  /** The instant of a local time on a date in the zone, with its offset, as `YYYY-MM-DDT09:00:00+07:00`. */
  at(date: string, time?: string): string;
}

const OFFSET: Record<TimeZone, string> = {
  'Asia/Jakarta': '+07:00',
  'Asia/Makassar': '+08:00',
  'Asia/Jayapura': '+09:00',
};

/** Dates relative to `nowMs` (the real clock unless a test controls one, such as the time-skipping server's). */
export function datesFrom(nowMs: number, tz: TimeZone = 'Asia/Jakarta'): TestDates {
  const calendar = officialCalendar();
  const today = localDate(nowMs, tz);
  return {
    today,
    days: (n) => addDays(today, n),
    workingDays: (n) => calendar.addWorkingDays(today, n),
    at: (date, time = '09:00') => `${date}T${time}:00${OFFSET[tz]}`,
  };
}

/** Read once when the test file loads: every date in a file agrees with every other. */
export const dates = datesFrom(Date.now());
