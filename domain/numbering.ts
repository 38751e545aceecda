// Document numbers the way offices write them: a party's template, its running number, the year and the month.
import { localDate } from './dates.js';
import type { DomainEvent } from './events.js';
import { signingInstant, type AgreementParty, type Signing, type TimeZone } from './types.js';

/** The placeholders a template may hold (API.md "Many PKS and document numbers"). */
export const NUMBER_PLACEHOLDERS = ['{nomor}', '{tahun}', '{bulan}'] as const;

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'] as const;

/** Why a template cannot be used, or undefined when it can. */
export function templateProblem(template: string): string | undefined {
  // A NUL would reach the database; a lone surrogate is no text at all.
  if (/[\u0000-\u001f\u007f\ud800-\udfff]/.test(template)) return 'Templat nomor berisi karakter yang tidak diizinkan.';
  if (!template.includes('{nomor}')) return 'Templat nomor harus memuat {nomor} (nomor urut).';
  const unknown = template.match(/\{[^}]*\}/g)?.find((p) => !(NUMBER_PLACEHOLDERS as readonly string[]).includes(p));
  if (unknown) return `Templat nomor memuat ${unknown}; yang dikenal hanya {nomor}, {tahun} dan {bulan}.`;
  return undefined;
}

/** The year and month a number belongs to: the signing day, in the party's own zone. */
export function numberingPeriod(signingAt: string, tz: TimeZone): { year: number; month: number } {
  const [year, month] = localDate(signingAt, tz).split('-').map(Number) as [number, number];
  return { year, month };
}

/** One number from a template: `000.8.3.3/{nomor}/Bag.Kerjasama/{tahun}` with 15 in March 2026 is `…/15/…/2026`. */
export function formatNumber(template: string, running: number, period: { year: number; month: number }): string {
  return template
    .replaceAll('{nomor}', String(running))
    .replaceAll('{tahun}', String(period.year))
    .replaceAll('{bulan}', ROMAN[period.month - 1]!);
}

/** The parties whose number stands on the document: every party but a witness. */
export function numberedParties(parties: AgreementParty[]): AgreementParty[] {
  return parties.filter((p) => p.role !== 'witness');
}

/** The numbers the append took from the parties' templates, as it hands them back to the workflow. */
export interface TakenNumbers {
  documentNumbers: Record<string, string>;
  runningNumbers: Record<string, number>;
}

type Scheduling = Extract<
  DomainEvent,
  { type: 'SigningScheduled' | 'SigningRescheduled' | 'ElectronicSigningStarted' }
>;

/** An event that sets the numbers a signing carries: a ceremony scheduled or moved, an electronic round begun. */
export const isScheduling = <E extends DomainEvent>(e: E): e is E & Scheduling =>
  e.type === 'SigningScheduled' || e.type === 'SigningRescheduled' || e.type === 'ElectronicSigningStarted';

/** A scheduling event as it is stored: the numbers it asked for filled in, the request itself gone. */
export function withTakenNumbers<E extends DomainEvent>(event: E, taken: TakenNumbers): E {
  if (!isScheduling(event)) return event;
  const { numbersToTake: _asked, ...data } = event.data;
  const documentNumbers = { ...data.documentNumbers, ...taken.documentNumbers };
  const runningNumbers = { ...data.runningNumbers, ...taken.runningNumbers };
  return {
    ...event,
    data: {
      ...data,
      ...(Object.keys(documentNumbers).length ? { documentNumbers } : {}),
      ...(Object.keys(runningNumbers).length ? { runningNumbers } : {}),
    },
  };
}

/** The events after which a party's register may change. */
export const NUMBERING_EVENTS = new Set<DomainEvent['type']>([
  'SigningScheduled',
  'SigningRescheduled',
  'ElectronicSigningStarted',
  'SigningRecorded',
  'SigningCancelled',
]);

/** One line of a party's register. */
export interface RegisterEntry {
  partyId: string;
  year: number;
  number: string;
  running?: number;
}

/** The numbers that stand for an agreement: none once its signing was called off before it took place. */
function standing(signing: Signing | undefined): Record<string, string> {
  if (!signing || (signing.cancelled && !signing.signedAt)) return {};
  return signing.documentNumbers ?? {};
}

/**
 * What one step of an agreement does to its parties' registers: numbers it takes, and numbers it gives up, which
 * stay in the register marked batal (no silent gaps). A number kept across a new date keeps its year.
 */
export function registerChanges(
  before: Signing | undefined,
  after: Signing | undefined,
  parties: AgreementParty[],
  running: Record<string, number> = {},
): { taken: RegisterEntry[]; voided: Omit<RegisterEntry, 'year' | 'running'>[] } {
  const was = standing(before);
  const now = standing(after);
  const zone = (partyId: string) => parties.find((p) => p.partyId === partyId)?.timeZone ?? 'Asia/Jakarta';
  const taken: RegisterEntry[] = [];
  // A given-up number is found by its agreement: it keeps the year it was taken in, whatever the date became.
  const voided = Object.entries(was)
    .filter(([partyId, number]) => now[partyId] !== number)
    .map(([partyId, number]) => ({ partyId, number }));
  for (const [partyId, number] of Object.entries(now)) {
    if (was[partyId] === number) continue;
    const year = numberingPeriod(signingInstant(after!), zone(partyId)).year;
    taken.push({ partyId, number, year, ...(running[partyId] !== undefined ? { running: running[partyId] } : {}) });
  }
  return { taken, voided };
}
