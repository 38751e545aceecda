// Every endpoint with every role and party relation, against the real stack. The table it checks is the one in
// docs/access-matrix.md (UPDATE_DOCS=1 rewrites that file from this test).
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, revokeToken } from '../../cli/tokens.js';
import { registerParty } from '../support/lifecycle.js';
import { ADMIN_TOKEN, http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';
import { formTokenFor } from '../../api/web/csrf.js';
import { endSessionsOf } from '../../services/sessions.js';
import { sessionOf } from '../support/people.js';

const RELATIONS = [
  'admin',
  'own party',
  'party under it',
  'unrelated party',
  'viewer',
  'no token',
  'expired token',
  'revoked token',
] as const;
type Relation = (typeof RELATIONS)[number];

let stack: Stack;
const tokens = {} as Record<Relation, string | null>;
const A = 'matrix-a';
const FU = randomUUID();

beforeAll(async () => {
  stack = await startStack();
  const admin = http(stack.baseUrl);
  await registerParty(admin, { id: 'pemkab-a', name: 'Pemkab A', kind: 'pemda' });
  await registerParty(admin, { id: 'opd-a1', name: 'Dinas Sosial A', kind: 'opd', parentId: 'pemkab-a' });
  await registerParty(admin, { id: 'lapas-a', name: 'Lapas A', kind: 'upt' });
  await registerParty(admin, { id: 'pemkot-b', name: 'Pemkot B', kind: 'pemda' });
  // Agreement A: Lapas A with an OPD of Pemkab A; still in exploration, so stage-bound commands are refused (409).
  expect(
    (
      await admin('POST', '/v1/agreements', {
        id: A,
        title: 'Kesepakatan A',
        instrument: 'perjanjian_kerja_sama',
        parties: [
          { partyId: 'lapas-a', role: 'initiator' },
          { partyId: 'opd-a1', role: 'counterpart' },
        ],
        scope: [],
      })
    ).status,
  ).toBe(201);
  const db = stack.database.db;
  tokens.admin = ADMIN_TOKEN;
  tokens['own party'] = (await createToken(db, { role: 'party', partyId: 'lapas-a' })).token;
  tokens['party under it'] = (await createToken(db, { role: 'party', partyId: 'pemkab-a' })).token;
  tokens['unrelated party'] = (await createToken(db, { role: 'party', partyId: 'pemkot-b' })).token;
  tokens.viewer = (await createToken(db, { role: 'viewer' })).token;
  tokens['no token'] = null;
  tokens['expired token'] = (await createToken(db, { role: 'admin', expiresAt: new Date(Date.now() - 60_000) })).token;
  const revoked = await createToken(db, { role: 'admin' });
  await revokeToken(db, revoked.id);
  tokens['revoked token'] = revoked.token;
});
afterAll(async () => stack?.stop());

// The dashboard, for people signed in as themselves (operators and directory contacts), and for no one.
const PEOPLE = [
  'admin',
  'viewer',
  'own party',
  'party above it',
  'unrelated party',
  'no session',
  'ended session',
  'removed contact',
] as const;
type Person = (typeof PEOPLE)[number];
const sessions = {} as Record<Person, string | null>;

async function signInPeople(): Promise<void> {
  const db = stack.database.db;
  sessions.admin = await sessionOf(db, 'admin@matrix.test', 'admin');
  sessions.viewer = await sessionOf(db, 'peninjau@matrix.test', 'viewer');
  sessions['own party'] = await sessionOf(db, 'penghubung@lapas-a.test');
  sessions['party above it'] = await sessionOf(db, 'penghubung@pemkab-a.test');
  sessions['unrelated party'] = await sessionOf(db, 'penghubung@pemkot-b.test');
  sessions['no session'] = null;
  sessions['ended session'] = await sessionOf(db, 'kepala@lapas-a.test');
  await endSessionsOf(db, 'kepala@lapas-a.test');
  sessions['removed contact'] = await sessionOf(db, 'atasan@pemkot-b.test');
  const party = (await http(stack.baseUrl)('GET', '/v1/parties/pemkot-b')).body;
  await http(stack.baseUrl)('PATCH', '/v1/parties/pemkot-b', {
    contacts: party.contacts.filter((c: { email: string }) => c.email !== 'atasan@pemkot-b.test'),
  });
}

/** A page or a form post as a browser sends it, with the session's cookie and form token. */
async function asPerson(who: Person, method: string, path: string, form?: Record<string, string>): Promise<number> {
  const id = sessions[who];
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      ...(id ? { cookie: `sinergi_sesi=${id}` } : {}),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(form ? { body: new URLSearchParams({ ...form, ...(id ? { csrf: formTokenFor(id) } : {}) }) } : {}),
  });
  await res.arrayBuffer();
  return res.status;
}

type PeopleExpect = Record<Person, number>;
const signedOut = { 'no session': 303, 'ended session': 303, 'removed contact': 303 } as const;
const everyone = (ok: number): PeopleExpect => ({
  admin: ok,
  viewer: ok,
  'own party': ok,
  'party above it': ok,
  'unrelated party': ok,
  ...signedOut,
});
const PAGES: { label: string; method: string; path: string; form?: Record<string, string>; expect: PeopleExpect }[] = [
  { label: 'GET /kesepakatan', method: 'GET', path: '/kesepakatan', expect: everyone(200) },
  {
    label: 'GET /kesepakatan/{A}',
    method: 'GET',
    path: `/kesepakatan/${A}`,
    expect: { ...everyone(200), 'unrelated party': 404 },
  },
  {
    label: 'POST /kesepakatan/{A}/aksi/meetings',
    method: 'POST',
    path: `/kesepakatan/${A}/aksi/meetings`,
    form: { kind: 'coordination', at: `${dates.workingDays(12)}T09:00`, venue: 'Aula' },
    expect: { ...everyone(303), viewer: 403, 'unrelated party': 404 },
  },
  { label: 'GET /tenggat', method: 'GET', path: '/tenggat', expect: everyone(200) },
  { label: 'GET /kalender', method: 'GET', path: '/kalender', expect: everyone(200) },
  { label: 'GET /direktori', method: 'GET', path: '/direktori', expect: everyone(200) },
  {
    label: 'POST /direktori/{Lapas A}/kontak',
    method: 'POST',
    path: '/direktori/lapas-a/kontak',
    form: {
      contacts:
        'Penghubung lapas-a; Kasubag; penghubung@lapas-a.test; penghubung\nPimpinan lapas-a; Kepala; kepala@lapas-a.test; penanda tangan',
    },
    expect: { ...everyone(403), admin: 303, 'own party': 303 },
  },
  {
    label: 'POST /direktori/pihak',
    method: 'POST',
    path: '/direktori/pihak',
    form: { id: 'opd-matrix', name: 'Dinas Baru', kind: 'opd', parentId: 'pemkab-a', timeZone: 'Asia/Jakarta' },
    expect: { ...everyone(403), admin: 303 },
  },
  {
    label: 'POST /direktori/{Pemkab A}/ubah',
    method: 'POST',
    path: '/direktori/pemkab-a/ubah',
    form: { name: 'Pemkab A', parentId: '', timeZone: 'Asia/Jakarta' },
    expect: { ...everyone(403), admin: 303 },
  },
  {
    label: 'GET /direktori/{Pemkab A}/impor',
    method: 'GET',
    path: '/direktori/pemkab-a/impor',
    expect: { ...everyone(403), admin: 200 },
  },
  { label: 'GET /sesi', method: 'GET', path: '/sesi', expect: everyone(200) },
  { label: 'GET /ringkasan', method: 'GET', path: '/ringkasan', expect: everyone(200) },
  { label: 'GET /dokumen?q=kerja', method: 'GET', path: '/dokumen?q=kerja', expect: everyone(200) },
  {
    label: 'GET /publik (no sign-in)',
    method: 'GET',
    path: '/publik',
    expect: { ...everyone(200), 'no session': 200, 'ended session': 200, 'removed contact': 200 },
  },
];

function peopleMarkdown(rows: { label: string; got: PeopleExpect }[]): string {
  return (
    '\n## The dashboard, by person\n\nPeople sign in as themselves (an e-mailed link or SSO); the dashboard takes no token. ' +
    '"party above it" is a contact of Pemkab A, over the OPD that takes part. A signed-out visitor is sent to `/masuk` (303).\n\n' +
    `| page | ${PEOPLE.join(' | ')} |\n|---|${PEOPLE.map(() => '---').join('|')}|\n` +
    rows.map((r) => `| ${r.label} | ${PEOPLE.map((p) => r.got[p]).join(' | ')} |`).join('\n') +
    '\n'
  );
}

type Expect = Record<Relation, number>;
const auth = (ok: Omit<Expect, 'no token' | 'expired token' | 'revoked token'>): Expect => ({
  ...ok,
  'no token': 401,
  'expired token': 401,
  'revoked token': 401,
});
const read = auth({ admin: 200, 'own party': 200, 'party under it': 200, 'unrelated party': 404, viewer: 200 });
const listing = auth({ admin: 200, 'own party': 200, 'party under it': 200, 'unrelated party': 200, viewer: 200 });
const adminOnly = (ok: number) =>
  auth({ admin: ok, 'own party': 403, 'party under it': 403, 'unrelated party': 403, viewer: 403 });
const act = (ok: number) =>
  auth({ admin: ok, 'own party': ok, 'party under it': ok, 'unrelated party': 404, viewer: 403 });

interface Row {
  label: string;
  method: string;
  path: (r: Relation) => string;
  body?: (r: Relation) => unknown;
  expect: Expect;
}

const fresh = (r: Relation) => `cancel-${r.replace(/ /g, '-')}`;
const ROWS: Row[] = [
  { label: 'GET /v1/parties', method: 'GET', path: () => '/v1/parties', expect: listing },
  { label: 'GET /v1/parties/{id}', method: 'GET', path: () => '/v1/parties/lapas-a', expect: listing },
  {
    label: 'POST /v1/parties',
    method: 'POST',
    path: () => '/v1/parties',
    body: (r) => ({ id: `p-${r.replace(/ /g, '-')}`, name: 'Baru', kind: 'other', contacts: [] }),
    expect: adminOnly(201),
  },
  {
    label: 'PATCH /v1/parties/{id}',
    method: 'PATCH',
    path: () => '/v1/parties/pemkot-b',
    body: () => ({ name: 'Pemkot B (ubah)' }),
    expect: adminOnly(200),
  },
  {
    label: 'POST /v1/parties/{id}/calendar-feeds (Lapas A)',
    method: 'POST',
    path: () => '/v1/parties/lapas-a/calendar-feeds',
    expect: auth({ admin: 201, 'own party': 201, 'party under it': 403, 'unrelated party': 403, viewer: 403 }),
  },
  {
    label: 'POST /v1/parties/{id}/calendar-feeds/revoke (Lapas A)',
    method: 'POST',
    path: () => '/v1/parties/lapas-a/calendar-feeds/revoke',
    expect: auth({ admin: 200, 'own party': 200, 'party under it': 403, 'unrelated party': 403, viewer: 403 }),
  },
  { label: 'GET /v1/agreements', method: 'GET', path: () => '/v1/agreements', expect: listing },
  { label: 'GET /v1/follow-ups', method: 'GET', path: () => '/v1/follow-ups', expect: listing },
  {
    label: 'POST /v1/agreements (with its own party)',
    method: 'POST',
    path: () => '/v1/agreements',
    body: (r) => ({
      id: `new-${r.replace(/ /g, '-')}`,
      title: 'Baru',
      instrument: 'nota_kesepahaman',
      parties: [
        { partyId: 'lapas-a', role: 'initiator' },
        { partyId: 'opd-a1', role: 'counterpart' },
      ],
      scope: [],
    }),
    expect: auth({ admin: 201, 'own party': 201, 'party under it': 201, 'unrelated party': 403, viewer: 403 }),
  },
  { label: 'GET /v1/agreements/{id}', method: 'GET', path: () => `/v1/agreements/${A}`, expect: read },
  { label: 'GET /v1/reports/overview', method: 'GET', path: () => '/v1/reports/overview', expect: listing },
  { label: 'GET /v1/documents?q=', method: 'GET', path: () => '/v1/documents?q=kerja', expect: listing },
  {
    label: 'GET /v1/agreements/{id}/documents',
    method: 'GET',
    path: () => `/v1/agreements/${A}/documents`,
    expect: read,
  },
  {
    label: 'POST .../publication (initiator or admin; before active)',
    method: 'POST',
    path: () => `/v1/agreements/${A}/publication`,
    body: () => ({ public: true }),
    expect: auth({ admin: 409, 'own party': 409, 'party under it': 403, 'unrelated party': 404, viewer: 403 }),
  },
  { label: 'GET /v1/agreements/{id}/events', method: 'GET', path: () => `/v1/agreements/${A}/events`, expect: read },
  {
    label: 'GET /v1/agreements/{id}/notifications',
    method: 'GET',
    path: () => `/v1/agreements/${A}/notifications`,
    expect: read,
  },
  {
    label: 'POST .../meetings',
    method: 'POST',
    path: () => `/v1/agreements/${A}/meetings`,
    body: () => ({ kind: 'audiensi', at: dates.at(dates.workingDays(5)), venue: 'Aula' }),
    expect: act(200),
  },
  {
    label: 'POST .../meetings/{id}/minutes (unknown meeting)',
    method: 'POST',
    path: () => `/v1/agreements/${A}/meetings/${FU}/minutes`,
    body: () => ({ attendees: [{ name: 'X', position: 'Y', partyId: 'lapas-a' }], summary: 'S' }),
    expect: act(409),
  },
  {
    label: 'POST .../meetings/{id}/reschedule (unknown meeting)',
    method: 'POST',
    path: () => `/v1/agreements/${A}/meetings/${FU}/reschedule`,
    body: () => ({ venue: 'Aula baru' }),
    expect: act(409),
  },
  {
    label: 'POST .../meetings/{id}/cancel (unknown meeting)',
    method: 'POST',
    path: () => `/v1/agreements/${A}/meetings/${FU}/cancel`,
    body: () => ({ reason: 'Berhalangan' }),
    expect: act(409),
  },
  {
    label: 'POST .../drafts (before drafting)',
    method: 'POST',
    path: () => `/v1/agreements/${A}/drafts`,
    body: () => ({ documentUrl: 'https://dokumen.test/a.pdf' }),
    expect: act(409),
  },
  {
    label: 'POST .../drafts/{v}/reviews as the OPD',
    method: 'POST',
    path: () => `/v1/agreements/${A}/drafts/1/reviews`,
    body: () => ({ partyId: 'opd-a1', decision: 'approve' }),
    expect: auth({ admin: 409, 'own party': 403, 'party under it': 403, 'unrelated party': 404, viewer: 403 }),
  },
  {
    label: 'POST .../signing (before signing)',
    method: 'POST',
    path: () => `/v1/agreements/${A}/signing`,
    body: () => ({
      at: dates.at(dates.workingDays(5)),
      venue: 'Aula',
      signatories: [{ partyId: 'lapas-a', name: 'K', position: 'Kalapas' }],
    }),
    expect: act(409),
  },
  {
    label: 'POST .../signing/record (initiator or admin)',
    method: 'POST',
    path: () => `/v1/agreements/${A}/signing/record`,
    body: () => ({ signedAt: dates.today, documentNumbers: { 'lapas-a': '1', 'opd-a1': '2' } }),
    expect: auth({ admin: 409, 'own party': 409, 'party under it': 403, 'unrelated party': 404, viewer: 403 }),
  },
  {
    label: 'POST .../operational-agreements (before active)',
    method: 'POST',
    path: () => `/v1/agreements/${A}/operational-agreements`,
    body: () => ({ partyId: 'pemkot-b', title: 'PKS', scope: [] }),
    expect: act(409),
  },
  {
    label: 'POST .../follow-ups',
    method: 'POST',
    path: () => `/v1/agreements/${A}/follow-ups`,
    body: () => ({ title: 'Tindak lanjut', ownerPartyId: 'lapas-a', due: dates.workingDays(8) }),
    expect: act(200),
  },
  {
    label: 'POST .../follow-ups/{id}/complete (unknown)',
    method: 'POST',
    path: () => `/v1/agreements/${A}/follow-ups/${FU}/complete`,
    body: () => ({}),
    expect: act(409),
  },
  {
    label: 'POST .../follow-ups/{id}/reschedule (unknown)',
    method: 'POST',
    path: () => `/v1/agreements/${A}/follow-ups/${FU}/reschedule`,
    body: () => ({ due: dates.workingDays(10) }),
    expect: act(409),
  },
  {
    label: 'POST .../follow-ups/{id}/cancel (unknown)',
    method: 'POST',
    path: () => `/v1/agreements/${A}/follow-ups/${FU}/cancel`,
    body: () => ({}),
    expect: act(409),
  },
  {
    label: 'POST .../reports (before active)',
    method: 'POST',
    path: () => `/v1/agreements/${A}/reports`,
    body: () => ({ period: 'I', summary: 'S' }),
    expect: act(409),
  },
  {
    label: 'POST .../renewal (before active)',
    method: 'POST',
    path: () => `/v1/agreements/${A}/renewal`,
    body: () => ({ decision: 'end' }),
    expect: act(409),
  },
  {
    label: 'POST .../cancel',
    method: 'POST',
    path: (r) => `/v1/agreements/${fresh(r)}/cancel`,
    body: () => ({ reason: 'Uji' }),
    expect: act(200),
  },
];

function markdown(rows: { label: string; got: Expect }[]): string {
  const header = `| endpoint | ${RELATIONS.join(' | ')} |\n|---|${RELATIONS.map(() => '---').join('|')}|\n`;
  return (
    '# Access matrix\n\nEach cell is the HTTP status that role gets, checked by `tests/e2e/access-matrix.test.ts` against the real stack.\n' +
    'The agreement is between Lapas A (initiator) and an OPD of Pemkab A, in the exploration stage, so commands that its\n' +
    'stage forbids answer 409 to those allowed to send them. "party under it" is a Pemkab A token: its OPD takes part.\n' +
    'A party token reviews only as its own party; the signing is recorded by the initiator or an admin.\n\n' +
    header +
    rows.map((r) => `| ${r.label} | ${RELATIONS.map((rel) => r.got[rel]).join(' | ')} |`).join('\n') +
    '\n'
  );
}

let tokenTable = '';

describe('access matrix', () => {
  it('gives every role the expected status on every endpoint', async () => {
    const admin = http(stack.baseUrl);
    for (const r of RELATIONS) {
      await admin('POST', '/v1/agreements', {
        id: fresh(r),
        title: 'Untuk dibatalkan',
        instrument: 'nota_kesepahaman',
        parties: [
          { partyId: 'lapas-a', role: 'initiator' },
          { partyId: 'opd-a1', role: 'counterpart' },
        ],
        scope: [],
      });
    }
    const results: { label: string; got: Expect }[] = [];
    const mismatches: string[] = [];
    for (const row of ROWS) {
      const got = {} as Expect;
      for (const r of RELATIONS) {
        const res = await http(stack.baseUrl, tokens[r])(row.method, row.path(r), row.body?.(r));
        got[r] = res.status;
        if (res.status !== row.expect[r])
          mismatches.push(
            `${row.label} as ${r}: ${res.status} (expected ${row.expect[r]}) ${JSON.stringify(res.body)}`,
          );
      }
      results.push({ label: row.label, got });
    }
    expect(mismatches).toEqual([]);
    tokenTable = markdown(results);
  });

  it('gives every person the expected status on every dashboard page', async () => {
    await signInPeople();
    const results: { label: string; got: PeopleExpect }[] = [];
    const mismatches: string[] = [];
    for (const page of PAGES) {
      const got = {} as PeopleExpect;
      for (const who of PEOPLE) {
        got[who] = await asPerson(who, page.method, page.path, page.form);
        if (got[who] !== page.expect[who])
          mismatches.push(`${page.label} as ${who}: ${got[who]} (expected ${page.expect[who]})`);
      }
      results.push({ label: page.label, got });
    }
    expect(mismatches).toEqual([]);
    const doc = new URL('../../docs/access-matrix.md', import.meta.url);
    const text = tokenTable + peopleMarkdown(results);
    if (process.env.UPDATE_DOCS) writeFileSync(doc, text);
    expect(readFileSync(doc, 'utf8')).toBe(text);
  });

  it('filters lists to what a party token may see', async () => {
    const unrelated = await http(stack.baseUrl, tokens['unrelated party'])('GET', '/v1/agreements?limit=200');
    expect(unrelated.body.items).toEqual([]);
    const under = await http(stack.baseUrl, tokens['party under it'])('GET', '/v1/agreements?limit=200');
    expect(under.body.items.length).toBeGreaterThan(0);
    expect(
      under.body.items.every((a: { parties: { partyId: string }[] }) => a.parties.some((p) => p.partyId === 'opd-a1')),
    ).toBe(true);
  });

  it('records the actor of every command in its event', async () => {
    const events = (await http(stack.baseUrl)('GET', `/v1/agreements/${A}/events`)).body.items as {
      type: string;
      actor: { kind: string; id: string; role: string; partyId?: string };
    }[];
    const meetings = events.filter((e) => e.type === 'MeetingScheduled');
    const by = (kind: string) =>
      meetings
        .filter((e) => e.actor.kind === kind)
        .map((e) => `${e.actor.role}:${e.actor.partyId ?? '-'}:${e.actor.id}`)
        .sort();
    expect(by('token').map((a) => a.split(':').slice(0, 2).join(':'))).toEqual([
      'admin:-',
      'party:lapas-a',
      'party:pemkab-a',
    ]);
    // From the dashboard, each person by their e-mail.
    expect(by('person')).toEqual([
      'admin:-:admin@matrix.test',
      'party:lapas-a:penghubung@lapas-a.test',
      'party:pemkab-a:penghubung@pemkab-a.test',
    ]);
    expect(events.every((e) => e.actor && e.actor.id)).toBe(true);
  });
});
