// The overview's read models: a row of dates and counts per agreement, and a row per follow-up. Written inline
// with each append (the follow-ups the events touched), or rebuilt from the agreement views.
import { sql, type Insertable, type Kysely } from 'kysely';
import { localDate } from '../../domain/dates.js';
import { initiatorZone, monevPeriods } from '../../domain/deadlines.js';
import type { RecordedEvent } from '../../domain/events.js';
import type { AgreementView } from '../../domain/view.js';
import type { AgreementFactsTable, Database, FollowUpFactsTable } from '../../schema/database.js';
import type { InlineWrite } from '../event-store/append.js';

type FactsRow = Insertable<AgreementFactsTable>;
type FollowUpRow = Insertable<FollowUpFactsTable>;

export function agreementFacts(v: AgreementView): FactsRow {
  const tz = initiatorZone(v);
  const day = (instant: string | undefined) => (instant ? localDate(instant, tz) : null);
  const audiensi = v.meetings
    .filter((m) => m.kind === 'audiensi' && !m.cancelled)
    .map((m) => m.at)
    .sort()[0];
  // The periods the engine reminds of (domain/deadlines.ts); the first reports answer the periods already history.
  const recordedAt = v.stageHistory.find((s) => s.stage === 'active')?.at;
  const periods = v.term ? monevPeriods(v.term, v.policy.reportEveryMonths, tz, recordedAt) : [];
  const history = periods.filter((p) => p.history).length;
  const due = periods.filter((p) => !p.history).map((p) => p.dueOn);
  const received = v.reports.slice(history).map((r) => localDate(r.at, tz));
  return {
    id: v.id,
    title: v.title,
    instrument: v.instrument,
    stage: v.stage,
    initiator_id: v.parties.find((p) => p.role === 'initiator')?.partyId ?? '',
    party_ids: v.parties.map((p) => p.partyId),
    parent_id: v.parentId ?? null,
    first_audiensi_on: day(audiensi),
    draft1_on: day(v.drafts[0]?.submittedAt),
    // All parties approving moves the agreement to signing.
    approved_on: day(v.stageHistory.find((s) => s.stage === 'signing')?.at),
    signed_on: v.term?.start ?? null,
    term_end: v.term?.end ?? null,
    renewal_decided: v.renewal !== undefined,
    published: v.published ?? false,
    report_due_on: due,
    report_received_on: received,
    first_missed_on: firstMissed(due, received),
    created_at: v.createdAt,
  };
}

/** The due day of the first report not received by it: the overview lists the longest missing first. */
export function firstMissed(due: string[], received: string[]): string | null {
  return due.find((d, i) => !(received[i] !== undefined && received[i]! <= d)) ?? null;
}

const updatedFromExcluded = (c: string) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`;

/**
 * The upsert's guard: a row whose facts an event left as they were is not written again. A reminder or an e-mail
 * receipt names its follow-up but changes none of these columns; rewriting the row would leave a dead tuple, its
 * WAL and its index entries for nothing (ten follow-ups reminded at 08:00 are twenty such rows).
 */
const changed = (table: string, columns: readonly string[]) =>
  sql`(${sql.join(columns.map((c) => sql.ref(`${table}.${c}`)))}) is distinct from (${sql.join(
    columns.map((c) => sql.ref(`excluded.${c}`)),
  )})`;

export function followUpFacts(v: AgreementView, only?: Set<string>): FollowUpRow[] {
  const tz = initiatorZone(v);
  const fired = (level: number) => (f: AgreementView['followUps'][number]) => {
    const at = f.escalations.find((e) => e.level === level)?.firedAt;
    return at ? localDate(at, tz) : null;
  };
  return v.followUps
    .filter((f) => !only || only.has(f.id))
    .map((f) => ({
      follow_up_id: f.id,
      agreement_id: v.id,
      party_ids: v.parties.map((p) => p.partyId),
      title: f.title,
      owner_party_id: f.ownerPartyId,
      status: f.status,
      due: f.due,
      overdue_on: f.overdueOn,
      escalation_level: f.escalationLevel,
      level1_on: fired(1)(f),
      level2_on: fired(2)(f),
    }));
}

const FACT_COLUMNS = [
  'title',
  'instrument',
  'stage',
  'initiator_id',
  'party_ids',
  'parent_id',
  'first_audiensi_on',
  'draft1_on',
  'approved_on',
  'signed_on',
  'term_end',
  'renewal_decided',
  'published',
  'report_due_on',
  'report_received_on',
  'first_missed_on',
] as const;
const FOLLOW_UP_COLUMNS = [
  'agreement_id',
  'title',
  'owner_party_id',
  'status',
  'due',
  'overdue_on',
  'escalation_level',
  'level1_on',
  'level2_on',
  'party_ids',
] as const;

/** The follow-ups these events name: only their rows are written. */
const touched = (events: RecordedEvent[]): Set<string> =>
  new Set(
    events.flatMap((e) => {
      const id = (e.data as { followUpId?: unknown }).followUpId;
      return typeof id === 'string' ? [id] : [];
    }),
  );

export function projectOverview(view: AgreementView, events: RecordedEvent[]): InlineWrite[] {
  const f = agreementFacts(view);
  const writes: InlineWrite[] = [
    (cas) => sql`
    insert into agreement_facts (id, ${sql.join(FACT_COLUMNS.map((c) => sql.ref(c)))}, created_at)
    select r.id, ${sql.join(FACT_COLUMNS.map((c) => sql.ref(`r.${c}`)))}, r.created_at
    from jsonb_populate_record(null::agreement_facts, ${JSON.stringify(f)}::jsonb) r, ${cas}
    on conflict (id) do update set ${sql.join(FACT_COLUMNS.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}
    where ${changed('agreement_facts', FACT_COLUMNS)}
    returning id`,
  ];
  const rows = followUpFacts(view, touched(events));
  if (rows.length) {
    writes.push(
      (cas) => sql`
      insert into follow_up_facts (follow_up_id, ${sql.join(FOLLOW_UP_COLUMNS.map((c) => sql.ref(c)))})
      select r.follow_up_id, ${sql.join(FOLLOW_UP_COLUMNS.map((c) => sql.ref(`r.${c}`)))}
      from jsonb_populate_recordset(null::follow_up_facts, ${JSON.stringify(rows)}::jsonb) r, ${cas}
      on conflict (follow_up_id) do update set ${sql.join(FOLLOW_UP_COLUMNS.map(updatedFromExcluded))}
      where ${changed('follow_up_facts', FOLLOW_UP_COLUMNS)}
      returning follow_up_id`,
    );
  }
  return writes;
}

/**
 * Rewrites both read models from the agreement views (after `rebuildAgreements`, or on an upgrade), a batch at a time.
 */
export async function rebuildOverview(db: Kysely<Database>, batchSize = 500): Promise<number> {
  let count = 0;
  let after = '';
  await db.deleteFrom('follow_up_facts').execute();
  for (;;) {
    // The trigger keeps the counts as rows change; the refresh at the end also takes in directory edits.
    const batch = await db
      .selectFrom('agreements')
      .select(['id', 'view'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (batch.length === 0) {
      await sql`select overview_counts_refresh()`.execute(db);
      return count;
    }
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('agreement_facts')
        .values(batch.map((b) => agreementFacts(b.view)))
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => Object.fromEntries(FACT_COLUMNS.map((c) => [c, eb.ref(`excluded.${c}`)]))),
        )
        .execute();
      const rows = batch.flatMap((b) => followUpFacts(b.view));
      for (let i = 0; i < rows.length; i += 1000)
        await tx
          .insertInto('follow_up_facts')
          .values(rows.slice(i, i + 1000))
          .execute();
    });
    count += batch.length;
    after = batch.at(-1)!.id;
  }
}

/** After an upgrade that added the overview: fills it from the views when it lacks agreements. */
export async function backfillOverview(db: Kysely<Database>): Promise<number> {
  const count = async (table: 'agreements' | 'agreement_facts') =>
    Number((await db.selectFrom(table).select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  return (await count('agreement_facts')) < (await count('agreements')) ? rebuildOverview(db) : 0;
}
