// The shipped holiday lists, read the way an operator keeps them.
import { readFileSync, readdirSync } from 'node:fs';
import { WorkingCalendar, type HolidayYear } from '../../domain/calendar.js';

const dir = new URL('../../config/holidays/', import.meta.url);

export function officialCalendar(): WorkingCalendar {
  return new WorkingCalendar({
    years: readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as HolidayYear),
  });
}
