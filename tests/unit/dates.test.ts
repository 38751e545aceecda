import { describe, expect, it } from 'vitest';
import { addMonths, isCalendarDate, isInstant, localDate, localInstant } from '../../domain/dates.js';
import { formatInstant } from '../../domain/format.js';

describe('dates', () => {
  it('refuses impossible calendar dates', () => {
    expect(isCalendarDate('2026-02-31')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-2-3')).toBe(false);
    expect(isInstant('2026-02-30T09:00:00+07:00')).toBe(false);
    expect(isInstant('2026-02-06T09:00:00+07:00')).toBe(true);
  });
  it("reads a date in the party's zone: 23:30 WIB is already the next day in WIT", () => {
    expect(localDate('2026-02-08T23:30:00+07:00', 'Asia/Jakarta')).toBe('2026-02-08');
    expect(localDate('2026-02-08T23:30:00+07:00', 'Asia/Jayapura')).toBe('2026-02-09');
    expect(localDate('2026-02-08T23:30:00+09:00', 'Asia/Jakarta')).toBe('2026-02-08');
  });
  it('finds 08:00 local time on a date', () => {
    expect(localInstant('2026-08-18', 'Asia/Jakarta')).toBe('2026-08-18T01:00:00.000Z');
    expect(localInstant('2026-08-18', 'Asia/Makassar')).toBe('2026-08-18T00:00:00.000Z');
    expect(localInstant('2026-08-18', 'Asia/Jayapura')).toBe('2026-08-17T23:00:00.000Z');
  });
  it('adds months, falling back to the month end', () => {
    expect(addMonths('2026-04-27', 60)).toBe('2031-04-27');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
  });
  it('writes dates as Indonesians say them', () => {
    expect(formatInstant('2026-04-27T10:00:00+07:00', 'Asia/Jakarta')).toBe('Senin, 27 April 2026, 10.00 WIB');
    expect(formatInstant('2026-02-09T08:00:00+09:00', 'Asia/Jayapura')).toBe('Senin, 9 Februari 2026, 08.00 WIT');
  });
});
