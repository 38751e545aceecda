// The overview a head reports upward: where every agreement stands, how fast they move, who is late, what
// expires, monev kept, and PKS coverage. Read from the overview's own read models, scoped to what the caller sees.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { addDays, localDate } from '../domain/dates.js';
import { STAGES } from '../domain/types.js';
import type { Database } from '../schema/database.js';
import { visibleParties, type Principal } from './access.js';
import { partyAndBelow } from './directory.js';

export interface OverviewFilter {
  partyId?: string;
  from?: string;
  to?: string;
}
export interface Percentiles {
  count: number;
  median: number | null;
  p75: number | null;
}
export interface FollowUpCounts {
  open: number;
  overdue: number;
  level1: number;
  level2: number;
}

export interface Overview {
  today: string;
  filter: OverviewFilter;
  agreements: {
    total: number;
    byStage: Record<string, number>;
    byInstrument: Record<string, number>;
    byInstitution: { partyId: string; name: string; kind: string; total: number; byStage: Record<string, number> }[];
  };
  speed: { year: number; audiensiToSigning: Percentiles; draftToApproval: Percentiles }[];
  followUps: FollowUpCounts & { byParty: (FollowUpCounts & { partyId: string; name: string })[] };
  escalationsByMonth: { month: string; level1: number; level2: number }[];
  expiring: { id: string; title: string; termEnd: string; daysLeft: number }[];
  expiringByMonth: { month: string; count: number }[];
  monev: {
    due: number;
    onTime: number;
    percent: number | null;
    byAgreement: { id: string; title: string; due: number; onTime: number; percent: number | null }[];
  };
  pksCoverage: {
    id: string;
    title: string;
    started: number;
    signed: number;
    notSigned: { id: string; partyId: string; name: string }[];
  }[];
}

export const EXPIRING_DAYS = 90;
const SIGNED = ['active', 'ended'];

/** The agreements this caller may see, narrowed by the filter: a condition on `agreement_facts as a`. */
async function scope(db: Kysely<Database>, principal: Principal, f: OverviewFilter): Promise<RawBuilder<boolean>> {
  const visible = await visibleParties(db, principal);
  const parts: RawBuilder<boolean>[] = [sql<boolean>`true`];
  if (visible) parts.push(sql<boolean>`a.party_ids && ${sql.val(visible)}::text[]`);
  if (f.partyId) parts.push(sql<boolean>`a.party_ids && ${sql.val(await partyAndBelow(db, f.partyId))}::text[]`);
  // The period is the day an agreement started, in Indonesia's western zone (where most UPTs are).
  if (f.from) parts.push(sql<boolean>`(a.created_at at time zone 'Asia/Jakarta')::date >= ${f.from}::date`);
  if (f.to) parts.push(sql<boolean>`(a.created_at at time zone 'Asia/Jakarta')::date <= ${f.to}::date`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

const counts = (rows: { key: string; n: string | number }[]): Record<string, number> =>
  Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

export async function overview(
  db: Kysely<Database>,
  principal: Principal,
  f: OverviewFilter,
  now = Date.now(),
): Promise<Overview> {
  const today = localDate(now, 'Asia/Jakarta');
  const where = await scope(db, principal, f);
  const run = async <T>(query: RawBuilder<T>) => (await query.execute(db)).rows;

  const byStage = counts(
    await run(
      sql<{
        key: string;
        n: string;
      }>`select stage as key, count(*) as n from agreement_facts a where ${where} group by stage`,
    ),
  );
  const byInstrument = counts(
    await run(
      sql<{
        key: string;
        n: string;
      }>`select instrument as key, count(*) as n from agreement_facts a where ${where} group by instrument`,
    ),
  );
  const institutions = await run(sql<{ party_id: string; name: string; kind: string; stage: string; n: string }>`
    select p.id as party_id, p.name, p.kind, a.stage, count(*) as n
    from agreement_facts a join parties p on p.id = any(a.party_ids) and p.kind in ('upt', 'kanwil', 'pemda')
    where ${where} group by p.id, p.name, p.kind, a.stage order by p.name`);
  const byInstitution = new Map<string, Overview['agreements']['byInstitution'][number]>();
  for (const r of institutions) {
    const row = byInstitution.get(r.party_id) ?? {
      partyId: r.party_id,
      name: r.name,
      kind: r.kind,
      total: 0,
      byStage: {},
    };
    row.byStage[r.stage] = Number(r.n);
    row.total += Number(r.n);
    byInstitution.set(r.party_id, row);
  }

  const speed = (
    await run(sql<{
      year: number;
      c1: string;
      m1: number | null;
      p1: number | null;
      c2: string;
      m2: number | null;
      p2: number | null;
    }>`
    select extract(year from signed_on)::int as year,
      count(first_audiensi_on) as c1,
      percentile_cont(0.5) within group (order by signed_on - first_audiensi_on) as m1,
      percentile_cont(0.75) within group (order by signed_on - first_audiensi_on) as p1,
      count(approved_on) filter (where draft1_on is not null) as c2,
      percentile_cont(0.5) within group (order by approved_on - draft1_on) as m2,
      percentile_cont(0.75) within group (order by approved_on - draft1_on) as p2
    from agreement_facts a where ${where} and signed_on is not null group by 1 order by 1`)
  ).map((r) => ({
    year: r.year,
    audiensiToSigning: { count: Number(r.c1), median: num(r.m1), p75: num(r.p1) },
    draftToApproval: { count: Number(r.c2), median: num(r.m2), p75: num(r.p2) },
  }));

  const owners = await run(sql<{
    party_id: string;
    name: string | null;
    open: string;
    overdue: string;
    level1: string;
    level2: string;
  }>`
    select f.owner_party_id as party_id, p.name,
      count(*) as open, count(*) filter (where f.overdue_on <= ${today}::date) as overdue,
      count(*) filter (where f.escalation_level >= 1) as level1, count(*) filter (where f.escalation_level >= 2) as
        level2
    from follow_up_facts f join agreement_facts a on a.id = f.agreement_id left join parties p on p.id =
      f.owner_party_id
    where ${where} and f.status = 'open' group by 1, 2`);
  const byParty = owners
    .map((r) => ({
      partyId: r.party_id,
      name: r.name ?? r.party_id,
      open: Number(r.open),
      overdue: Number(r.overdue),
      level1: Number(r.level1),
      level2: Number(r.level2),
    }))
    .sort(
      (a, b) =>
        b.level2 - a.level2 ||
        b.level1 - a.level1 ||
        b.overdue - a.overdue ||
        b.open - a.open ||
        a.name.localeCompare(b.name),
    );
  const total = (k: keyof FollowUpCounts) => byParty.reduce((n, r) => n + r[k], 0);

  const escalationsByMonth = (
    await run(sql<{ month: string; level1: string; level2: string }>`
    select to_char(m, 'YYYY-MM') as month, count(*) filter (where lvl = 1) as level1, count(*) filter (where lvl = 2) as
      level2
    from (select date_trunc('month', f.level1_on) as m, 1 as lvl from follow_up_facts f join agreement_facts a on a.id =
      f.agreement_id where ${where} and f.level1_on is not null
          union all
          select date_trunc('month', f.level2_on), 2 from follow_up_facts f join agreement_facts a on a.id =
            f.agreement_id where ${where} and f.level2_on is not null) e
    group by 1 order by 1`)
  ).map((r) => ({ month: r.month, level1: Number(r.level1), level2: Number(r.level2) }));

  const horizon = addDays(today, EXPIRING_DAYS);
  const expiring = (
    await run(sql<{ id: string; title: string; term_end: string; days_left: number }>`
    select id, title, term_end, (term_end - ${today}::date) as days_left from agreement_facts a
    where ${where} and stage = 'active' and not renewal_decided and term_end between ${today}::date and ${horizon}::date
    order by term_end, id`)
  ).map((r) => ({ id: r.id, title: r.title, termEnd: r.term_end, daysLeft: r.days_left }));
  const byMonth = new Map<string, number>();
  for (const e of expiring) byMonth.set(e.termEnd.slice(0, 7), (byMonth.get(e.termEnd.slice(0, 7)) ?? 0) + 1);

  const monevRows = await run(sql<{ id: string; title: string; due: string[]; received: string[] }>`
    select id, title, report_due_on as due, report_received_on as received from agreement_facts a
    where ${where} and stage = any(${sql.val(SIGNED)}::text[]) and cardinality(report_due_on) > 0
      and report_due_on[1] <= ${today}::date order by title, id`);
  const byAgreement = monevRows.map((r) => {
    const due = r.due.filter((d) => d <= today);
    // The n-th report answers the n-th period: on time when it came by that period's due day.
    const onTime = due.filter((d, i) => r.received[i] !== undefined && r.received[i]! <= d).length;
    return {
      id: r.id,
      title: r.title,
      due: due.length,
      onTime,
      percent: due.length ? Math.round((onTime / due.length) * 100) : null,
    };
  });
  const monevDue = byAgreement.reduce((n, r) => n + r.due, 0);
  const monevOnTime = byAgreement.reduce((n, r) => n + r.onTime, 0);

  const children = await run(sql<{
    umbrella_id: string;
    umbrella_title: string;
    id: string | null;
    stage: string | null;
    party_id: string | null;
    name: string | null;
  }>`
    select a.id as umbrella_id, a.title as umbrella_title, c.id, c.stage, opd.id as party_id, opd.name
    from agreement_facts a join agreement_facts c on c.parent_id = a.id
    left join lateral (select p.id, p.name from parties p where p.id = any(c.party_ids) and (p.kind = 'opd' or p.id <>
      all(a.party_ids))
      order by (p.kind = 'opd') desc, p.id limit 1) opd on true
    where ${where} order by a.title, a.id, opd.name`);
  const coverage = new Map<string, Overview['pksCoverage'][number]>();
  for (const r of children) {
    const u = coverage.get(r.umbrella_id) ?? {
      id: r.umbrella_id,
      title: r.umbrella_title,
      started: 0,
      signed: 0,
      notSigned: [],
    };
    u.started++;
    if (r.stage && SIGNED.includes(r.stage)) u.signed++;
    else if (r.id) u.notSigned.push({ id: r.id, partyId: r.party_id ?? '', name: r.name ?? r.party_id ?? '' });
    coverage.set(r.umbrella_id, u);
  }

  return {
    today,
    filter: f,
    agreements: {
      total: Object.values(byStage).reduce((a, b) => a + b, 0),
      byStage: Object.fromEntries(STAGES.map((s) => [s, byStage[s] ?? 0])),
      byInstrument,
      byInstitution: [...byInstitution.values()],
    },
    speed,
    followUps: {
      open: total('open'),
      overdue: total('overdue'),
      level1: total('level1'),
      level2: total('level2'),
      byParty,
    },
    escalationsByMonth,
    expiring,
    expiringByMonth: [...byMonth].map(([month, count]) => ({ month, count })),
    monev: {
      due: monevDue,
      onTime: monevOnTime,
      percent: monevDue ? Math.round((monevOnTime / monevDue) * 100) : null,
      byAgreement,
    },
    pksCoverage: [...coverage.values()],
  };
}
