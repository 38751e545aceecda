// The overview a head reports upward: where every agreement stands, how fast they move, who is late, what
// expires, monev kept, and PKS coverage. Read from the overview's own read models, scoped to what the caller sees.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import pLimit from 'p-limit';
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
  /** `byParty` holds the LIST_LIMIT owners most escalated, then most late; `owners` counts them all. */
  followUps: FollowUpCounts & { owners: number; byParty: (FollowUpCounts & { partyId: string; name: string })[] };
  escalationsByMonth: { month: string; level1: number; level2: number }[];
  /** The soonest LIST_LIMIT; `expiringCount` counts them all. */
  expiring: { id: string; title: string; termEnd: string; daysLeft: number }[];
  expiringCount: number;
  expiringByMonth: { month: string; count: number }[];
  monev: {
    due: number;
    onTime: number;
    percent: number | null;
    /** How many agreements have missed a report so far; `byAgreement` holds the LIST_LIMIT missing longest. */
    missing: number;
    byAgreement: { id: string; title: string; due: number; onTime: number; percent: number | null }[];
  };
  /** Every umbrella's PKS together; `pksCoverage` holds the LIST_LIMIT umbrellas with the most PKS not signed. */
  pksTotals: { umbrellas: number; started: number; signed: number };
  pksCoverage: {
    id: string;
    title: string;
    started: number;
    signed: number;
    notSigned: { id: string; partyId: string; name: string }[];
  }[];
}

export const EXPIRING_DAYS = 90;
/** A head reads the worst first; at national scale a full list would be hundreds of thousands of rows. */
export const LIST_LIMIT = 100;
const SIGNED = ['active', 'ended'];

/** Who the caller is in the directory: the parties it sees (undefined: all), and the filter's tree. */
interface Reach {
  visible: string[] | undefined;
  below: string[] | undefined;
}

async function reachOf(db: Kysely<Database>, principal: Principal, f: OverviewFilter): Promise<Reach> {
  const visible = (await visibleParties(db, principal)) ?? undefined;
  return { visible, below: f.partyId ? await partyAndBelow(db, f.partyId) : undefined };
}

/** The parties whose agreements this caller's overview counts: undefined for everyone's. */
function scopeParties({ visible, below }: Reach): string[] | undefined {
  if (!visible) return below;
  return below ? below.filter((id) => visible.includes(id)) : visible;
}

/** The agreements this caller may see, narrowed by the filter: a condition on `agreement_facts as a` (or on another
 * table's `party_ids` when there is no period). */
function scope({ visible, below }: Reach, f: OverviewFilter, parties = sql.ref('a.party_ids')): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [sql<boolean>`true`];
  if (visible) parts.push(sql<boolean>`${parties} && ${sql.val(visible)}::text[]`);
  if (below) parts.push(sql<boolean>`${parties} && ${sql.val(below)}::text[]`);
  // The period is the day an agreement started, in Indonesia's western zone (where most UPTs are).
  if (f.from) parts.push(sql<boolean>`(a.created_at at time zone 'Asia/Jakarta')::date >= ${f.from}::date`);
  if (f.to) parts.push(sql<boolean>`(a.created_at at time zone 'Asia/Jakarta')::date <= ${f.to}::date`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/**
 * The one scope the kept counts answer for: '*' (everyone) or a party with all under it. Undefined when what the
 * caller sees is not such a tree (a party's view is itself and its parties one level down): then counted per request.
 */
async function countedScope(
  db: Kysely<Database>,
  principal: Principal,
  f: OverviewFilter,
  { visible, below }: Reach,
): Promise<string | undefined> {
  if (!visible) return f.partyId ?? '*';
  const root = f.partyId ?? (principal.role === 'party' ? principal.partyId : undefined);
  if (!root) return undefined;
  const tree = below ?? (await partyAndBelow(db, root));
  const seen = new Set(visible);
  const inside = tree.every((id) => seen.has(id));
  return inside && (f.partyId !== undefined || tree.length === visible.length) ? root : undefined;
}

/** Agreements by stage and instrument, read from the kept counts. */
async function keptCounts(db: Kysely<Database>, scopeId: string, f: OverviewFilter) {
  const { rows } = await sql<{ stage: string; instrument: string; n: string }>`
    select stage, instrument, sum(n) as n from overview_counts
    where scope = ${scopeId}
      and day >= coalesce(${f.from ?? null}::date, '-infinity') and day <= coalesce(${f.to ?? null}::date, 'infinity')
    group by 1, 2 having sum(n) > 0`.execute(db);
  const byStage: Record<string, number> = {};
  const byInstrument: Record<string, number> = {};
  for (const r of rows) {
    byStage[r.stage] = (byStage[r.stage] ?? 0) + Number(r.n);
    byInstrument[r.instrument] = (byInstrument[r.instrument] ?? 0) + Number(r.n);
  }
  return { byStage, byInstrument };
}

const counts = (rows: { key: string; n: string | number }[]): Record<string, number> =>
  Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

/** Agreements by stage and instrument, counted per request (a scope the kept counts do not hold). */
async function countedNow(
  run: <T>(query: RawBuilder<T>) => Promise<T[]>,
  where: RawBuilder<boolean>,
): Promise<{ byStage: Record<string, number>; byInstrument: Record<string, number> }> {
  const of = (column: 'stage' | 'instrument') =>
    run(sql<{ key: string; n: string }>`
      select ${sql.ref(column)} as key, count(*) as n from agreement_facts a where ${where} group by 1`);
  return { byStage: counts(await of('stage')), byInstrument: counts(await of('instrument')) };
}

/** Speed per year signed, counted per request. */
async function speedNow(
  run: <T>(query: RawBuilder<T>) => Promise<T[]>,
  where: RawBuilder<boolean>,
): Promise<Overview['speed']> {
  return (
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
}

/** percentile_cont over a histogram of whole days, as PostgreSQL computes it over the rows themselves. */
function percentileOf(histogram: { days: number; n: number }[], total: number, p: number): number | null {
  if (total === 0) return null;
  const at = (k: number) => {
    let seen = 0;
    for (const h of histogram) {
      seen += h.n;
      if (k < seen) return h.days;
    }
    return histogram.at(-1)!.days;
  };
  const position = p * (total - 1);
  const low = at(Math.floor(position));
  return num(low + (at(Math.ceil(position)) - low) * (position - Math.floor(position)));
}

/** Speed per year signed, from the kept histogram of days. */
async function keptSpeed(db: Kysely<Database>, scopeId: string): Promise<Overview['speed']> {
  const { rows } = await sql<{ year: number; measure: string; days: number; n: string }>`
    select year, measure, days, n from overview_durations where scope = ${scopeId} and n > 0
    order by year, measure, days`.execute(db);
  const years = [...new Set(rows.filter((r) => r.measure === 'signed').map((r) => r.year))];
  const measured = (year: number, measure: string): Percentiles => {
    const histogram = rows
      .filter((r) => r.year === year && r.measure === measure)
      .map((r) => ({ ...r, n: Number(r.n) }));
    const count = histogram.reduce((n, h) => n + h.n, 0);
    return { count, median: percentileOf(histogram, count, 0.5), p75: percentileOf(histogram, count, 0.75) };
  };
  return years.map((year) => ({
    year,
    audiensiToSigning: measured(year, 'toSigning'),
    draftToApproval: measured(year, 'toApproval'),
  }));
}

/** A query started ahead of its use: its failure is thrown where it is awaited, never reported as unhandled. */
function quietly<T>(query: Promise<T>): Promise<T> {
  query.catch(() => {});
  return query;
}

/** How many of the pool's connections (10 in the API) one overview uses at once. */
const OVERVIEW_CONNECTIONS = 4;

export async function overview(
  db: Kysely<Database>,
  principal: Principal,
  f: OverviewFilter,
  now = Date.now(),
): Promise<Overview> {
  const today = localDate(now, 'Asia/Jakarta');
  const reach = await reachOf(db, principal, f);
  const where = scope(reach, f);
  // The sections run side by side, but on at most a few of the pool's connections: one person's overview must not
  // hold every connection while everyone else's requests wait.
  const slot = pLimit(OVERVIEW_CONNECTIONS);
  const run = <T>(query: RawBuilder<T>) => slot(async () => (await query.execute(db)).rows);

  const counted = await countedScope(db, principal, f, reach);
  // Every section starts at once, each on a connection of its own, and is awaited where the answer is put together.
  const countsQuery = quietly(counted ? slot(() => keptCounts(db, counted, f)) : countedNow(run, where));
  // The institutions of the caller's scope (everyone's, or the parties of its tree), from the kept counts; a period
  // is counted per request.
  const whole = !f.from && !f.to;
  const everything = counted === '*' && whole;
  const own = scopeParties(reach);
  const ownOnly = own ? sql`and p.id = any(${sql.val(own)}::text[])` : sql``;
  // A follow-up carries its agreement's parties: a scope reads its follow-ups directly; a period needs the agreement.
  const ofScope = everything
    ? sql``
    : whole
      ? sql`join lateral (select f.party_ids) a on ${where}`
      : sql`join agreement_facts a on a.id = f.agreement_id and ${where}`;
  const ownersQuery = quietly(
    run(sql<{
      party_id: string;
      name: string | null;
      open: string;
      overdue: string;
      level1: string;
      level2: string;
      owners: string;
      all_open: string;
      all_overdue: string;
      all_level1: string;
      all_level2: string;
    }>`
    with o as (
      select f.owner_party_id as party_id, count(*) as open,
        count(*) filter (where f.overdue_on <= ${today}::date) as overdue,
        count(*) filter (where f.escalation_level >= 1) as level1,
        count(*) filter (where f.escalation_level >= 2) as level2
      from follow_up_facts f ${ofScope} where f.status = 'open' group by 1)
    select o.*, p.name, count(*) over () as owners, sum(o.open) over () as all_open,
      sum(o.overdue) over () as all_overdue, sum(o.level1) over () as all_level1, sum(o.level2) over () as all_level2
    from o left join parties p on p.id = o.party_id
    order by o.level2 desc, o.level1 desc, o.overdue desc, o.open desc, coalesce(p.name, o.party_id), o.party_id
    limit ${LIST_LIMIT}`),
  );
  // The umbrellas with most PKS not signed (for everyone, along an index), and the totals over all of them in scope.
  // Each umbrella's row carries its parties, so only a period needs the umbrella's facts.
  const coverageFrom = sql`from pks_coverage c ${whole ? sql`` : sql`join agreement_facts a on a.id = c.umbrella_id`}
    where c.started > 0 and ${whole ? scope(reach, f, sql.ref('c.party_ids')) : where}`;
  const umbrellasQuery = quietly(
    run(sql<{ id: string; title: string; started: string; signed: string }>`
    with top as (
      select c.umbrella_id as id, c.started, c.signed ${coverageFrom}
      order by c.started - c.signed desc, c.umbrella_id limit ${LIST_LIMIT})
    select top.*, u.title from top join agreement_facts u on u.id = top.id
    order by top.started - top.signed desc, top.id`),
  );
  const pksTotalsQuery = quietly(
    run(sql<{ umbrellas: string; started: string | null; signed: string | null }>`
    select count(*) as umbrellas, sum(c.started) as started, sum(c.signed) as signed ${coverageFrom}`),
  );
  const institutionsQuery = quietly(
    run(
      whole
        ? sql<{ party_id: string; name: string; kind: string; stage: string; n: string }>`
    select p.id as party_id, p.name, p.kind, c.stage, c.n
    from overview_institutions c join parties p on p.id = c.party_id and p.kind in ('upt', 'kanwil', 'pemda')
    where c.n > 0 ${ownOnly} order by p.name, c.stage`
        : sql<{ party_id: string; name: string; kind: string; stage: string; n: string }>`
    select p.id as party_id, p.name, p.kind, a.stage, count(*) as n
    from agreement_facts a join parties p on p.id = any(a.party_ids) and p.kind in ('upt', 'kanwil', 'pemda')
    where ${where} ${ownOnly} group by p.id, p.name, p.kind, a.stage order by p.name, a.stage`,
    ),
  );

  // The kept histogram answers the whole history; a period (from/to on the day started) is counted per request.
  const speedQuery = quietly(counted && !f.from && !f.to ? slot(() => keptSpeed(db, counted)) : speedNow(run, where));

  const escalationsQuery = quietly(
    run(
      counted && whole
        ? sql<{ month: string; level1: string; level2: string }>`
    select to_char(month, 'YYYY-MM') as month, coalesce(sum(n) filter (where level = 1), 0) as level1,
      coalesce(sum(n) filter (where level = 2), 0) as level2
    from escalation_counts where scope = ${counted} and n <> 0 group by 1 order by 1`
        : sql<{ month: string; level1: string; level2: string }>`
    select to_char(m, 'YYYY-MM') as month, count(*) filter (where lvl = 1) as level1, count(*) filter (where lvl = 2) as
      level2
    from (select date_trunc('month', f.level1_on) as m, 1 as lvl from follow_up_facts f ${ofScope}
      where f.level1_on is not null
          union all
          select date_trunc('month', f.level2_on), 2 from follow_up_facts f ${ofScope}
            where f.level2_on is not null) e
    group by 1 order by 1`,
    ).then((rows) => rows.map((r) => ({ month: r.month, level1: Number(r.level1), level2: Number(r.level2) }))),
  );

  const horizon = addDays(today, EXPIRING_DAYS);
  const expiringWhere = sql<boolean>`${where} and stage = 'active' and not renewal_decided
    and term_end between ${today}::date and ${horizon}::date`;
  const expiringQuery = quietly(
    run(sql<{ id: string; title: string; term_end: string; days_left: number }>`
    select id, title, term_end, (term_end - ${today}::date) as days_left from agreement_facts a
    where ${expiringWhere} order by term_end, id limit ${LIST_LIMIT}`).then((rows) =>
      rows.map((r) => ({ id: r.id, title: r.title, termEnd: r.term_end, daysLeft: r.days_left })),
    ),
  );
  const expiringByMonthQuery = quietly(
    run(sql<{ month: string; n: string }>`
    select to_char(term_end, 'YYYY-MM') as month, count(*) as n from agreement_facts a
    where ${expiringWhere} group by 1 order by 1`).then((rows) =>
      rows.map((r) => ({ month: r.month, count: Number(r.n) })),
    ),
  );

  // The n-th report answers the n-th period: on time when it came by that period's due day.
  const monevTotalsQuery = quietly(
    run(
      counted && !f.from && !f.to
        ? sql<{ due: string | null; on_time: string | null; missing: string | null }>`
    select sum(due) as due, sum(on_time) as on_time, sum(first_missed) as missing from monev_counts
    where scope = ${counted} and day <= ${today}::date`
        : sql<{ due: string | null; on_time: string | null; missing: string | null }>`
    select sum((select count(*) from unnest(report_due_on) d where d <= ${today}::date)) as due,
      sum((select count(*) from unnest(report_due_on, report_received_on) u(d, r)
        where d <= ${today}::date and r <= d)) as on_time,
      count(*) filter (where first_missed_on <= ${today}::date) as missing
    from agreement_facts a
    where ${where} and stage = any(${sql.val(SIGNED)}::text[]) and cardinality(report_due_on) > 0
      and report_due_on[1] <= ${today}::date`,
    ),
  );
  // The agreements whose reports have been missing longest, along the index of each one's first miss.
  const byAgreementQuery = quietly(
    run(sql<{ id: string; title: string; due: string; on_time: string }>`
    select id, title,
      (select count(*) from unnest(report_due_on) d where d <= ${today}::date) as due,
      (select count(*) from unnest(report_due_on, report_received_on) u(d, r)
        where d <= ${today}::date and r <= d) as on_time
    from agreement_facts a
    where ${where} and stage = any(${sql.val(SIGNED)}::text[]) and first_missed_on <= ${today}::date
    order by first_missed_on, title, id limit ${LIST_LIMIT}`).then((rows) =>
      rows.map((r) => ({
        id: r.id,
        title: r.title,
        due: Number(r.due),
        onTime: Number(r.on_time),
        percent: Math.round((Number(r.on_time) / Number(r.due)) * 100),
      })),
    ),
  );

  // The PKS not signed of the umbrellas shown, as soon as those are known.
  const coverageQuery = quietly(
    umbrellasQuery.then(async (umbrellas) => {
      const coverage = new Map<string, Overview['pksCoverage'][number]>(
        umbrellas.map((u) => [
          u.id,
          { id: u.id, title: u.title, started: Number(u.started), signed: Number(u.signed), notSigned: [] },
        ]),
      );
      const unsigned = coverage.size
        ? await run(sql<{ umbrella_id: string; id: string; party_id: string | null; name: string | null }>`
        select c.parent_id as umbrella_id, c.id, opd.id as party_id, opd.name
        from agreement_facts c join agreement_facts a on a.id = c.parent_id
        left join lateral (select p.id, p.name from parties p
          where p.id = any(c.party_ids) and (p.kind = 'opd' or p.id <> all(a.party_ids))
          order by (p.kind = 'opd') desc, p.id limit 1) opd on true
        where c.parent_id = any(${sql.val([...coverage.keys()])}::text[]) and c.stage <> all(${sql.val(SIGNED)}::text[])
        order by opd.name, c.id`)
        : [];
      for (const r of unsigned) {
        coverage
          .get(r.umbrella_id)
          ?.notSigned.push({ id: r.id, partyId: r.party_id ?? '', name: r.name ?? r.party_id ?? '' });
      }
      return coverage;
    }),
  );
  const { byStage, byInstrument } = await countsQuery;
  const institutions = await institutionsQuery;
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
  const speed = await speedQuery;
  const owners = await ownersQuery;
  const byParty = owners.map((r) => ({
    partyId: r.party_id,
    name: r.name ?? r.party_id,
    open: Number(r.open),
    overdue: Number(r.overdue),
    level1: Number(r.level1),
    level2: Number(r.level2),
  }));
  const total = (k: keyof FollowUpCounts) => Number(owners[0]?.[`all_${k}`] ?? 0);
  const escalationsByMonth = await escalationsQuery;
  const expiring = await expiringQuery;
  const expiringByMonth = await expiringByMonthQuery;
  const [monevTotals] = await monevTotalsQuery;
  const byAgreement = await byAgreementQuery;
  const monevDue = Number(monevTotals?.due ?? 0);
  const monevOnTime = Number(monevTotals?.on_time ?? 0);
  const coverage = await coverageQuery;
  const [totals] = await pksTotalsQuery;
  const pksTotals = {
    umbrellas: Number(totals?.umbrellas ?? 0),
    started: Number(totals?.started ?? 0),
    signed: Number(totals?.signed ?? 0),
  };

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
      owners: Number(owners[0]?.owners ?? 0),
      byParty,
    },
    escalationsByMonth,
    expiring,
    expiringCount: expiringByMonth.reduce((n, m) => n + m.count, 0),
    expiringByMonth,
    monev: {
      due: monevDue,
      onTime: monevOnTime,
      percent: monevDue ? Math.round((monevOnTime / monevDue) * 100) : null,
      missing: Number(monevTotals?.missing ?? 0),
      byAgreement,
    },
    pksTotals,
    pksCoverage: [...coverage.values()],
  };
}
