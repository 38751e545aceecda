// A holiday folder for tests on a moving clock: holidays are placed relative to "now" and written as the
// operator would write them, so the engine reads them exactly as in production.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HolidayYear } from '../../domain/calendar.js';
import { addDays, isoWeekday } from '../../domain/dates.js';

export class SyntheticHolidays {
  readonly dir = mkdtempSync(join(tmpdir(), 'sinergi-holidays-'));

  constructor(years: number[]) {
    for (const year of years) this.write({ year, status: 'official', holidays: [], cutiBersama: [] });
  }

  private file(year: number): string {
    return join(this.dir, `${year}.json`);
  }

  private write(y: HolidayYear): void {
    writeFileSync(this.file(y.year), JSON.stringify(y, null, 2));
  }

  add(date: string, name = 'Hari libur uji'): void {
    const year = Number(date.slice(0, 4));
    const y: HolidayYear = existsSync(this.file(year))
      ? (JSON.parse(readFileSync(this.file(year), 'utf8')) as HolidayYear)
      : { year, status: 'official', holidays: [], cutiBersama: [] };
    y.holidays.push({ date, name });
    this.write(y);
  }
}

/** The first Monday at least `days` after `date`. */
export function mondayAfter(date: string, days: number): string {
  let d = addDays(date, days);
  while (isoWeekday(d) !== 1) d = addDays(d, 1);
  return d;
}
