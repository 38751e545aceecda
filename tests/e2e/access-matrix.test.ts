// Every endpoint with every role and party relation, against the real stack. The table it checks is the one in
// docs/access-matrix.md (UPDATE_DOCS=1 rewrites that file from this test).
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, revokeToken } from '../../cli/tokens.js';
import { registerParty } from '../support/lifecycle.js';
import { ADMIN_TOKEN, http, startStack, type Stack } from '../support/stack.js';

const RELATIONS = ['admin', 'own party', 'party under it', 'unrelated party', 'viewer', 'no token', 'expired token', 'revoked token'] as const;
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
  expect((await admin('POST', '/v1/agreements', { id: A, title: 'Kesepakatan A', instrument: 'perjanjian_kerja_sama', parties: [{ partyId: 'lapas-a', role: 'initiator' }, { partyId: 'opd-a1', role: 'counterpart' }], scope: [] })).status).toBe(201);
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

type Expect = Record<Relation, number>;
const auth = (ok: Omit<Expect, 'no token' | 'expired token' | 'revoked token'>): Expect => ({ ...ok, 'no token': 401, 'expired token': 401, 'revoked token': 401 });
const read = auth({ admin: 200, 'own party': 200, 'party under it': 200, 'unrelated party': 404, viewer: 200 });
const listing = auth({ admin: 200, 'own party': 200, 'party under it': 200, 'unrelated party': 200, viewer: 200 });
const adminOnly = (ok: number) => auth({ admin: ok, 'own party': 403, 'party under it': 403, 'unrelated party': 403, viewer: 403 });
const act = (ok: number) => auth({ admin: ok, 'own party': ok, 'party under it': ok, 'unrelated party': 404, viewer: 403 });

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
  { label: 'POST /v1/parties', method: 'POST', path: () => '/v1/parties', body: (r) => ({ id: `p-${r.replace(/ /g, '-')}`, name: 'Baru', kind: 'other', contacts: [] }), expect: adminOnly(201) },
  { label: 'PATCH /v1/parties/{id}', method: 'PATCH', path: () => '/v1/parties/pemkot-b', body: () => ({ name: 'Pemkot B (ubah)' }), expect: adminOnly(200) },
  {
    label: 'POST /v1/parties/{id}/calendar-feeds (Lapas A)', method: 'POST', path: () => '/v1/parties/lapas-a/calendar-feeds',
    expect: auth({ admin: 201, 'own party': 201, 'party under it': 403, 'unrelated party': 403, viewer: 403 }),
  },
  {
    label: 'POST /v1/parties/{id}/calendar-feeds/revoke (Lapas A)', method: 'POST', path: () => '/v1/parties/lapas-a/calendar-feeds/revoke',
    expect: auth({ admin: 200, 'own party': 200, 'party under it': 403, 'unrelated party': 403, viewer: 403 }),
  },
  { label: 'GET /v1/agreements', method: 'GET', path: () => '/v1/agreements', expect: listing },
  { label: 'GET /v1/follow-ups', method: 'GET', path: () => '/v1/follow-ups', expect: listing },
  {
    label: 'POST /v1/agreements (with its own party)', method: 'POST', path: () => '/v1/agreements',
    body: (r) => ({ id: `new-${r.replace(/ /g, '-')}`, title: 'Baru', instrument: 'nota_kesepahaman', parties: [{ partyId: 'lapas-a', role: 'initiator' }, { partyId: 'opd-a1', role: 'counterpart' }], scope: [] }),
    expect: auth({ admin: 201, 'own party': 201, 'party under it': 201, 'unrelated party': 403, viewer: 403 }),
  },
  { label: 'GET /v1/agreements/{id}', method: 'GET', path: () => `/v1/agreements/${A}`, expect: read },
  { label: 'GET /v1/agreements/{id}/events', method: 'GET', path: () => `/v1/agreements/${A}/events`, expect: read },
  { label: 'GET /v1/agreements/{id}/notifications', method: 'GET', path: () => `/v1/agreements/${A}/notifications`, expect: read },
  { label: 'POST .../meetings', method: 'POST', path: () => `/v1/agreements/${A}/meetings`, body: () => ({ kind: 'audiensi', at: '2026-12-01T09:00:00+07:00', venue: 'Aula' }), expect: act(200) },
  { label: 'POST .../meetings/{id}/minutes (unknown meeting)', method: 'POST', path: () => `/v1/agreements/${A}/meetings/${FU}/minutes`, body: () => ({ attendees: [{ name: 'X', position: 'Y', partyId: 'lapas-a' }], summary: 'S' }), expect: act(409) },
  { label: 'POST .../meetings/{id}/reschedule (unknown meeting)', method: 'POST', path: () => `/v1/agreements/${A}/meetings/${FU}/reschedule`, body: () => ({ venue: 'Aula baru' }), expect: act(409) },
  { label: 'POST .../meetings/{id}/cancel (unknown meeting)', method: 'POST', path: () => `/v1/agreements/${A}/meetings/${FU}/cancel`, body: () => ({ reason: 'Berhalangan' }), expect: act(409) },
  { label: 'POST .../drafts (before drafting)', method: 'POST', path: () => `/v1/agreements/${A}/drafts`, body: () => ({ documentUrl: 'https://dokumen.test/a.pdf' }), expect: act(409) },
  {
    label: 'POST .../drafts/{v}/reviews as the OPD', method: 'POST', path: () => `/v1/agreements/${A}/drafts/1/reviews`, body: () => ({ partyId: 'opd-a1', decision: 'approve' }),
    expect: auth({ admin: 409, 'own party': 403, 'party under it': 403, 'unrelated party': 404, viewer: 403 }),
  },
  { label: 'POST .../signing (before signing)', method: 'POST', path: () => `/v1/agreements/${A}/signing`, body: () => ({ at: '2026-12-01T09:00:00+07:00', venue: 'Aula', signatories: [{ partyId: 'lapas-a', name: 'K', position: 'Kalapas' }] }), expect: act(409) },
  {
    label: 'POST .../signing/record (initiator or admin)', method: 'POST', path: () => `/v1/agreements/${A}/signing/record`, body: () => ({ signedAt: '2026-12-01', documentNumbers: { 'lapas-a': '1', 'opd-a1': '2' } }),
    expect: auth({ admin: 409, 'own party': 409, 'party under it': 403, 'unrelated party': 404, viewer: 403 }),
  },
  { label: 'POST .../operational-agreements (before active)', method: 'POST', path: () => `/v1/agreements/${A}/operational-agreements`, body: () => ({ partyId: 'pemkot-b', title: 'PKS', scope: [] }), expect: act(409) },
  { label: 'POST .../follow-ups', method: 'POST', path: () => `/v1/agreements/${A}/follow-ups`, body: () => ({ title: 'Tindak lanjut', ownerPartyId: 'lapas-a', due: '2026-12-15' }), expect: act(200) },
  { label: 'POST .../follow-ups/{id}/complete (unknown)', method: 'POST', path: () => `/v1/agreements/${A}/follow-ups/${FU}/complete`, body: () => ({}), expect: act(409) },
  { label: 'POST .../follow-ups/{id}/reschedule (unknown)', method: 'POST', path: () => `/v1/agreements/${A}/follow-ups/${FU}/reschedule`, body: () => ({ due: '2026-12-20' }), expect: act(409) },
  { label: 'POST .../follow-ups/{id}/cancel (unknown)', method: 'POST', path: () => `/v1/agreements/${A}/follow-ups/${FU}/cancel`, body: () => ({}), expect: act(409) },
  { label: 'POST .../reports (before active)', method: 'POST', path: () => `/v1/agreements/${A}/reports`, body: () => ({ period: 'I', summary: 'S' }), expect: act(409) },
  { label: 'POST .../renewal (before active)', method: 'POST', path: () => `/v1/agreements/${A}/renewal`, body: () => ({ decision: 'end' }), expect: act(409) },
  { label: 'POST .../cancel', method: 'POST', path: (r) => `/v1/agreements/${fresh(r)}/cancel`, body: () => ({ reason: 'Uji' }), expect: act(200) },
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

describe('access matrix', () => {
  it('gives every role the expected status on every endpoint', async () => {
    const admin = http(stack.baseUrl);
    for (const r of RELATIONS) {
      await admin('POST', '/v1/agreements', { id: fresh(r), title: 'Untuk dibatalkan', instrument: 'nota_kesepahaman', parties: [{ partyId: 'lapas-a', role: 'initiator' }, { partyId: 'opd-a1', role: 'counterpart' }], scope: [] });
    }
    const results: { label: string; got: Expect }[] = [];
    const mismatches: string[] = [];
    for (const row of ROWS) {
      const got = {} as Expect;
      for (const r of RELATIONS) {
        const res = await http(stack.baseUrl, tokens[r])(row.method, row.path(r), row.body?.(r));
        got[r] = res.status;
        if (res.status !== row.expect[r]) mismatches.push(`${row.label} as ${r}: ${res.status} (expected ${row.expect[r]}) ${JSON.stringify(res.body)}`);
      }
      results.push({ label: row.label, got });
    }
    expect(mismatches).toEqual([]);
    const doc = new URL('../../docs/access-matrix.md', import.meta.url);
    if (process.env.UPDATE_DOCS) writeFileSync(doc, markdown(results));
    expect(readFileSync(doc, 'utf8')).toBe(markdown(results));
  });

  it('filters lists to what a party token may see', async () => {
    const unrelated = await http(stack.baseUrl, tokens['unrelated party'])('GET', '/v1/agreements?limit=200');
    expect(unrelated.body.items).toEqual([]);
    const under = await http(stack.baseUrl, tokens['party under it'])('GET', '/v1/agreements?limit=200');
    expect(under.body.items.length).toBeGreaterThan(0);
    expect(under.body.items.every((a: { parties: { partyId: string }[] }) => a.parties.some((p) => p.partyId === 'opd-a1'))).toBe(true);
  });

  it('records the actor of every command in its event', async () => {
    const events = (await http(stack.baseUrl)('GET', `/v1/agreements/${A}/events`)).body.items as { type: string; actor: { kind: string; id: string; role: string; partyId?: string } }[];
    const meetings = events.filter((e) => e.type === 'MeetingScheduled').map((e) => `${e.actor.role}:${e.actor.partyId ?? '-'}`);
    expect(meetings.sort()).toEqual(['admin:-', 'party:lapas-a', 'party:pemkab-a']);
    expect(events.every((e) => e.actor && e.actor.id)).toBe(true);
  });
});
