// Parties' registers of document numbers: taken inside the append's transaction, so a number exists only with
// the event that states it, and two agreements numbered at once wait for each other and get consecutive numbers.
import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../../domain/events.js';
import { evolve, initialState } from '../../domain/evolve.js';
import {
  formatNumber,
  isScheduling,
  NUMBERING_EVENTS,
  numberingPeriod,
  registerChanges,
  withTakenNumbers,
  type RegisterEntry,
  type TakenNumbers,
} from '../../domain/numbering.js';
import type { AgreementParty, Signing } from '../../domain/types.js';
import type { Database } from '../../schema/database.js';
import { toRecordedEvent } from '../event-store/read.js';

/** A number the same party already used that year. */
export class NumberTakenError extends Error {
  override readonly name = 'NumberTakenError';
  constructor(
    readonly partyId: string,
    readonly partyName: string,
    readonly number: string,
  ) {
    super(
      `Nomor ${number} sudah dipakai ${partyName} tahun ini; tulis nomor lain atau kosongkan untuk nomor berikutnya.`,
    );
  }
}

export const changesNumbers = (events: RecordedEvent[]): boolean => events.some((e) => NUMBERING_EVENTS.has(e.type));

/** A guard against a template that writes the same number for every running number (no {nomor} would). */
const MAX_SKIPS = 1000;

/** The next running number of a party's year; the row stays locked until the transaction ends. */
async function nextRunning(trx: Kysely<Database>, partyId: string, year: number): Promise<number> {
  const { rows } = await sql<{ last_running: number }>`
    insert into document_number_counters (party_id, year, last_running) values (${partyId}, ${year}, 1)
    on conflict (party_id, year) do update set last_running = document_number_counters.last_running + 1
    returning last_running`.execute(trx);
  return rows[0]!.last_running;
}

async function isInRegister(trx: Kysely<Database>, partyId: string, year: number, number: string): Promise<boolean> {
  const row = await trx
    .selectFrom('document_numbers')
    .select('number')
    .where('party_id', '=', partyId)
    .where('year', '=', year)
    .where('number', '=', number)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Fills the numbers a scheduling asked for from each party's template; a party without one gets none (its number
 * is written when the signing is recorded). A number written by hand that fits the template is stepped over.
 */
export async function takeNumbers(
  trx: Kysely<Database>,
  events: RecordedEvent[],
  parties: AgreementParty[],
): Promise<{ events: RecordedEvent[]; taken?: TakenNumbers }> {
  const asking = events.find(isScheduling);
  const wanted = asking?.data.numbersToTake ?? [];
  if (!asking || wanted.length === 0)
    return { events: events.map((e) => withTakenNumbers(e, { documentNumbers: {}, runningNumbers: {} })) };
  const templates = await trx
    .selectFrom('parties')
    .select(['id', 'number_template'])
    .where('id', 'in', wanted)
    .execute();
  const taken: TakenNumbers = { documentNumbers: {}, runningNumbers: {} };
  for (const { id, number_template: template } of templates) {
    if (!template) continue;
    const zone = parties.find((p) => p.partyId === id)?.timeZone ?? 'Asia/Jakarta';
    // A ceremony's numbers count in its year; an electronic round's in the year it begins.
    const period = numberingPeriod('at' in asking.data ? asking.data.at : asking.meta.occurredAt, zone);
    for (let skips = 0; skips < MAX_SKIPS; skips++) {
      const running = await nextRunning(trx, id, period.year);
      const number = formatNumber(template, running, period);
      if (await isInRegister(trx, id, period.year, number)) continue;
      taken.documentNumbers[id] = number;
      taken.runningNumbers[id] = running;
      break;
    }
  }
  return { events: events.map((e) => withTakenNumbers(e, taken)), taken };
}

/** Writes what one append does to the registers; a number another agreement holds refuses the whole append. */
export async function registerNumbers(
  trx: Kysely<Database>,
  agreementId: string,
  before: Signing | undefined,
  after: Signing | undefined,
  parties: AgreementParty[],
  events: RecordedEvent[],
): Promise<void> {
  const running = events
    .filter(isScheduling)
    .reduce<Record<string, number>>((all, e) => ({ ...all, ...e.data.runningNumbers }), {});
  const { taken, voided } = registerChanges(before, after, parties, running);
  const at = events[0]?.meta.occurredAt ?? new Date().toISOString();
  for (const v of voided) {
    await trx
      .updateTable('document_numbers')
      .set({ status: 'batal' })
      .where('party_id', '=', v.partyId)
      .where('number', '=', v.number)
      .where('agreement_id', '=', agreementId)
      .execute();
  }
  for (const t of taken) await take(trx, agreementId, t, at);
}

async function take(trx: Kysely<Database>, agreementId: string, t: RegisterEntry, at: string): Promise<void> {
  const inserted = await trx
    .insertInto('document_numbers')
    .values({
      party_id: t.partyId,
      year: t.year,
      number: t.number,
      running: t.running ?? null,
      agreement_id: agreementId,
      taken_at: at,
      status: 'used',
    })
    .onConflict((oc) => oc.columns(['party_id', 'year', 'number']).doNothing())
    .returning('number')
    .executeTakeFirst();
  if (inserted) return;
  // Its own number given up earlier and written again is used once more; anyone else's is refused.
  const own = await trx
    .updateTable('document_numbers')
    .set({ status: 'used' })
    .where('party_id', '=', t.partyId)
    .where('year', '=', t.year)
    .where('number', '=', t.number)
    .where('agreement_id', '=', agreementId)
    .returning('number')
    .executeTakeFirst();
  if (own) return;
  const party = await trx.selectFrom('parties').select('name').where('id', '=', t.partyId).executeTakeFirst();
  throw new NumberTakenError(t.partyId, party?.name ?? t.partyId, t.number);
}

/** Rewrites every register from the events (after a restore, or to check one): the same numbers, the same order. */
export async function rebuildNumberRegister(db: Kysely<Database>): Promise<number> {
  const streams = await db
    .selectFrom('events')
    .select('stream_id')
    .distinct()
    .where('type', 'in', [...NUMBERING_EVENTS])
    .execute();
  const rows = new Map<string, RegisterEntry & { agreementId: string; takenAt: string; status: 'used' | 'batal' }>();
  for (const { stream_id: id } of streams) {
    const events = (
      await db
        .selectFrom('events')
        .select(['event_id', 'type', 'data', 'metadata'])
        .where('stream_id', '=', id)
        .orderBy('version')
        .execute()
    ).map(toRecordedEvent);
    let state = initialState(id);
    for (const event of events) {
      const before = state.signing;
      state = evolve(state, event);
      if (!NUMBERING_EVENTS.has(event.type)) continue;
      const running = isScheduling(event) ? event.data.runningNumbers : undefined;
      const { taken, voided } = registerChanges(before, state.signing, state.parties, running);
      for (const v of voided) {
        for (const [key, row] of rows) {
          if (row.agreementId === id && row.partyId === v.partyId && row.number === v.number)
            rows.set(key, { ...row, status: 'batal' });
        }
      }
      for (const t of taken) {
        rows.set(`${t.partyId}|${t.year}|${t.number}`, {
          ...t,
          agreementId: id,
          takenAt: event.meta.occurredAt,
          status: 'used',
        });
      }
    }
  }
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('document_numbers').execute();
    await trx.deleteFrom('document_number_counters').execute();
    const values = [...rows.values()].map((r) => ({
      party_id: r.partyId,
      year: r.year,
      number: r.number,
      running: r.running ?? null,
      agreement_id: r.agreementId,
      taken_at: r.takenAt,
      status: r.status,
    }));
    for (let i = 0; i < values.length; i += 1000)
      await trx
        .insertInto('document_numbers')
        .values(values.slice(i, i + 1000))
        .execute();
    await sql`insert into document_number_counters (party_id, year, last_running)
      select party_id, year, max(running) from document_numbers where running is not null group by party_id,
        year`.execute(trx);
  });
  return rows.size;
}

/** When an earlier try already stored this step: the numbers its scheduling took (none for other steps). */
export async function storedNumbers(
  db: Kysely<Database>,
  events: RecordedEvent[],
): Promise<{ taken?: TakenNumbers } | undefined> {
  const first = events[0];
  if (!first) return undefined;
  const stored = await db
    .selectFrom('events')
    .select(['event_id', 'type', 'data', 'metadata'])
    .where(
      'event_id',
      'in',
      events.map((e) => e.id),
    )
    .execute();
  if (stored.length === 0) return undefined;
  const scheduling = stored.map(toRecordedEvent).find(isScheduling);
  const running = scheduling?.data.runningNumbers;
  if (!scheduling || !running) return {};
  const documentNumbers = Object.fromEntries(
    Object.keys(running).map((id) => [id, scheduling.data.documentNumbers![id]!]),
  );
  return { taken: { documentNumbers, runningNumbers: running } };
}
