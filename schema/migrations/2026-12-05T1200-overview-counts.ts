import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Issue 33, the overview at a million agreements: counts kept as the facts change, instead of counted per request.
// - `overview_counts`: agreements per scope, day started (Asia/Jakarta), stage and instrument. A scope is '*'
//   (everyone), or a party: the agreements of that party and of every party under it (`direct` false), or of that
//   party itself (`direct` true, the overview's institutions).
// - `pks_coverage`: per umbrella, its PKS started and signed.
// - `overview_durations`: per scope and year signed, how many agreements took each number of days from the first
//   audiensi to signing and from draft 1 to approval: the speed's percentiles come from this histogram.
// Kept by a trigger on `agreement_facts`, so the append that changes a fact changes its counts in the same
// transaction, and a rebuild or a bulk load keeps them too. Each change applies its deltas in key order, so two
// appends never wait on each other's counter rows in opposite orders.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table overview_counts (
    scope text not null, direct boolean not null, day date not null, stage text not null, instrument text not null,
    n bigint not null, primary key (scope, direct, day, stage, instrument))`.execute(db);
  await sql`create table pks_coverage (
    umbrella_id text primary key, started bigint not null, signed bigint not null)`.execute(db);
  await sql`create table overview_durations (
    scope text not null, year int not null, measure text not null, days int not null, n bigint not null,
    primary key (scope, year, measure, days))`.execute(db);
  // Every party of the agreement and every party above it; '*' for everyone.
  await sql`create function overview_scopes(party_ids text[]) returns table(scope text, direct boolean)
    language sql stable as $$
      with recursive up(id, direct) as (
        select unnest(party_ids), true
        union
        select p.parent_id, false from parties p join up on p.id = up.id where p.parent_id is not null)
      select '*', false
      union select id, false from up
      union select id, true from up where direct
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
  await sql`create function overview_count() returns trigger language plpgsql as $$
    begin
      insert into overview_counts (scope, direct, day, stage, instrument, n)
      select s.scope, s.direct, d.day, d.stage, d.instrument, sum(d.n)
      from (
        select old.party_ids as party_ids, (old.created_at at time zone 'Asia/Jakarta')::date as day,
          old.stage as stage, old.instrument as instrument, -1 as n where tg_op in ('UPDATE', 'DELETE')
        union all
        select new.party_ids, (new.created_at at time zone 'Asia/Jakarta')::date, new.stage, new.instrument, 1
          where tg_op in ('UPDATE', 'INSERT')) d, overview_scopes(d.party_ids) s
      group by 1, 2, 3, 4, 5 having sum(d.n) <> 0 order by 1, 2, 3, 4, 5
      on conflict (scope, direct, day, stage, instrument) do update set n = overview_counts.n + excluded.n;
      insert into pks_coverage (umbrella_id, started, signed)
      select d.parent_id, sum(d.n), coalesce(sum(d.n) filter (where d.stage in ('active', 'ended')), 0)
      from (
        select old.parent_id as parent_id, old.stage as stage, -1 as n
          where tg_op in ('UPDATE', 'DELETE') and old.parent_id is not null
        union all
        select new.parent_id, new.stage, 1 where tg_op in ('UPDATE', 'INSERT') and new.parent_id is not null) d
      group by 1 order by 1
      on conflict (umbrella_id) do update set started = pks_coverage.started + excluded.started,
        signed = pks_coverage.signed + excluded.signed;
      insert into overview_durations (scope, year, measure, days, n)
      select s.scope, d.year, d.measure, d.days, sum(d.n)
      from (
        select old.party_ids as party_ids, m.* from overview_speeds(old.signed_on, old.first_audiensi_on,
          old.draft1_on, old.approved_on, -1) m where tg_op in ('UPDATE', 'DELETE')
        union all
        select new.party_ids, m.* from overview_speeds(new.signed_on, new.first_audiensi_on, new.draft1_on,
          new.approved_on, 1) m where tg_op in ('UPDATE', 'INSERT')) d, overview_scopes(d.party_ids) s
      where not s.direct
      group by 1, 2, 3, 4 having sum(d.n) <> 0 order by 1, 2, 3, 4
      on conflict (scope, year, measure, days) do update set n = overview_durations.n + excluded.n;
      return null;
    end $$`.execute(db);
  await sql`create trigger overview_count after insert or delete on agreement_facts
    for each row execute function overview_count()`.execute(db);
  await sql`create trigger overview_count_change after update on agreement_facts for each row
    when (old.stage is distinct from new.stage or old.instrument is distinct from new.instrument
      or old.party_ids is distinct from new.party_ids or old.created_at is distinct from new.created_at
      or old.parent_id is distinct from new.parent_id or old.signed_on is distinct from new.signed_on
      or old.first_audiensi_on is distinct from new.first_audiensi_on or old.draft1_on is distinct from new.draft1_on
      or old.approved_on is distinct from new.approved_on)
    execute function overview_count()`.execute(db);
  // The counts of the facts already there, at once; also what a rebuild runs.
  await sql`create function overview_counts_refresh() returns void language sql as $$
      delete from overview_counts;
      delete from pks_coverage;
      delete from overview_durations;
      insert into overview_durations (scope, year, measure, days, n)
      select s.scope, m.year, m.measure, m.days, count(*)
      from agreement_facts a, overview_speeds(a.signed_on, a.first_audiensi_on, a.draft1_on, a.approved_on, 1) m,
        overview_scopes(a.party_ids) s
      where not s.direct group by 1, 2, 3, 4;
      insert into overview_counts (scope, direct, day, stage, instrument, n)
      select s.scope, s.direct, (a.created_at at time zone 'Asia/Jakarta')::date, a.stage, a.instrument, count(*)
      from agreement_facts a, overview_scopes(a.party_ids) s group by 1, 2, 3, 4, 5;
      insert into pks_coverage (umbrella_id, started, signed)
      select parent_id, count(*), count(*) filter (where stage in ('active', 'ended'))
      from agreement_facts where parent_id is not null group by 1;
    $$`.execute(db);
  // A party moved in the directory moves its agreements' counts: `sign` -1 before the move, 1 after it.
  await sql`create function overview_counts_add(party text, sign int) returns void language sql as $$
      with recursive tree(id) as (select party union select p.id from parties p join tree t on p.parent_id = t.id)
      insert into overview_counts (scope, direct, day, stage, instrument, n)
      select s.scope, s.direct, (a.created_at at time zone 'Asia/Jakarta')::date, a.stage, a.instrument, sign * count(*)
      from agreement_facts a, overview_scopes(a.party_ids) s
      where a.party_ids && (select array_agg(id) from tree)
      group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
      on conflict (scope, direct, day, stage, instrument) do update set n = overview_counts.n + excluded.n;
      with recursive tree(id) as (select party union select p.id from parties p join tree t on p.parent_id = t.id)
      insert into overview_durations (scope, year, measure, days, n)
      select s.scope, m.year, m.measure, m.days, sum(m.n)
      from agreement_facts a,
        overview_speeds(a.signed_on, a.first_audiensi_on, a.draft1_on, a.approved_on, sign) m,
        overview_scopes(a.party_ids) s
      where not s.direct and a.party_ids && (select array_agg(id) from tree)
      group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (scope, year, measure, days) do update set n = overview_durations.n + excluded.n;
    $$`.execute(db);
  await sql`select overview_counts_refresh()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists overview_count_change on agreement_facts`.execute(db);
  await sql`drop trigger if exists overview_count on agreement_facts`.execute(db);
  await sql`drop function if exists overview_counts_refresh()`.execute(db);
  await sql`drop function if exists overview_counts_add(text, int)`.execute(db);
  await sql`drop function if exists overview_count()`.execute(db);
  await sql`drop function if exists overview_scopes(text[])`.execute(db);
  await sql`drop function if exists overview_speeds(date, date, date, date, int)`.execute(db);
  await sql`drop table if exists overview_durations`.execute(db);
  await sql`drop table if exists pks_coverage`.execute(db);
  await sql`drop table if exists overview_counts`.execute(db);
}
