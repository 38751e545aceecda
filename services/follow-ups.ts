// Open follow-ups across agreements, overdue first: the "tenggat" list, answered from the projections.
import { sql, type Kysely } from 'kysely';
import { localDate } from '../domain/dates.js';
import type { Database } from '../schema/database.js';
import { visibleParties, type Principal } from './access.js';
import { partyAndBelow } from './directory.js';
import { isOverdue } from '../domain/deadlines.js';

export interface DeadlineItem {
  agreementId: string;
  agreementTitle: string;
  stage: string;
  id: string;
  title: string;
  ownerPartyId: string;
  due: string;
  overdueOn: string;
  escalationLevel: number;
  overdue: boolean;
}

export async function openFollowUps(
  db: Kysely<Database>,
  principal: Principal,
  q: { overdue?: boolean; partyId?: string; limit: number },
): Promise<DeadlineItem[]> {
  const visible = await visibleParties(db, principal);
  // Overdue means the level-1 escalation day has come: the first working day after the due date.
  const today = localDate(Date.now(), 'Asia/Jakarta');
  let query = db
    .selectFrom(
      sql<{ agreement_id: string; title: string; stage: string; party_ids: string[]; fu: Record<string, unknown> }>`(
      select a.id as agreement_id, a.title, a.stage, a.party_ids, fu
      from agreements a, json_array_elements(a.view->'followUps') fu
      where fu->>'status' = 'open'
    )`.as('f'),
    )
    .selectAll();
  if (q.overdue) query = query.where(sql<boolean>`fu->>'overdueOn' <= ${today}`);
  if (q.partyId) {
    const tree = await partyAndBelow(db, q.partyId);
    query = query.where(sql<boolean>`(fu->>'ownerPartyId' = any(${tree}::text[]) or party_ids && ${tree}::text[])`);
  }
  // A party sees the follow-ups of its agreements, and those it owns in others' (an OPD's under its Pemda's MoU).
  if (visible)
    query = query.where(
      sql<boolean>`(party_ids && ${visible}::text[] or fu->>'ownerPartyId' = any(${visible}::text[]))`,
    );
  const rows = await query
    .orderBy(sql`(fu->>'overdueOn' <= ${today})`, 'desc')
    .orderBy(sql`fu->>'due'`)
    .orderBy('agreement_id')
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({
    agreementId: r.agreement_id,
    agreementTitle: r.title,
    stage: r.stage,
    ...(r.fu as Omit<DeadlineItem, 'agreementId' | 'agreementTitle' | 'stage' | 'overdue'>),
    overdue: isOverdue({ status: 'open', overdueOn: String(r.fu.overdueOn) }, today),
  }));
}
