// A month of meetings, ceremonies and follow-up due dates across the agreements a person may see: /kalender.
import { sql, type Kysely } from 'kysely';
import { calendarEntries } from '../domain/calendar-entries.js';
import { addDays, addMonths, localDate } from '../domain/dates.js';
import { formatTime } from '../domain/format.js';
import type { Database } from '../schema/database.js';
import { visibleParties, type Principal } from './access.js';
import { initiatorZone } from '../domain/deadlines.js';

/** One line in a day of the month view. */
export interface MonthEntry {
  /** The local day in the agreement's initiator's zone. */
  date: string;
  /** "10.00 WIB", and the instant it stands for; none for a due date. */
  time?: string;
  at?: string;
  kind: 'meeting' | 'signing' | 'follow_up';
  summary: string;
  agreementId: string;
  cancelled: boolean;
}

/** At most this many agreements fill one month; the page says when it shows fewer than there are. */
export const MONTH_AGREEMENTS = 500;

/** `month` is "YYYY-MM". Entries are sorted by day, then by time; due dates first in their day. */
export async function monthEntries(
  db: Kysely<Database>,
  principal: Principal,
  month: string,
): Promise<{ items: MonthEntry[]; capped: boolean }> {
  const first = `${month}-01`;
  const next = addMonths(first, 1);
  // A day either side, so an evening in WIT or a morning in WIB near midnight UTC is not missed.
  const from = `${addDays(first, -1)}T00:00:00Z`;
  const to = `${addDays(next, 1)}T00:00:00Z`;
  const visible = await visibleParties(db, principal);
  let query = db
    .selectFrom('agreements')
    .select(['view', 'party_ids'])
    .where(sql<boolean>`(
    exists (select 1 from json_array_elements(view->'meetings') m
            where (m->>'at')::timestamptz >= ${from} and (m->>'at')::timestamptz < ${to})
    or ((view->'signing'->>'at')::timestamptz >= ${from} and (view->'signing'->>'at')::timestamptz < ${to})
    or exists (select 1 from json_array_elements(view->'followUps') f
               where f->>'status' = 'open' and f->>'due' >= ${first} and f->>'due' < ${next}))`);
  if (visible) {
    query = query.where(sql<boolean>`(party_ids && ${visible}::text[] or exists (
      select 1 from json_array_elements(view->'followUps') o where o->>'ownerPartyId' = any(${visible}::text[])))`);
  }
  const rows = await query
    .orderBy('id')
    .limit(MONTH_AGREEMENTS + 1)
    .execute();
  const entries: MonthEntry[] = [];
  for (const { view, party_ids } of rows.slice(0, MONTH_AGREEMENTS)) {
    const tz = initiatorZone(view);
    // A party of the agreement sees all its due dates; an OPD seeing it through its follow-up, only its own.
    const member = !visible || party_ids.some((p) => visible.includes(p));
    for (const e of calendarEntries(view, (owner) => member || (visible ?? []).includes(owner))) {
      const entry: MonthEntry =
        e.kind === 'follow_up'
          ? { date: e.due, kind: e.kind, summary: e.summary, agreementId: e.agreementId, cancelled: false }
          : {
              date: localDate(e.start, tz),
              time: formatTime(e.start, tz),
              at: e.start,
              kind: e.kind,
              summary: e.summary,
              agreementId: e.agreementId,
              cancelled: e.cancelled !== undefined,
            };
      if (entry.date >= first && entry.date < next) entries.push(entry);
    }
  }
  const instant = (e: MonthEntry) => (e.at ? Date.parse(e.at) : 0);
  const items = entries.sort((a, b) => a.date.localeCompare(b.date) || instant(a) - instant(b));
  return { items, capped: rows.length > MONTH_AGREEMENTS };
}
