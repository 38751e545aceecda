// The overview's kept counts (issue 33) against counting the facts per request, over a real PostgreSQL: agreements
// with monev reports due, received on time, late and missing, PKS under an umbrella, and speeds, as the trigger sees
// them inserted, changed and deleted, and after a party moves in the directory.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstMissed } from '../../activities/projections/overview.js';
import type { PartyKind } from '../../domain/types.js';
import type { Principal } from '../../services/access.js';
import { overview } from '../../services/overview.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { dates } from '../support/test-dates.js';

let database: TestDatabase;
const admin: Principal = { kind: 'token', id: 'uji', role: 'admin' };
// The same question twice: a period that holds every agreement is counted per request, the whole from kept counts.
const allTime = { from: dates.days(-4000), to: dates.days(1) };

function facts(id: string, parties: string[], o: { stage: string; parent?: string; signedDaysAgo?: number }) {
  const signed = o.signedDaysAgo === undefined ? null : dates.days(-o.signedDaysAgo);
  const due = signed ? [1, 2, 3, 4].map((k) => dates.days(-o.signedDaysAgo! + 182 * k)) : [];
  // The first report on time, the second late, none since.
  const received = due.length ? [dates.days(-o.signedDaysAgo! + 175), dates.days(-o.signedDaysAgo! + 380)] : [];
  return {
    id,
    title: `Kesepakatan ${id}`,
    instrument: o.parent ? 'perjanjian_kerja_sama' : 'nota_kesepahaman',
    stage: o.stage,
    initiator_id: parties[0]!,
    party_ids: parties,
    parent_id: o.parent ?? null,
    first_audiensi_on: signed ? dates.days(-o.signedDaysAgo! - 120 - id.length) : null,
    draft1_on: signed ? dates.days(-o.signedDaysAgo! - 60) : null,
    approved_on: signed ? dates.days(-o.signedDaysAgo! - 10 - id.length) : null,
    signed_on: signed,
    term_end: signed ? dates.days(-o.signedDaysAgo! + 1826) : null,
    report_due_on: due,
    report_received_on: received,
    first_missed_on: firstMissed(due, received),
    renewal_decided: false,
    published: false,
    created_at: new Date(Date.now() - ((o.signedDaysAgo ?? 0) + 200) * 86_400_000).toISOString(),
  };
}

async function kept() {
  const rows = async (table: string) =>
    (
      await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t order by 1`.execute(database.db)
    ).rows.map((r) => r.row);
  return {
    counts: await rows('overview_counts'),
    institutions: await rows('overview_institutions'),
    durations: await rows('overview_durations'),
    monev: await rows('monev_counts'),
    escalations: await rows('escalation_counts'),
    coverage: await rows('pks_coverage'),
  };
}

/** The kept counts, without rows a change brought back to zero. */
async function keptNonZero() {
  await sql`delete from overview_counts where n = 0`.execute(database.db);
  await sql`delete from overview_institutions where n = 0`.execute(database.db);
  await sql`delete from overview_durations where n = 0`.execute(database.db);
  await sql`delete from monev_counts where due = 0 and on_time = 0 and first_missed = 0`.execute(database.db);
  await sql`delete from pks_coverage where started = 0`.execute(database.db);
  await sql`delete from escalation_counts where n = 0`.execute(database.db);
  return kept();
}

async function expectKeptEqualsAfresh() {
  const asKept = await keptNonZero();
  await sql`select overview_counts_refresh()`.execute(database.db);
  expect(await kept()).toEqual(asKept);
}

async function expectSameBothWays(partyId?: string) {
  const scope = partyId ? { partyId } : {};
  const whole = await overview(database.db, admin, scope);
  const period = await overview(database.db, admin, { ...scope, ...allTime });
  expect(whole.agreements).toEqual(period.agreements);
  expect(whole.speed).toEqual(period.speed);
  expect(whole.monev).toEqual(period.monev);
  expect(whole.followUps).toEqual(period.followUps);
  expect(whole.escalationsByMonth).toEqual(period.escalationsByMonth);
  return whole;
}

beforeAll(async () => {
  database = await createTestDatabase('overview_counts');
  const party = (id: string, kind: PartyKind, parent?: string) => ({
    id,
    name: id,
    kind,
    parent_id: parent ?? null,
    time_zone: 'Asia/Jakarta' as const,
    contacts: JSON.stringify([]),
    updated_at: new Date(),
  });
  await database.db
    .insertInto('parties')
    .values([
      party('kanwil-k', 'kanwil'),
      party('kanwil-l', 'kanwil'),
      party('lapas-a', 'upt', 'kanwil-k'),
      party('bapas-b', 'upt', 'kanwil-k'),
      party('lapas-c', 'upt', 'kanwil-l'),
      party('pemkab-p', 'pemda'),
      party('dinsos-p', 'opd', 'pemkab-p'),
      party('disnaker-p', 'opd', 'pemkab-p'),
    ])
    .execute();
  await database.db
    .insertInto('agreement_facts')
    .values([
      facts('induk', ['lapas-a', 'pemkab-p'], { stage: 'active', signedDaysAgo: 800 }),
      facts('pks-1', ['lapas-a', 'dinsos-p'], { stage: 'active', parent: 'induk', signedDaysAgo: 700 }),
      facts('pks-2', ['lapas-a', 'disnaker-p'], { stage: 'drafting', parent: 'induk' }),
      facts('bapas', ['bapas-b', 'pemkab-p'], { stage: 'ended', signedDaysAgo: 1500 }),
      facts('lapas-c', ['lapas-c', 'pemkab-p'], { stage: 'exploration' }),
    ])
    .execute();
  const followUp = (id: string, agreementId: string, owner: string, level: number, parties: string[]) => ({
    follow_up_id: id,
    agreement_id: agreementId,
    title: `Tindak lanjut ${id.slice(-1)}`,
    owner_party_id: owner,
    status: 'open',
    due: dates.days(-40),
    overdue_on: dates.days(-39),
    escalation_level: level,
    level1_on: level >= 1 ? dates.days(-39) : null,
    level2_on: level >= 2 ? dates.days(-32) : null,
    party_ids: parties,
  });
  await database.db
    .insertInto('follow_up_facts')
    .values([
      followUp('00000000-0000-4000-8000-000000000001', 'induk', 'pemkab-p', 2, ['lapas-a', 'pemkab-p']),
      followUp('00000000-0000-4000-8000-000000000002', 'pks-1', 'dinsos-p', 1, ['lapas-a', 'dinsos-p']),
      followUp('00000000-0000-4000-8000-000000000003', 'bapas', 'pemkab-p', 0, ['bapas-b', 'pemkab-p']),
    ])
    .execute();
});
afterAll(async () => database?.drop());

describe('the overview kept as the facts change', () => {
  it('gives the same numbers from the kept counts as counted per request, for everyone and for a Kanwil', async () => {
    await expectKeptEqualsAfresh();
    const whole = await expectSameBothWays();
    expect(whole.agreements.total).toBe(5);
    expect(whole.monev.due).toBeGreaterThan(0);
    expect(whole.monev.onTime).toBeGreaterThan(0);
    expect(whole.monev.missing).toBe(3);
    expect(whole.speed.length).toBeGreaterThan(1);
    expect(whole.pksTotals).toEqual({ umbrellas: 1, started: 2, signed: 1 });
    expect(whole.followUps).toMatchObject({ open: 3, overdue: 3, level1: 2, level2: 1, owners: 2 });
    expect((await expectSameBothWays('kanwil-k')).agreements.total).toBe(4);
  });

  it('follows a report received, a stage reached, a PKS signed and an agreement removed', async () => {
    const db = database.db;
    await db
      .updateTable('agreement_facts')
      .set({ report_received_on: [dates.days(-800 + 175), dates.days(-800 + 360), dates.days(-800 + 540)] })
      .where('id', '=', 'induk')
      .execute();
    await db
      .updateTable('agreement_facts')
      .set({ stage: 'active', signed_on: dates.days(-30), draft1_on: dates.days(-90), approved_on: dates.days(-40) })
      .where('id', '=', 'pks-2')
      .execute();
    await db.deleteFrom('agreement_facts').where('id', '=', 'lapas-c').execute();
    await db
      .updateTable('follow_up_facts')
      .set({ escalation_level: 1, level1_on: dates.days(-2) })
      .where('agreement_id', '=', 'bapas')
      .execute();
    await expectKeptEqualsAfresh();
    const whole = await expectSameBothWays();
    expect(whole.agreements.total).toBe(4);
    expect(whole.pksTotals).toEqual({ umbrellas: 1, started: 2, signed: 2 });
    await expectSameBothWays('kanwil-k');
  });

  it('moves the counts with a party that moves to another Kanwil, and back', async () => {
    const before = await keptNonZero();
    const move = async (to: string) => {
      await database.db.transaction().execute(async (tx) => {
        await sql`select overview_counts_add('bapas-b', -1)`.execute(tx);
        await tx.updateTable('parties').set({ parent_id: to }).where('id', '=', 'bapas-b').execute();
        await sql`select overview_counts_add('bapas-b', 1)`.execute(tx);
      });
    };
    await move('kanwil-l');
    expect((await expectSameBothWays('kanwil-l')).agreements.total).toBe(1);
    await expectKeptEqualsAfresh();
    await move('kanwil-k');
    expect(await keptNonZero()).toEqual(before);
  });
});
