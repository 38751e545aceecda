// Reads the holiday lists (config/holidays/<year>.json) that an operator edits without touching code.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CalendarData, HolidayYear } from '../../domain/calendar.js';
import { isCalendarDate } from '../../domain/dates.js';

function checked(file: string, raw: unknown): HolidayYear {
  const y = raw as Partial<HolidayYear>;
  const entries = [...(y.holidays ?? []), ...(y.cutiBersama ?? [])];
  if (typeof y.year !== 'number' || !Array.isArray(y.holidays) || !Array.isArray(y.cutiBersama)) {
    throw new Error(`${file}: needs "year", "holidays" and "cutiBersama"`);
  }
  for (const e of entries) {
    if (!isCalendarDate(e.date) || !e.date.startsWith(`${y.year}-`))
      throw new Error(`${file}: "${e.date}" is not a date in ${y.year}`);
  }
  return {
    year: y.year,
    status: y.status === 'provisional' ? 'provisional' : 'official',
    holidays: y.holidays,
    cutiBersama: y.cutiBersama,
  };
}

export function loadHolidayLists(dir: string, log: Logger, today = new Date()): CalendarData {
  const years = readdirSync(dir)
    .filter((f) => /^\d{4}\.json$/.test(f))
    .sort()
    .map((f) => checked(f, JSON.parse(readFileSync(join(dir, f), 'utf8'))));
  const known = new Set(years.map((y) => y.year));
  const thisYear = today.getUTCFullYear();
  const missing = [thisYear, thisYear + 1].filter((y) => !known.has(y));
  if (missing.length > 0)
    log.warn(
      { holidaysDir: dir, missing },
      'holiday lists missing for these years: working days there count weekends only',
    );
  const provisional = years.filter((y) => y.status === 'provisional').map((y) => y.year);
  if (provisional.length > 0) log.debug({ provisional }, 'provisional holiday lists in use');
  return { years };
}
