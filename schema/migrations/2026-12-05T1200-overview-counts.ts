import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Issue 33, the overview at a million agreements: counts kept as the facts change, instead of counted per request.
// - `overview_counts`: agreements per scope, day started (Asia/Jakarta), stage and instrument. A scope is '*'
//   (everyone), or a party: the agreements of that party and of every party under it (`direct` false), or of that
//   party itself (`direct` true, the overview's institutions).
// - `pks_coverage`: per umbrella, its PKS started and signed.
// Kept by a trigger on `agreement_facts`, so the append that changes a fact changes its counts in the same
// transaction, and a rebuild or a bulk load keeps them too. Each change applies its deltas in key order, so two
// appends never wait on each other's counter rows in opposite orders.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table overview_counts (
    scope text not null, direct boolean not null, day date not null, stage text not null, instrument text not null,
    n bigint not null, primary key (scope, direct, day, stage, instrument))`.execute(db);
  await sql`create table pks_coverage (
    umbrella_id text primary key, started bigint not null, signed bigint not null)`.execute(db);
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
      return null;
    end $$`.execute(db);
  await sql`create trigger overview_count after insert or delete on agreement_facts
    for each row execute function overview_count()`.execute(db);
  await sql`create trigger overview_count_change after update on agreement_facts for each row
    when (old.stage is distinct from new.stage or old.instrument is distinct from new.instrument
      or old.party_ids is distinct from new.party_ids or old.created_at is distinct from new.created_at
      or old.parent_id is distinct from new.parent_id)
    execute function overview_count()`.execute(db);
  // The counts of the facts already there, at once; also what a rebuild runs.
  await sql`create function overview_counts_refresh() returns void language sql as $$
      delete from overview_counts;
      delete from pks_coverage;
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
  await sql`drop table if exists pks_coverage`.execute(db);
  await sql`drop table if exists overview_counts`.execute(db);
}
