import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Issue 33, the overview at a million agreements: counts kept as the facts change, instead of counted per request.
// - `overview_counts`: agreements per scope, day started (Asia/Jakarta), stage and instrument. A scope is '*'
//   (everyone) or a party: the agreements of that party and of every party under it.
// - `overview_institutions`: agreements per UPT, Kanwil or Pemda that is itself a party to them, and stage.
// - `pks_coverage`: per umbrella, its parties and its PKS started and signed.
// - `overview_durations`: per scope and year signed, how many agreements took each number of days from the first
//   audiensi to signing and from draft 1 to approval: the speed's percentiles come from this histogram.
// - `monev_counts`: per scope and day, the monev reports due that day, those received on time, and the agreements
//   whose first report missed is that day's (`agreement_facts.first_missed_on`, new here, orders the list).
// - `escalation_counts`: per scope and month, the level-1 and level-2 escalations of follow-ups. Each follow-up's row
//   now carries its agreement's parties (`follow_up_facts.party_ids`), so a scope reads its follow-ups directly.
// Kept by triggers on `agreement_facts` and `follow_up_facts`, so the append that changes a fact changes its counts in
// the same transaction, and a rebuild or a bulk load keeps them too. Each change applies its deltas in key order, so
// two appends never wait on each other's counter rows in opposite orders.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table overview_counts (
    scope text not null, day date not null, stage text not null, instrument text not null, n bigint not null,
    primary key (scope, day, stage, instrument))`.execute(db);
  await sql`create table overview_institutions (
    party_id text not null, stage text not null, n bigint not null, primary key (party_id, stage))`.execute(db);
  await sql`create table pks_coverage (
    umbrella_id text primary key, party_ids text[] not null, started bigint not null, signed bigint not null)`.execute(
    db,
  );
  await sql`create index pks_coverage_parties on pks_coverage using gin (party_ids)`.execute(db);
  await sql`create table overview_durations (
    scope text not null, year int not null, measure text not null, days int not null, n bigint not null,
    primary key (scope, year, measure, days))`.execute(db);

  await sql`create table monev_counts (
    scope text not null, day date not null, due bigint not null, on_time bigint not null, first_missed bigint not null,
    primary key (scope, day))`.execute(db);
  await sql`alter table agreement_facts add column first_missed_on date`.execute(db);
  await sql`update agreement_facts a set first_missed_on = (
      select min(u.d) from unnest(a.report_due_on, a.report_received_on) u(d, r) where u.d is not null
        and (u.r is null or u.r > u.d))
    where cardinality(report_due_on) > 0`.execute(db);
  await sql`create index agreement_facts_first_missed on agreement_facts (first_missed_on)
    where first_missed_on is not null`.execute(db);
  await sql`create table escalation_counts (
    scope text not null, month date not null, level int not null, n bigint not null,
    primary key (scope, month, level))`.execute(db);
  await sql`alter table follow_up_facts add column party_ids text[] not null default '{}'`.execute(db);
  await sql`update follow_up_facts f set party_ids = a.party_ids
    from agreement_facts a where a.id = f.agreement_id`.execute(db);
  await sql`create index follow_up_facts_parties on follow_up_facts using gin (party_ids)`.execute(db);
  await sql`create index parties_parent on parties (parent_id)`.execute(db);
  // Every party of the agreement and every party above it, and '*' for everyone.
  await sql`create function overview_scopes(party_ids text[]) returns table(scope text) language sql stable as $$
      with recursive up(id) as (
        select unnest(party_ids)
        union
        select p.parent_id from parties p join up on p.id = up.id where p.parent_id is not null)
      select '*' union select id from up
    $$`.execute(db);
  // An agreement's two speeds, in days, under the year it was signed (none before it is signed); 'signed' counts the
  // year itself, so a year whose agreements lack the dates is still listed.
  await sql`create function overview_speeds(signed date, audiensi date, draft1 date, approved date, sign int)
    returns table(year int, measure text, days int, n int) language sql immutable as $$
      select extract(year from signed)::int, 'signed', 0, sign where signed is not null
      union all
      select extract(year from signed)::int, 'toSigning', signed - audiensi, sign
        where signed is not null and audiensi is not null
      union all
      select extract(year from signed)::int, 'toApproval', approved - draft1, sign
        where signed is not null and approved is not null and draft1 is not null
    $$`.execute(db);

  // A signed agreement's monev by day: each report due, whether it came on time, and the day of its first miss.
  await sql`create function overview_monev(stage text, due date[], received date[], missed date, sign int)
    returns table(day date, due int, on_time int, first_missed int) language sql immutable as $$
      select u.d, sign, case when u.r <= u.d then sign else 0 end, case when u.d = missed then sign else 0 end
      from unnest(due, received) u(d, r) where u.d is not null and stage in ('active', 'ended')
    $$`.execute(db);
  // What a change to one row of facts takes away (-1, the old row) and adds (1, the new row).
  await sql`create function overview_delta(o agreement_facts, n agreement_facts)
    returns table(sign int, party_ids text[], day date, stage text, instrument text, parent_id text,
      signed_on date, first_audiensi_on date, draft1_on date, approved_on date, report_due_on date[],
      report_received_on date[], first_missed_on date) language sql immutable as $$
      select -1, (o).party_ids, ((o).created_at at time zone 'Asia/Jakarta')::date, (o).stage, (o).instrument,
        (o).parent_id, (o).signed_on, (o).first_audiensi_on, (o).draft1_on, (o).approved_on, (o).report_due_on,
        (o).report_received_on, (o).first_missed_on where (o).id is not null
      union all
      select 1, (n).party_ids, ((n).created_at at time zone 'Asia/Jakarta')::date, (n).stage, (n).instrument,
        (n).parent_id, (n).signed_on, (n).first_audiensi_on, (n).draft1_on, (n).approved_on, (n).report_due_on,
        (n).report_received_on, (n).first_missed_on where (n).id is not null
    $$`.execute(db);
  await sql`create function overview_count() returns trigger language plpgsql as $$
    begin
      insert into overview_counts (scope, day, stage, instrument, n)
      select s.scope, c.day, c.stage, c.instrument, sum(c.sign)
      from overview_delta(old, new) c, overview_scopes(c.party_ids) s
      group by 1, 2, 3, 4 having sum(c.sign) <> 0 order by 1, 2, 3, 4
      on conflict (scope, day, stage, instrument) do update set n = overview_counts.n + excluded.n;
      insert into overview_institutions (party_id, stage, n)
      select p.id, c.stage, sum(c.sign)
      from overview_delta(old, new) c, unnest(c.party_ids) p(id)
      where exists (select 1 from parties k where k.id = p.id and k.kind in ('upt', 'kanwil', 'pemda'))
      group by 1, 2 having sum(c.sign) <> 0 order by 1, 2
      on conflict (party_id, stage) do update set n = overview_institutions.n + excluded.n;
      insert into pks_coverage (umbrella_id, party_ids, started, signed)
      select c.parent_id, coalesce((select u.party_ids from agreement_facts u where u.id = c.parent_id), '{}'),
        sum(c.sign), coalesce(sum(c.sign) filter (where c.stage in ('active', 'ended')), 0)
      from overview_delta(old, new) c where c.parent_id is not null
      group by 1 order by 1
      on conflict (umbrella_id) do update set started = pks_coverage.started + excluded.started,
        signed = pks_coverage.signed + excluded.signed;
      insert into overview_durations (scope, year, measure, days, n)
      select s.scope, m.year, m.measure, m.days, sum(m.n)
      from overview_delta(old, new) c,
        overview_speeds(c.signed_on, c.first_audiensi_on, c.draft1_on, c.approved_on, c.sign) m,
        overview_scopes(c.party_ids) s
      group by 1, 2, 3, 4 having sum(m.n) <> 0 order by 1, 2, 3, 4
      on conflict (scope, year, measure, days) do update set n = overview_durations.n + excluded.n;
      insert into monev_counts (scope, day, due, on_time, first_missed)
      select s.scope, m.day, sum(m.due), sum(m.on_time), sum(m.first_missed)
      from overview_delta(old, new) c,
        overview_monev(c.stage, c.report_due_on, c.report_received_on, c.first_missed_on, c.sign) m,
        overview_scopes(c.party_ids) s
      group by 1, 2 having sum(m.due) <> 0 or sum(m.on_time) <> 0 or sum(m.first_missed) <> 0 order by 1, 2
      on conflict (scope, day) do update set due = monev_counts.due + excluded.due,
        on_time = monev_counts.on_time + excluded.on_time,
        first_missed = monev_counts.first_missed + excluded.first_missed;
      return null;
    end $$`.execute(db);
  // A follow-up's escalations by month: -1 for the old row, 1 for the new.
  await sql`create function escalation_delta(o follow_up_facts, n follow_up_facts)
    returns table(party_ids text[], month date, level int, sign int) language sql immutable as $$
      select (o).party_ids, date_trunc('month', (o).level1_on)::date, 1, -1 where (o).level1_on is not null
      union all select (o).party_ids, date_trunc('month', (o).level2_on)::date, 2, -1 where (o).level2_on is not null
      union all select (n).party_ids, date_trunc('month', (n).level1_on)::date, 1, 1 where (n).level1_on is not null
      union all select (n).party_ids, date_trunc('month', (n).level2_on)::date, 2, 1 where (n).level2_on is not null
    $$`.execute(db);
  await sql`create function escalation_count() returns trigger language plpgsql as $$
    begin
      insert into escalation_counts (scope, month, level, n)
      select s.scope, c.month, c.level, sum(c.sign)
      from escalation_delta(old, new) c, overview_scopes(c.party_ids) s
      group by 1, 2, 3 having sum(c.sign) <> 0 order by 1, 2, 3
      on conflict (scope, month, level) do update set n = escalation_counts.n + excluded.n;
      return null;
    end $$`.execute(db);
  await sql`create trigger escalation_count after insert or delete on follow_up_facts
    for each row execute function escalation_count()`.execute(db);
  await sql`create trigger escalation_count_change after update on follow_up_facts for each row
    when (old.level1_on is distinct from new.level1_on or old.level2_on is distinct from new.level2_on
      or old.party_ids is distinct from new.party_ids)
    execute function escalation_count()`.execute(db);
  await sql`create trigger overview_count after insert or delete on agreement_facts
    for each row execute function overview_count()`.execute(db);
  await sql`create trigger overview_count_change after update on agreement_facts for each row
    when (old.stage is distinct from new.stage or old.instrument is distinct from new.instrument
      or old.party_ids is distinct from new.party_ids or old.created_at is distinct from new.created_at
      or old.parent_id is distinct from new.parent_id or old.signed_on is distinct from new.signed_on
      or old.first_audiensi_on is distinct from new.first_audiensi_on or old.draft1_on is distinct from new.draft1_on
      or old.approved_on is distinct from new.approved_on or old.report_due_on is distinct from new.report_due_on
      or old.report_received_on is distinct from new.report_received_on)
    execute function overview_count()`.execute(db);

  // The counts of the facts already there, at once; also what a rebuild runs.
  await sql`create function overview_counts_refresh() returns void language sql as $$
      delete from overview_counts;
      delete from overview_institutions;
      delete from pks_coverage;
      delete from overview_durations;
      delete from monev_counts;
      delete from escalation_counts;
      insert into escalation_counts (scope, month, level, n)
      select s.scope, c.month, c.level, count(*)
      from follow_up_facts f, escalation_delta(null, f) c, overview_scopes(c.party_ids) s group by 1, 2, 3;
      insert into monev_counts (scope, day, due, on_time, first_missed)
      select s.scope, m.day, sum(m.due), sum(m.on_time), sum(m.first_missed)
      from agreement_facts a,
        overview_monev(a.stage, a.report_due_on, a.report_received_on, a.first_missed_on, 1) m,
        overview_scopes(a.party_ids) s
      group by 1, 2;
      insert into overview_counts (scope, day, stage, instrument, n)
      select s.scope, (a.created_at at time zone 'Asia/Jakarta')::date, a.stage, a.instrument, count(*)
      from agreement_facts a, overview_scopes(a.party_ids) s group by 1, 2, 3, 4;
      insert into overview_institutions (party_id, stage, n)
      select p.id, a.stage, count(*) from agreement_facts a, unnest(a.party_ids) p(id)
      where exists (select 1 from parties k where k.id = p.id and k.kind in ('upt', 'kanwil', 'pemda'))
      group by 1, 2;
      insert into pks_coverage (umbrella_id, party_ids, started, signed)
      select c.parent_id, coalesce(min(u.party_ids), '{}'), count(*),
        count(*) filter (where c.stage in ('active', 'ended'))
      from agreement_facts c left join agreement_facts u on u.id = c.parent_id
      where c.parent_id is not null group by 1;
      insert into overview_durations (scope, year, measure, days, n)
      select s.scope, m.year, m.measure, m.days, count(*)
      from agreement_facts a, overview_speeds(a.signed_on, a.first_audiensi_on, a.draft1_on, a.approved_on, 1) m,
        overview_scopes(a.party_ids) s
      group by 1, 2, 3, 4;
    $$`.execute(db);
  // A party moved in the directory moves its agreements' counts: `sign` -1 before the move, 1 after it.
  await sql`create function overview_counts_add(party text, sign int) returns void language sql as $$
      with recursive tree(id) as (select party union select p.id from parties p join tree t on p.parent_id = t.id)
      insert into overview_counts (scope, day, stage, instrument, n)
      select s.scope, (a.created_at at time zone 'Asia/Jakarta')::date, a.stage, a.instrument, sign * count(*)
      from agreement_facts a, overview_scopes(a.party_ids) s
      where a.party_ids && (select array_agg(id) from tree)
      group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (scope, day, stage, instrument) do update set n = overview_counts.n + excluded.n;
      with recursive tree(id) as (select party union select p.id from parties p join tree t on p.parent_id = t.id)
      insert into overview_durations (scope, year, measure, days, n)
      select s.scope, d.year, d.measure, d.days, sum(d.n)
      from agreement_facts a,
        overview_speeds(a.signed_on, a.first_audiensi_on, a.draft1_on, a.approved_on, sign) d,
        overview_scopes(a.party_ids) s
      where a.party_ids && (select array_agg(id) from tree)
      group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (scope, year, measure, days) do update set n = overview_durations.n + excluded.n;
      with recursive tree(id) as (select party union select p.id from parties p join tree t on p.parent_id = t.id)
      insert into monev_counts (scope, day, due, on_time, first_missed)
      select s.scope, m.day, sum(m.due), sum(m.on_time), sum(m.first_missed)
      from agreement_facts a,
        overview_monev(a.stage, a.report_due_on, a.report_received_on, a.first_missed_on, sign) m,
        overview_scopes(a.party_ids) s
      where a.party_ids && (select array_agg(id) from tree)
      group by 1, 2 order by 1, 2
      on conflict (scope, day) do update set due = monev_counts.due + excluded.due,
        on_time = monev_counts.on_time + excluded.on_time,
        first_missed = monev_counts.first_missed + excluded.first_missed;
      with recursive tree(id) as (select party union select p.id from parties p join tree t on p.parent_id = t.id)
      insert into escalation_counts (scope, month, level, n)
      select s.scope, c.month, c.level, $2 * count(*)
      from follow_up_facts f, escalation_delta(null, f) c, overview_scopes(c.party_ids) s
      where f.party_ids && (select array_agg(id) from tree)
      group by 1, 2, 3 order by 1, 2, 3
      on conflict (scope, month, level) do update set n = escalation_counts.n + excluded.n;
    $$`.execute(db);
  await sql`select overview_counts_refresh()`.execute(db);
  // What expires soon, along the end of term, instead of through every agreement.
  await sql`create index agreement_facts_expiring on agreement_facts (term_end)
    where stage = 'active' and not renewal_decided`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists escalation_count_change on follow_up_facts`.execute(db);
  await sql`drop trigger if exists escalation_count on follow_up_facts`.execute(db);
  await sql`drop function if exists escalation_count()`.execute(db);
  await sql`drop function if exists escalation_delta(follow_up_facts, follow_up_facts)`.execute(db);
  await sql`drop index if exists parties_parent`.execute(db);
  await sql`drop index if exists follow_up_facts_parties`.execute(db);
  await sql`alter table follow_up_facts drop column if exists party_ids`.execute(db);
  await sql`drop index if exists agreement_facts_expiring`.execute(db);
  await sql`drop trigger if exists overview_count_change on agreement_facts`.execute(db);
  await sql`drop trigger if exists overview_count on agreement_facts`.execute(db);
  await sql`drop function if exists overview_counts_add(text, int)`.execute(db);
  await sql`drop function if exists overview_counts_refresh()`.execute(db);
  await sql`drop function if exists overview_count()`.execute(db);
  await sql`drop function if exists overview_delta(agreement_facts, agreement_facts)`.execute(db);
  await sql`drop function if exists overview_speeds(date, date, date, date, int)`.execute(db);
  await sql`drop function if exists overview_monev(text, date[], date[], date, int)`.execute(db);
  await sql`drop index if exists agreement_facts_first_missed`.execute(db);
  await sql`alter table agreement_facts drop column if exists first_missed_on`.execute(db);
  await sql`drop function if exists overview_scopes(text[])`.execute(db);
  for (const table of [
    'escalation_counts',
    'monev_counts',
    'overview_durations',
    'pks_coverage',
    'overview_institutions',
    'overview_counts',
  ])
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
}
