import { describe, expect, it } from 'vitest';
import { localDate } from '../../domain/dates.js';
import { officialCalendar } from './official-calendar.js';

const cal = officialCalendar();

describe('working days', () => {
  it('skips weekends', () => {
    expect(cal.isWorkingDay('2026-02-07')).toBe(false); // Saturday
    expect(cal.isWorkingDay('2026-02-08')).toBe(false); // Sunday
    expect(cal.addWorkingDays('2026-02-06', 1)).toBe('2026-02-09'); // Friday + 1 = Monday
    expect(cal.addWorkingDays('2026-02-09', -1)).toBe('2026-02-06');
  });

  it('skips the fixed national holidays', () => {
    for (const date of ['2026-01-01', '2026-05-01', '2026-06-01', '2026-08-17', '2026-12-25']) {
      expect(cal.closedBecause(date), date).toBeTruthy();
    }
    expect(cal.closedBecause('2026-08-17')).toBe('Hari Kemerdekaan Republik Indonesia');
  });

  it('closes the whole Idul Fitri week of 2026 with its cuti bersama', () => {
    // Wed 18 Mar (cuti Nyepi), Thu 19 (Nyepi), Fri 20 (cuti), Sat 21-Sun 22 (Idul Fitri), Mon 23-Tue 24 (cuti)
    for (const date of [
      '2026-03-18',
      '2026-03-19',
      '2026-03-20',
      '2026-03-21',
      '2026-03-22',
      '2026-03-23',
      '2026-03-24',
    ]) {
      expect(cal.isWorkingDay(date), date).toBe(false);
    }
    expect(cal.nextWorkingDayAfter('2026-03-17')).toBe('2026-03-25');
    expect(cal.addWorkingDays('2026-03-16', 3)).toBe('2026-03-26');
  });

  it('counts across a year boundary', () => {
    // Thu 24 Dec 2026 cuti, Fri 25 Natal, weekend, Mon 28 ... Thu 31, Fri 1 Jan 2027 holiday
    expect(cal.addWorkingDays('2026-12-23', 1)).toBe('2026-12-28');
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    expect(cal.addWorkingDays('2027-01-04', -1)).toBe('2026-12-31');
  });

  it("reads a date in the owner's zone across WIB and WIT", () => {
    const instant = '2026-08-16T23:30:00+07:00';
    expect(localDate(instant, 'Asia/Jakarta')).toBe('2026-08-16');
    expect(localDate(instant, 'Asia/Jayapura')).toBe('2026-08-17');
    // 23:30 WIT on Friday 14 Aug is still Friday afternoon in WIB
    expect(localDate('2026-08-14T23:30:00+09:00', 'Asia/Jakarta')).toBe('2026-08-14');
  });

  it('notes the years it has no data for', () => {
    const c = officialCalendar();
    c.addWorkingDays('2031-04-25', 1);
    expect([...c.uncoveredYears]).toEqual([2031]);
    expect(c.isWorkingDay('2031-04-28')).toBe(true); // a Monday, weekends still known
  });
});
