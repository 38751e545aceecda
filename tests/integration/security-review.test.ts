// Findings 3, 4 and 6 of the security review, at the doors: what a party token may name in a command is refused
// with a 400 naming the field, before any workflow is asked, and an agreement it may not see answers as unknown.
// Real PostgreSQL and app.inject; nothing here reaches Temporal (a lazy connection that is never dialled).
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { forgetOldAnswers } from '../../api/idempotency.js';
import { agreementRow } from '../../activities/projections/agreements.js';
import { createToken, revokeToken } from '../../cli/tokens.js';
import { loadConfig } from '../../config/env.js';
import { serveMetrics } from '../../worker/metrics-server.js';
import type { DomainEvent } from '../../domain/events.js';
import { fold } from '../../domain/evolve.js';
import { MAX_PARTIES } from '../../domain/limits.js';
import { toView } from '../../domain/view.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { lapasGarut, pemkabGarut } from '../support/scenario.js';
import { ADMIN_TOKEN, quietLog } from '../support/stack.js';
import { dates } from '../support/test-dates.js';
import { audiensiScheduled, inDrafting, started } from '../unit/fixtures.js';
import { record } from '../unit/given-when-then.js';

let t: TestDatabase;
let app: FastifyInstance;
let garut: { authorization: string };
let lain: { authorization: string };
const MEETING = '00000000-0000-4000-8000-000000000001';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function seed(id: string, events: DomainEvent[]): Promise<void> {
  await t.db
    .insertInto('agreements')
    .values(agreementRow({ ...toView(fold(id, record(events))), id }))
    .execute();
}
const party = (id: string, extra: object = {}) => ({ ...pemkabGarut, id, name: id, contacts: [], ...extra });

beforeAll(async () => {
  t = await createTestDatabase('security');
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  app = await buildApp({ db: t.db, temporal, adminToken: ADMIN_TOKEN, log: quietLog });
  for (const p of [
    lapasGarut,
    pemkabGarut,
    party('pemkab-lain'),
    party('dinas-garut', { parentId: 'pemkab-garut' }),
    party('dinas-lain', { parentId: 'pemkab-lain' }),
  ]) {
    expect((await app.inject({ method: 'POST', url: '/v1/parties', headers: admin, payload: p })).statusCode).toBe(201);
  }
  garut = { authorization: `Bearer ${(await createToken(t.db, { role: 'party', partyId: 'pemkab-garut' })).token}` };
  lain = { authorization: `Bearer ${(await createToken(t.db, { role: 'party', partyId: 'pemkab-lain' })).token}` };
  await seed('garut', inDrafting);
  await seed('garut-rapat', [
    started,
    { ...audiensiScheduled, data: { ...audiensiScheduled.data, meetingId: MEETING } },
  ]);
  await seed('garut-aktif', [started, { type: 'StageChanged', data: { from: 'exploration', to: 'active' } }]);
});

afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const post = (url: string, headers: Record<string, string>, payload: object) =>
  app.inject({ method: 'POST', url, headers, payload });
const error = (res: { json: () => { error: { code: string; field?: string; message: string } } }) => res.json().error;

describe('3. Sinergi e-mails only people in its directory', () => {
  it('refuses a follow-up owner who is not a contact of the owning party, naming the field', async () => {
    const res = await post('/v1/agreements/garut/follow-ups', garut, {
      title: 'Klik tautan ini',
      ownerPartyId: 'pemkab-garut',
      ownerEmail: 'korban@contoh.test',
      due: dates.workingDays(15),
    });
    expect(res.statusCode).toBe(400);
    expect(error(res)).toMatchObject({ code: 'unknown_contact', field: 'ownerEmail' });
  });

  it('refuses the same in minutes, naming the follow-up', async () => {
    const res = await post(`/v1/agreements/garut-rapat/meetings/${MEETING}/minutes`, garut, {
      attendees: [{ name: 'A', position: 'B', partyId: 'pemkab-garut' }],
      summary: 'S',
      followUps: [
        { title: 'Sah', ownerPartyId: 'pemkab-garut', ownerEmail: 'WIDI@garutkab.test', due: dates.workingDays(15) },
        { title: 'Asing', ownerPartyId: 'pemkab-garut', ownerEmail: 'korban@contoh.test', due: dates.workingDays(15) },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(error(res)).toMatchObject({ code: 'unknown_contact', field: 'followUps[1].ownerEmail' });
  });
});

describe('4. an agreement names only what its creator may see', () => {
  const start = (headers: Record<string, string>, extra: object) =>
    post('/v1/agreements', headers, {
      title: 'PKS',
      instrument: 'perjanjian_kerja_sama',
      scope: [],
      parties: [
        { partyId: 'lapas-garut', role: 'initiator' },
        { partyId: 'pemkab-lain', role: 'counterpart' },
      ],
      ...extra,
    });

  it('answers a parent or predecessor it may not see exactly as one that does not exist', async () => {
    for (const field of ['parentId', 'renewalOf']) {
      const hidden = await start(lain, { [field]: 'garut' });
      const unknown = await start(lain, { [field]: 'tidak-ada' });
      expect([hidden.statusCode, unknown.statusCode]).toEqual([400, 400]);
      expect(error(hidden)).toMatchObject({ code: 'unknown_agreement', field });
      expect(error(hidden).message.replace('garut', 'X')).toBe(error(unknown).message.replace('tidak-ada', 'X'));
    }
  });

  it("binds a PKS only to the umbrella's parties and the OPD under them", async () => {
    const outside = await post('/v1/agreements', admin, {
      title: 'PKS',
      instrument: 'perjanjian_kerja_sama',
      scope: [],
      parentId: 'garut-aktif',
      parties: [
        { partyId: 'lapas-garut', role: 'initiator' },
        { partyId: 'dinas-lain', role: 'counterpart' },
      ],
    });
    expect(outside.statusCode).toBe(400);
    expect(error(outside)).toMatchObject({ code: 'party_outside_umbrella', field: 'parties[1].partyId' });
  });

  it('caps the parties of one agreement', async () => {
    const many = Array.from({ length: MAX_PARTIES + 1 }, (_, i) => ({
      partyId: `p${i}`,
      role: i === 0 ? 'initiator' : 'counterpart',
    }));
    const res = await post('/v1/agreements', admin, {
      title: 'Banyak',
      instrument: 'nota_kesepahaman',
      scope: [],
      parties: many,
    });
    expect(res.statusCode).toBe(400);
    expect(error(res).field).toBe('parties');
  });
});

describe('6. an idempotent create keeps to its own ids', () => {
  it('refuses a chosen id in the namespace of ids derived from an Idempotency-Key', async () => {
    const res = await post('/v1/agreements', garut, {
      id: 'idem-0123456789abcdef01234567',
      title: 'X',
      instrument: 'nota_kesepahaman',
      scope: [],
      parties: [
        { partyId: 'lapas-garut', role: 'initiator' },
        { partyId: 'pemkab-garut', role: 'counterpart' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(error(res)).toMatchObject({ code: 'reserved_id', field: 'id' });
  });
});

describe('6. a calendar feed lives no longer than the token that made it', () => {
  it("lists the party's feeds with their age, and stops a feed when its creator's token is revoked", async () => {
    const made = await createToken(t.db, { role: 'party', partyId: 'pemkab-garut', label: 'kasubag' });
    const headers = { authorization: `Bearer ${made.token}` };
    const feed = (await app.inject({ method: 'POST', url: '/v1/parties/pemkab-garut/calendar-feeds', headers })).json();
    const path: string = feed.url; // no public URL is set here, so the link is the path
    expect((await app.inject({ method: 'GET', url: path })).statusCode).toBe(200);
    const listed = (
      await app.inject({ method: 'GET', url: '/v1/parties/pemkab-garut/calendar-feeds', headers: garut })
    ).json();
    expect(listed.items).toContainEqual({
      id: feed.id,
      createdAt: expect.any(String),
      createdBy: made.id,
      creatorKind: 'token',
      expiresAt: feed.expiresAt,
      ageDays: 0,
    });
    expect(await revokeToken(t.db, made.id)).toBe(true);
    const refused = await app.inject({ method: 'GET', url: path });
    expect(refused.statusCode).toBe(401);
  });
});

describe('6. idempotency answers are kept for a set time', () => {
  it('replays an answer within 24 hours, forgets it after, and the sweep deletes it', async () => {
    const headers = { ...admin, 'idempotency-key': 'pihak-baru-1' };
    const payload = party('pemkot-baru');
    const first = await app.inject({ method: 'POST', url: '/v1/parties', headers, payload });
    const again = await app.inject({ method: 'POST', url: '/v1/parties', headers, payload });
    expect([first.statusCode, again.statusCode, again.headers['idempotent-replayed']]).toEqual([201, 201, 'true']);
    await t.db
      .updateTable('idempotency_keys')
      .set({ created_at: new Date(Date.now() - 25 * 3_600_000) })
      .where('key', '=', 'pihak-baru-1')
      .execute();
    // A day later the key is a new request: it runs again (and the party now exists).
    const later = await app.inject({ method: 'POST', url: '/v1/parties', headers, payload });
    expect(later.statusCode).toBe(409);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    await t.db
      .updateTable('idempotency_keys')
      .set({ created_at: new Date(Date.now() - 25 * 3_600_000) })
      .where('key', '=', 'pihak-baru-1')
      .execute();
    expect(await forgetOldAnswers(t.db, 24)).toBe(1);
    expect(await t.db.selectFrom('idempotency_keys').select('key').where('key', '=', 'pihak-baru-1').execute()).toEqual(
      [],
    );
  });
});

describe('6. the sign-in form cannot be posted from another site', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
  // Signing in asks for a link by e-mail; the addresses here are unknown, so no e-mail is ever made.
  let signIn: FastifyInstance;
  beforeAll(async () => {
    const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    signIn = await buildApp({ db: t.db, temporal, log: quietLog, mailFrom: 'Sinergi <sinergi@sinergi.test>' });
  });
  afterAll(async () => signIn?.close());

  it('takes no token in the dashboard: the sign-in page has no token field, and a token post finds no door', async () => {
    const page = await signIn.inject({ method: 'GET', url: '/masuk' });
    expect(page.body).toContain('name="email"');
    expect(page.body).not.toContain('name="token"');
    expect(
      (
        await signIn.inject({
          method: 'POST',
          url: '/masuk',
          headers: formHeaders,
          payload: form({ token: ADMIN_TOKEN }),
        })
      ).statusCode,
    ).toBe(405); // GET only
    const withToken = await signIn.inject({
      method: 'GET',
      url: '/kesepakatan',
      headers: { cookie: `sinergi_sesi=${ADMIN_TOKEN}` },
    });
    expect([withToken.statusCode, withToken.headers.location]).toEqual([303, '/masuk']);
  });

  it("refuses a link request without the form token this site set, or with another page's", async () => {
    const forged = await signIn.inject({
      method: 'POST',
      url: '/masuk/tautan',
      headers: formHeaders,
      payload: form({ email: 'a@b.test', formToken: 'dari-situs-lain' }),
    });
    expect(forged.statusCode).toBe(403);
    const shown = await signIn.inject({ method: 'GET', url: '/masuk' });
    const cookie = shown.cookies.find((c) => c.name === 'sinergi_masuk')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/masuk' });
    const field = /name="formToken" value="([^"]+)"/.exec(shown.body)![1]!;
    expect(field).toBe(cookie.value);
    const other = (await signIn.inject({ method: 'GET', url: '/masuk' })).cookies.find(
      (c) => c.name === 'sinergi_masuk',
    )!.value;
    const mixed = await signIn.inject({
      method: 'POST',
      url: '/masuk/tautan',
      headers: { ...formHeaders, cookie: `sinergi_masuk=${other}` },
      payload: form({ email: 'a@b.test', formToken: field }),
    });
    expect(mixed.statusCode).toBe(403);
    const ok = await signIn.inject({
      method: 'POST',
      url: '/masuk/tautan',
      headers: { ...formHeaders, cookie: `sinergi_masuk=${cookie.value}` },
      payload: form({ email: 'a@b.test', formToken: field }),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('Periksa e-mail Anda');
  });
});

describe('6. no inline script on any page but what /docs needs', () => {
  it('sends a policy without unsafe-inline on the dashboard and the API', async () => {
    for (const url of ['/masuk', '/healthz', '/v1/agreements']) {
      const policy = String((await app.inject({ method: 'GET', url })).headers['content-security-policy']);
      expect(policy, url).toContain("script-src 'self'");
      expect(policy, url).not.toContain('unsafe-inline');
    }
  });
});

describe('6. metrics are not public', () => {
  it('answers /metrics on loopback only, unless a scraper sends the scrape token', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200); // light-my-request's peer is 127.0.0.1
    expect((await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9' })).statusCode).toBe(404);
    expect(
      (await app.inject({ method: 'GET', url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.9' } })).statusCode,
    ).toBe(404);
    const token = 'scrape-'.padEnd(40, 'x');
    const scraped = await buildApp({
      db: t.db,
      temporal: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
      log: quietLog,
      metricsToken: token,
    });
    try {
      expect((await scraped.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      expect(
        (await scraped.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer salah' } }))
          .statusCode,
      ).toBe(404);
      const ok = await scraped.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress: '203.0.113.9',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('sinergi_http_requests_total');
    } finally {
      await scraped.close();
    }
  });

  it("serves the worker's metrics on loopback by default", async () => {
    const server = await serveMetrics(new Registry(), { port: 0, host: loadConfig({}).metricsHost });
    try {
      expect((server.address() as AddressInfo).address).toBe('127.0.0.1');
    } finally {
      server.close();
    }
  });
});
