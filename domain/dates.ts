// Calendar arithmetic on plain `YYYY-MM-DD` strings and Indonesia's three zones.
import type { TimeZone } from './types.js';

// Indonesia keeps no daylight saving, so each zone is a fixed offset from UTC.
const OFFSET_HOURS: Record<TimeZone, number> = { 'Asia/Jakarta': 7, 'Asia/Makassar': 8, 'Asia/Jayapura': 9 };
const ABBREVIATION: Record<TimeZone, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function zoneAbbreviation(tz: TimeZone): string {
  return ABBREVIATION[tz];
}

export function zoneOffsetHours(tz: TimeZone): number {
  return OFFSET_HOURS[tz];
}

/** True for a real calendar date (refuses 2026-02-31). */
export function isCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

/** True for an ISO-8601 instant with an offset or Z, whose date part is real. */
export function isInstant(value: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  return m !== null && isCalendarDate(m[1]!) && !Number.isNaN(Date.parse(value));
}

function toUtcMidnight(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function fromUtcMidnight(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The date an instant falls on in a zone (23:30 WIB on the 1st is already the 2nd in WIT). */
export function localDate(instant: string | number, tz: TimeZone): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  return fromUtcMidnight(Math.floor((ms + OFFSET_HOURS[tz] * 3_600_000) / DAY_MS) * DAY_MS);
}

/** The instant of `hour`:00 local time on a date in a zone. */
export function localInstant(date: string, tz: TimeZone, hour = 8): string {
  return new Date(toUtcMidnight(date) + (hour - OFFSET_HOURS[tz]) * 3_600_000).toISOString();
}

export function addDays(date: string, days: number): string {
  return fromUtcMidnight(toUtcMidnight(date) + days * DAY_MS);
}

/** Calendar months later; a day past the month's end falls back to its last day (31 Jan + 1 = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1 + months;
  const d = Number(m[3]);
  const lastDay = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
  return fromUtcMidnight(Date.UTC(y, mo, Math.min(d, lastDay)));
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(toUtcMidnight(date)).getUTCDay();
  return day === 0 ? 7 : day;
}

export function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
