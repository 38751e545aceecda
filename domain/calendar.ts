// Indonesian working days (hari kerja): no Saturday or Sunday, no national holiday, no cuti bersama.
// The lists are data (config/holidays/<year>.json), handed in by whoever reads them; this module only counts.
import { addDays, isoWeekday } from './dates.js';

export interface HolidayYear {
  year: number;
  status: 'official' | 'provisional';
  holidays: { date: string; name: string }[];
  cutiBersama: { date: string; name: string }[];
}

export interface CalendarData {
  years: HolidayYear[];
}

export class WorkingCalendar {
  private readonly closed = new Map<string, string>();
  private readonly covered = new Set<number>();
  /** Years asked about that the data does not cover; the caller logs them. */
  readonly uncoveredYears = new Set<number>();

  constructor(data: CalendarData) {
    for (const y of data.years) {
      this.covered.add(y.year);
      for (const d of [...y.holidays, ...y.cutiBersama]) this.closed.set(d.date, d.name);
    }
  }

  covers(date: string): boolean {
    return this.covered.has(Number(date.slice(0, 4)));
  }

  /** Why a date is no working day, or undefined when it is one. */
  closedBecause(date: string): string | undefined {
    if (!this.covers(date)) this.uncoveredYears.add(Number(date.slice(0, 4)));
    if (isoWeekday(date) >= 6) return isoWeekday(date) === 6 ? 'Sabtu' : 'Minggu';
    return this.closed.get(date);
  }

  isWorkingDay(date: string): boolean {
    return this.closedBecause(date) === undefined;
  }

  /** The working day `n` working days after `date` (before it when n < 0); n = 0 is `date` itself. */
  addWorkingDays(date: string, n: number): string {
    const step = n < 0 ? -1 : 1;
    let day = date;
    for (let left = Math.abs(n); left > 0; ) {
      day = addDays(day, step);
      if (this.isWorkingDay(day)) left--;
    }
    return day;
  }

  /** The first working day strictly after `date`. */
  nextWorkingDayAfter(date: string): string {
    return this.addWorkingDays(date, 1);
  }

  /** The working day on or before `date`. */
  workingDayOnOrBefore(date: string): string {
    let day = date;
    while (!this.isWorkingDay(day)) day = addDays(day, -1);
    return day;
  }
}

export const EMPTY_CALENDAR: CalendarData = { years: [] };
