// Document numbers: the template, the period a number belongs to, and what a step does to a party's register.
import { describe, expect, it } from 'vitest';
import {
  formatNumber,
  numberingPeriod,
  registerChanges,
  templateProblem,
  withTakenNumbers,
} from '../../domain/numbering.js';
import type { AgreementParty, CeremonySigning } from '../../domain/types.js';

const parties: AgreementParty[] = [
  { partyId: 'lapas', role: 'initiator', timeZone: 'Asia/Jakarta' },
  { partyId: 'pemkot-ambon', role: 'counterpart', timeZone: 'Asia/Jayapura' },
];
const signing = (
  at: string,
  documentNumbers: Record<string, string>,
  extra: Partial<CeremonySigning> = {},
): CeremonySigning => ({
  at,
  venue: 'Aula',
  signatories: [],
  guests: [],
  rescheduled: 0,
  documentNumbers,
  ...extra,
});

describe('number templates', () => {
  it('writes the running number, the year and the month in Roman numerals', () => {
    expect(formatNumber('W.11.PAS.PAS.10-HM.05.02-{nomor}', 123, { year: 2026, month: 3 })).toBe(
      'W.11.PAS.PAS.10-HM.05.02-123',
    );
    expect(formatNumber('000.8.3.3/{nomor}/Bag.Kerjasama/{tahun}', 15, { year: 2026, month: 3 })).toBe(
      '000.8.3.3/15/Bag.Kerjasama/2026',
    );
    expect(formatNumber('180/{nomor}/PKS/{bulan}/{tahun}', 4, { year: 2027, month: 12 })).toBe('180/4/PKS/XII/2027');
  });
  it('needs {nomor} and knows no other placeholder than {tahun} and {bulan}', () => {
    expect(templateProblem('180/PKS/{tahun}')).toContain('{nomor}');
    expect(templateProblem('180/{nomor}/{kode}')).toContain('{kode}');
    expect(templateProblem('180/{nomor}/{bulan}/{tahun}')).toBeUndefined();
  });
  it("counts the year of the signing day in the party's own zone", () => {
    // 31 December 23:30 WIB is already 1 January in Ambon (WIT).
    expect(numberingPeriod('2026-12-31T23:30:00+07:00', 'Asia/Jakarta')).toEqual({ year: 2026, month: 12 });
    expect(numberingPeriod('2026-12-31T23:30:00+07:00', 'Asia/Jayapura')).toEqual({ year: 2027, month: 1 });
  });
});

describe('register changes', () => {
  it('takes the numbers a scheduling states, with their running numbers', () => {
    const { taken, voided } = registerChanges(
      undefined,
      signing('2026-12-10T10:00:00+07:00', { lapas: 'W/1', 'pemkot-ambon': '180/1/2026' }),
      parties,
      { lapas: 1 },
    );
    expect(taken).toEqual([
      { partyId: 'lapas', number: 'W/1', year: 2026, running: 1 },
      { partyId: 'pemkot-ambon', number: '180/1/2026', year: 2026 },
    ]);
    expect(voided).toEqual([]);
  });
  it('keeps a number across a new date, even into the next year', () => {
    const before = signing('2026-12-10T10:00:00+07:00', { lapas: 'W/1' });
    expect(registerChanges(before, signing('2027-01-10T10:00:00+07:00', { lapas: 'W/1' }), parties)).toEqual({
      taken: [],
      voided: [],
    });
  });
  it('marks a replaced number batal and takes the new one', () => {
    const before = signing('2026-12-10T10:00:00+07:00', { lapas: 'W/1' });
    expect(registerChanges(before, signing('2026-12-10T10:00:00+07:00', { lapas: 'W/9' }), parties)).toEqual({
      taken: [{ partyId: 'lapas', number: 'W/9', year: 2026 }],
      voided: [{ partyId: 'lapas', number: 'W/1' }],
    });
  });
  it('marks every number batal when the signing is called off before it took place', () => {
    const before = signing('2026-12-10T10:00:00+07:00', { lapas: 'W/1', 'pemkot-ambon': '180/1' });
    const after = { ...before, cancelled: { reason: 'berakhir', at: '2026-12-05T00:00:00Z' } };
    expect(registerChanges(before, after, parties).voided).toEqual([
      { partyId: 'lapas', number: 'W/1' },
      { partyId: 'pemkot-ambon', number: '180/1' },
    ]);
  });
  it('fills the numbers the append took into the stored event, without the request', () => {
    const event = {
      type: 'SigningScheduled' as const,
      data: {
        at: 'x',
        venue: 'v',
        signatories: [],
        guests: [],
        documentNumbers: { 'pemkot-ambon': '180/1' },
        numbersToTake: ['lapas'],
      },
    };
    expect(withTakenNumbers(event, { documentNumbers: { lapas: 'W/2' }, runningNumbers: { lapas: 2 } }).data).toEqual({
      at: 'x',
      venue: 'v',
      signatories: [],
      guests: [],
      documentNumbers: { 'pemkot-ambon': '180/1', lapas: 'W/2' },
      runningNumbers: { lapas: 2 },
    });
  });
});
