// A party's list over the parties under it in the directory (a Kanwil and its UPTs), page by page, against real
// PostgreSQL: with only a stage asked for it is read from `agreement_parties` alone; with another filter it reads the
// agreements too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listViews, type ListFilter } from '../../services/agreement-reads.js';
import type { AgreementView } from '../../domain/view.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
const PARTIES = ['kanwil-x', 'upt-1', 'upt-2', 'upt-3'];
// 30 agreements: each between one UPT (in turn) and the Kanwil or a Pemda; every third at `active`.
const rows = Array.from({ length: 30 }, (_, i) => {
  const id = `a-${String(i).padStart(2, '0')}`;
  const parties = [PARTIES[1 + (i % 3)]!, i % 4 === 0 ? 'kanwil-x' : 'pemda-y'];
  const stage = i % 3 === 0 ? 'active' : 'drafting';
  const instrument = i % 2 === 0 ? 'nota_kesepahaman' : 'perjanjian_kerja_sama';
  return { id, parties, stage, instrument, createdAt: new Date(Date.UTC(2026, 0, 1 + i)) };
});

beforeAll(async () => {
  t = await createTestDatabase('list_parties');
  // The directory: the Kanwil above its three UPTs; the Pemda apart.
  await t.db
    .insertInto('parties')
    .values(
      [...PARTIES, 'pemda-y'].map((id) => ({
        id,
        name: id,
        kind: id.startsWith('kanwil') ? 'kanwil' : id.startsWith('upt') ? 'upt' : 'pemda',
        parent_id: id.startsWith('upt') ? 'kanwil-x' : null,
        time_zone: 'Asia/Jakarta',
        contacts: JSON.stringify([]),
        updated_at: new Date(),
      })),
    )
    .execute();
  for (const r of rows) {
    await t.db
      .insertInto('agreements')
      .values({
        id: r.id,
        title: r.id,
        instrument: r.instrument as 'nota_kesepahaman',
        stage: r.stage as 'active',
        parent_id: null,
        renewal_of: null,
        party_ids: r.parties,
        view: JSON.stringify({ id: r.id }),
        version: 1,
        created_at: r.createdAt,
        updated_at: r.createdAt,
      })
      .execute();
    await t.db
      .insertInto('agreement_parties')
      .values(r.parties.map((p) => ({ party_id: p, agreement_id: r.id, created_at: r.createdAt, stage: r.stage })))
      .execute();
  }
});
afterAll(async () => t?.drop());

/** Every page of the list, two at a time. */
async function allPages(f: Omit<ListFilter, 'limit' | 'cursor'>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: ListFilter['cursor'];
  do {
    const page = await listViews(t.db, { ...f, limit: 2, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.map((v: AgreementView) => v.id));
    cursor = page.next;
  } while (cursor);
  return ids;
}

const expected = (keep: (r: (typeof rows)[number]) => boolean) =>
  rows
    .filter((r) => r.parties.some((p) => PARTIES.includes(p)) && keep(r))
    .map((r) => r.id)
    .reverse();

describe("a Kanwil's list over its tree", () => {
  it('with a stage alone: each agreement once, newest first, over every page', async () => {
    expect(await allPages({ partyTreeOf: 'kanwil-x', stage: 'active' })).toEqual(expected((r) => r.stage === 'active'));
    expect(await allPages({ partyTreeOf: 'kanwil-x' })).toEqual(expected(() => true));
  });

  it('with another filter or a caller that sees only some parties: the agreements are read too', async () => {
    expect(await allPages({ partyTreeOf: 'kanwil-x', stage: 'drafting', instrument: 'nota_kesepahaman' })).toEqual(
      expected((r) => r.stage === 'drafting' && r.instrument === 'nota_kesepahaman'),
    );
    expect(await allPages({ partyTreeOf: 'kanwil-x', visiblePartyIds: ['kanwil-x'] })).toEqual(
      expected((r) => r.parties.includes('kanwil-x')),
    );
  });

  it('a party alone is its own tree; a party the directory does not hold lists nothing', async () => {
    expect(await allPages({ partyTreeOf: 'upt-2' })).toEqual(
      rows
        .filter((r) => r.parties.includes('upt-2'))
        .map((r) => r.id)
        .reverse(),
    );
    expect(await allPages({ partyTreeOf: 'tidak-ada' })).toEqual([]);
  });
});
