// Routes over the real service and a real PostgreSQL, with app.inject: the doors' translation and refusals, fast.
// Nothing here sends a command to a workflow, so Temporal is a lazy connection that is never dialled.
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createToken } from '../../cli/tokens.js';
import { agreementRow } from '../../activities/projections/agreements.js';
import type { DomainEvent } from '../../domain/events.js';
import { fold } from '../../domain/evolve.js';
import { toView } from '../../domain/view.js';
import { signLink, type LinkClaims } from '../../infra/links.js';
import { formTokenFor } from '../../api/web/csrf.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { adminSession, sessionOf } from '../support/people.js';
import { lapasGarut, pemkabGarut } from '../support/scenario.js';
import { ADMIN_TOKEN, LINK_SECRET, quietLog } from '../support/stack.js';
import { draft1, inDrafting } from '../unit/fixtures.js';
import { record } from '../unit/given-when-then.js';

let t: TestDatabase;
let app: FastifyInstance;
/** Sessions of a Pemkab Garut contact and of an admin operator. */
let partySession: string;
let adminSessionId: string;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const cookie = (token: string) => ({ cookie: `sinergi_sesi=${token}` });

/** An agreement as the projection keeps it, folded from facts: no workflow needed to read it. */
async function seed(id: string, events: DomainEvent[]): Promise<void> {
  const view = toView(fold(id, record(events)));
  await t.db
    .insertInto('agreements')
    .values(agreementRow({ ...view, id }))
    .execute();
}

beforeAll(async () => {
  t = await createTestDatabase('routes');
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  app = await buildApp({ db: t.db, temporal, adminToken: ADMIN_TOKEN, log: quietLog, linkSecret: LINK_SECRET });
  for (const party of [lapasGarut, pemkabGarut]) {
    expect((await app.inject({ method: 'POST', url: '/v1/parties', headers: admin, payload: party })).statusCode).toBe(
      201,
    );
  }
  partySession = await sessionOf(t.db, 'widi@garutkab.test');
  adminSessionId = await adminSession(t.db);
  await seed('garut', [...inDrafting, draft1]);
});

afterAll(async () => {
  await app?.close();
  await t?.drop();
});

describe('/v1 routes over the service', () => {
  it('refuses a start whose initiator is unknown, naming the field, before any workflow exists', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/agreements',
      headers: admin,
      payload: {
        title: 'X',
        instrument: 'nota_kesepahaman',
        scope: [],
        parties: [{ partyId: 'tidak-ada', role: 'initiator' }],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toMatch(/^parties/);
    expect(Number((await sql<{ n: number }>`select count(*)::int as n from agreements`.execute(t.db)).rows[0]!.n)).toBe(
      1,
    );
  });

  it('reads an agreement from the projection, and lists it as a summary', async () => {
    const view = (await app.inject({ method: 'GET', url: '/v1/agreements/garut', headers: admin })).json();
    expect(view).toMatchObject({ id: 'garut', stage: 'drafting', children: [] });
    expect(view).not.toHaveProperty('monev');
    const list = (await app.inject({ method: 'GET', url: '/v1/agreements?stage=drafting', headers: admin })).json();
    expect(list.items.map((a: { id: string }) => a.id)).toEqual(['garut']);
    expect(list.items[0]).not.toHaveProperty('drafts');
  });

  it("hides another party's agreement exactly as an unknown id", async () => {
    await app.inject({
      method: 'POST',
      url: '/v1/parties',
      headers: admin,
      payload: { ...pemkabGarut, id: 'pemkab-lain', contacts: [] },
    });
    const other = (await createToken(t.db, { role: 'party', partyId: 'pemkab-lain' })).token;
    const hidden = await app.inject({
      method: 'GET',
      url: '/v1/agreements/garut',
      headers: { authorization: `Bearer ${other}` },
    });
    const unknown = await app.inject({
      method: 'GET',
      url: '/v1/agreements/tidak-ada',
      headers: { authorization: `Bearer ${other}` },
    });
    expect([hidden.statusCode, unknown.statusCode]).toEqual([404, 404]);
    expect(hidden.json().error.code).toBe(unknown.json().error.code);
  });
});

describe('dashboard routes over the service', () => {
  it('sends a signed-out visitor to the sign-in page before reading any input', async () => {
    const res = await app.inject({ method: 'GET', url: '/kesepakatan?stage=bukan-tahap' });
    expect([res.statusCode, res.headers.location]).toEqual([303, '/masuk']);
  });

  it('refuses a query outside its schema with a page naming the field', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/kesepakatan?stage=bukan-tahap',
      headers: cookie(adminSessionId),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Tahap: pilihan ini tidak dikenal');
  });

  it('names parties on the list and the agreement page, never by id', async () => {
    const list = await app.inject({ method: 'GET', url: '/kesepakatan', headers: cookie(partySession) });
    expect(list.body).toContain('Lapas Kelas IIA Garut; Pemerintah Kabupaten Garut');
    // The start form proposes the person's own party as the initiator.
    expect(list.body).toContain('<option value="pemkab-garut" selected>Pemerintah Kabupaten Garut</option>');
    const page = await app.inject({ method: 'GET', url: '/kesepakatan/garut', headers: cookie(partySession) });
    expect(page.statusCode).toBe(200);
    const review = page.body.slice(
      page.body.indexOf('id="form-review"'),
      page.body.indexOf('</section>', page.body.indexOf('id="form-review"')),
    );
    expect(review).toContain('<option value="pemkab-garut">Pemerintah Kabupaten Garut</option>');
    expect(review).not.toContain('<option value="lapas-garut">'); // a party reviews only for itself
  });

  it('refuses a form with a field no form has, and one with a control character, naming each', async () => {
    const post = (payload: string) =>
      app.inject({
        method: 'POST',
        url: '/kesepakatan/garut/aksi/review',
        payload,
        headers: { ...cookie(partySession), 'content-type': 'application/x-www-form-urlencoded' },
      });
    const control = await post(
      `partyId=pemkab-garut&decision=approve&comments=a%07b&csrf=${formTokenFor(partySession)}`,
    );
    expect(control.statusCode).toBe(400);
    expect(control.body).toContain('Catatan: berisi karakter yang tidak diizinkan');
    expect(control.body).toContain('karakter yang tidak diizinkan');
    const badName = await post(
      `partyId=pemkab-garut&decision=approve&%3Cscript%3E=1&csrf=${formTokenFor(partySession)}`,
    );
    expect(badName.statusCode).toBe(400);
    expect(badName.body).not.toContain('<script>');
  });
});

describe('the directory page', () => {
  it('lists every party with its zone and contacts, each OPD under its Pemda', async () => {
    const opd = {
      ...pemkabGarut,
      id: 'dinas-garut',
      name: 'Dinas Sosial Garut',
      parentId: 'pemkab-garut',
      contacts: [{ name: 'Rina', position: 'Kabid', email: 'rina@dinsos.test', role: 'liaison' }],
    };
    expect((await app.inject({ method: 'POST', url: '/v1/parties', headers: admin, payload: opd })).statusCode).toBe(
      201,
    );
    const page = await app.inject({ method: 'GET', url: '/direktori', headers: cookie(partySession) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('rina@dinsos.test');
    expect(page.body).toContain('widi@garutkab.test');
    const pemkab = page.body.indexOf('Pemerintah Kabupaten Garut');
    const nested = page.body.indexOf('<div class="nested">', pemkab);
    expect(nested).toBeGreaterThan(pemkab);
    expect(page.body.indexOf('Dinas Sosial Garut')).toBeGreaterThan(nested);
  });

  it('gives a party added without an id a readable one made from its name', async () => {
    const add = async () =>
      (
        await app.inject({
          method: 'POST',
          url: '/v1/parties',
          headers: admin,
          payload: { name: 'Dinas Pemuda & Olahraga Garut', kind: 'opd', contacts: [] },
        })
      ).json();
    expect((await add()).id).toBe('dinas-pemuda-dan-olahraga-garut');
    expect((await add()).id).toBe('dinas-pemuda-dan-olahraga-garut-2');
  });
});

describe('forms from another site', () => {
  const post = (payload: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/kesepakatan/garut/aksi/review',
      payload,
      headers: { ...cookie(partySession), 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });

  it("puts the session's form token in every form of a page", async () => {
    const page = (await app.inject({ method: 'GET', url: '/kesepakatan/garut', headers: cookie(partySession) })).body;
    const forms = page.match(/<form\b[^>]*\bmethod="post"/g)!.length;
    expect(forms).toBeGreaterThan(1);
    expect(page.split(`name="csrf" value="${formTokenFor(partySession)}"`).length - 1).toBe(forms);
  });

  it('refuses a form without the token, or posted from another origin, recording nothing', async () => {
    const before = await t.db
      .selectFrom('agreements')
      .select('view')
      .where('id', '=', 'garut')
      .executeTakeFirstOrThrow();
    const missing = await post('partyId=pemkab-garut&decision=approve');
    const forged = await post('partyId=pemkab-garut&decision=approve&csrf=ditebak');
    const elsewhere = await post(`partyId=pemkab-garut&decision=approve&csrf=${formTokenFor(partySession)}`, {
      origin: 'https://jahat.test',
    });
    expect([missing.statusCode, forged.statusCode, elsewhere.statusCode]).toEqual([403, 403, 403]);
    expect(missing.body).toContain('tidak dikirim dari halaman Sinergi');
    expect(
      (await t.db.selectFrom('agreements').select('view').where('id', '=', 'garut').executeTakeFirstOrThrow()).view,
    ).toEqual(before.view);
  });
});

describe('e-mail link pages over the service', () => {
  const link = (claims: Pick<LinkClaims, 'p' | 'act'> & Partial<LinkClaims>) =>
    signLink(LINK_SECRET, { a: 'garut', e: 'meisya@garutkab.test', exp: Date.now() / 1000 + 3600, ...claims });

  it('shows the review page naming the party it acts for', async () => {
    const res = await app.inject({ method: 'GET', url: `/tautan/${link({ p: 'pemkab-garut', act: 'review', v: 1 })}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Atas nama pihak: <strong>Pemerintah Kabupaten Garut</strong>');
  });

  it('refuses a superseded draft in the words decide uses, before anyone acts', async () => {
    const res = await app.inject({ method: 'GET', url: `/tautan/${link({ p: 'pemkab-garut', act: 'review', v: 0 })}` });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Draf versi 0 tidak ada.');
  });

  it('refuses a follow-up that does not exist, and a forged link', async () => {
    const missing = await app.inject({
      method: 'GET',
      url: `/tautan/${link({ p: 'pemkab-garut', act: 'complete', f: 'f-x' })}`,
    });
    expect(missing.statusCode).toBe(409);
    expect(missing.body).toContain('Tindak lanjut &quot;f-x&quot; tidak ada');
    const forged = await app.inject({ method: 'GET', url: '/tautan/bukan.tautan' });
    expect(forged.statusCode).toBe(400);
  });
});

describe('contacts edited on the directory page', () => {
  const post = (partyId: string, contacts: string) =>
    app.inject({
      method: 'POST',
      url: `/direktori/${partyId}/kontak`,
      payload: new URLSearchParams({ contacts, csrf: formTokenFor(partySession) }).toString(),
      headers: { ...cookie(partySession), 'content-type': 'application/x-www-form-urlencoded' },
    });
  const contactsOf = async (id: string) =>
    (await app.inject({ method: 'GET', url: `/v1/parties/${id}`, headers: admin })).json().contacts;

  it("lets a party's own liaison change its contacts, line by line, and no one else's", async () => {
    const page = (await app.inject({ method: 'GET', url: '/direktori', headers: cookie(partySession) })).body;
    expect(page).toContain('action="/direktori/pemkab-garut/kontak"');
    expect(page).not.toContain('action="/direktori/lapas-garut/kontak"');
    const before = await contactsOf('pemkab-garut');
    const bad = await post(
      'pemkab-garut',
      'Widi; Kabag Kerja Sama; widi@garutkab.test; penghubung\nRina; Kasubag; bukan-email; penghubung',
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('baris 2 (e-mail; tulis: Nama; Jabatan; e-mail; peran, dipisah titik koma)');
    expect(await contactsOf('pemkab-garut')).toEqual(before);
    // "penandatangan", as people write it, is the signatory role.
    const ok = await post(
      'pemkab-garut',
      'Widi; Kabag Kerja Sama; widi@garutkab.test; penghubung\nRina; Kasubag; rina@garutkab.test; pimpinan\nBupati; Bupati; bupati@garutkab.test; penandatangan',
    );
    expect([ok.statusCode, ok.headers.location]).toEqual([303, '/direktori?saved=kontak']);
    expect(await contactsOf('pemkab-garut')).toEqual([
      { name: 'Widi', position: 'Kabag Kerja Sama', email: 'widi@garutkab.test', role: 'liaison' },
      { name: 'Rina', position: 'Kasubag', email: 'rina@garutkab.test', role: 'supervisor' },
      { name: 'Bupati', position: 'Bupati', email: 'bupati@garutkab.test', role: 'signatory' },
    ]);
    expect((await post('lapas-garut', 'X; Y; x@y.test; penghubung')).statusCode).toBe(403);
  });
});
