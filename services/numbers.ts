// Parties' registers of document numbers as the doors read them, and the next number each would be given.
import type { Kysely } from 'kysely';
import { formatNumber, numberedParties, numberingPeriod } from '../domain/numbering.js';
import type { AgreementView } from '../domain/view.js';
import type { Database } from '../schema/database.js';
import { visibleParties, type Principal } from './access.js';
import { notFound } from './errors.js';

export interface RegisteredNumber {
  number: string;
  agreementId: string;
  takenAt: string;
  status: 'used' | 'batal';
}

/** One party's register for a year, in the order the numbers were taken: for that party, the one above, an admin. */
export async function numberRegister(
  db: Kysely<Database>,
  principal: Principal,
  partyId: string,
  year: number,
): Promise<RegisteredNumber[]> {
  const party = await db.selectFrom('parties').select('id').where('id', '=', partyId).executeTakeFirst();
  const visible = await visibleParties(db, principal);
  if (!party || (visible && !visible.includes(partyId))) throw notFound(`Pihak "${partyId}"`);
  const rows = await db
    .selectFrom('document_numbers')
    .select(['number', 'agreement_id', 'taken_at', 'status'])
    .where('party_id', '=', partyId)
    .where('year', '=', year)
    .orderBy('taken_at')
    .orderBy('running')
    .orderBy('number')
    .execute();
  return rows.map((r) => ({
    number: r.number,
    agreementId: r.agreement_id,
    takenAt: r.taken_at.toISOString(),
    status: r.status,
  }));
}

/**
 * The registers of several parties at once, for the directory page: this year's, and a later year's where a
 * ceremony planned for next year already took a number.
 */
export async function registersOf(
  db: Kysely<Database>,
  partyIds: string[],
  fromYear: number,
): Promise<Map<string, (RegisteredNumber & { year: number })[]>> {
  const registers = new Map<string, (RegisteredNumber & { year: number })[]>();
  if (partyIds.length === 0) return registers;
  const rows = await db
    .selectFrom('document_numbers')
    .select(['party_id', 'year', 'number', 'agreement_id', 'taken_at', 'status'])
    .where('party_id', 'in', partyIds)
    .where('year', '>=', fromYear)
    .orderBy('year')
    .orderBy('taken_at')
    .orderBy('running')
    .orderBy('number')
    .execute();
  for (const r of rows) {
    const entry = {
      year: r.year,
      number: r.number,
      agreementId: r.agreement_id,
      takenAt: r.taken_at.toISOString(),
      status: r.status,
    };
    registers.set(r.party_id, [...(registers.get(r.party_id) ?? []), entry]);
  }
  return registers;
}

/**
 * The number each party would get if the signing were scheduled on `at` now: shown on the form, never reserved
 * (the append takes the real one, so two forms open at once still get consecutive numbers).
 */
export async function proposedNumbers(
  db: Kysely<Database>,
  view: AgreementView,
  at: string,
): Promise<Record<string, string>> {
  const parties = numberedParties(view.parties);
  if (parties.length === 0) return {};
  const templates = await db
    .selectFrom('parties')
    .select(['id', 'number_template'])
    .where(
      'id',
      'in',
      parties.map((p) => p.partyId),
    )
    .where('number_template', 'is not', null)
    .execute();
  const proposals: Record<string, string> = {};
  for (const { id, number_template: template } of templates) {
    const period = numberingPeriod(at, parties.find((p) => p.partyId === id)!.timeZone);
    const counter = await db
      .selectFrom('document_number_counters')
      .select('last_running')
      .where('party_id', '=', id)
      .where('year', '=', period.year)
      .executeTakeFirst();
    proposals[id] = formatNumber(template!, (counter?.last_running ?? 0) + 1, period);
  }
  return proposals;
}
