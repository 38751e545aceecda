// Broken and hostile requests get a clear 4xx naming the field and leave nothing behind; a generated storm of
// them (fast-check) never produces a 5xx, never crashes the process, and never changes the event store when refused.
import fc from 'fast-check';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createToken } from '../../cli/tokens.js';
import { registerParty } from '../support/lifecycle.js';
import { ADMIN_TOKEN, http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';

let stack: Stack;
let api: ReturnType<typeof http>;
let partyToken: string;
let viewerToken: string;
beforeAll(async () => {
  stack = await startStack();
  api = http(stack.baseUrl);
  await registerParty(api, { id: 'lapas-h', name: 'Lapas H', kind: 'upt' });
  await registerParty(api, { id: 'pemkab-h', name: 'Pemkab H', kind: 'pemda' });
  await api('POST', '/v1/agreements', {
    id: 'hostile',
    title: 'Kesepakatan H',
    instrument: 'nota_kesepahaman',
    parties: [
      { partyId: 'lapas-h', role: 'initiator' },
      { partyId: 'pemkab-h', role: 'counterpart' },
    ],
    scope: [],
  });
  partyToken = (await createToken(stack.database.db, { role: 'party', partyId: 'lapas-h' })).token;
  viewerToken = (await createToken(stack.database.db, { role: 'viewer' })).token;
});
afterAll(async () => stack?.stop());

// E-mail receipts of earlier accepted requests may land at any moment; a refusal must add no other event.
const eventCount = async () =>
  Number(
    (
      await sql<{ n: string }>`select count(*) as n from events where type <> 'NotificationSent'`.execute(
        stack.database.db,
      )
    ).rows[0]!.n,
  );

async function raw(method: string, path: string, body: string | undefined, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers },
    ...(body !== undefined ? { body } : {}),
  });
  return { status: res.status, headers: res.headers, body: (await res.json().catch(() => undefined)) as any };
}

describe('broken and hostile input', () => {
  it('names the field at fault', async () => {
    const cases: [string, unknown, string][] = [
      ['/v1/agreements/hostile/follow-ups', { title: 't', ownerPartyId: 'lapas-h', due: '2026-02-31' }, 'due'],
      [
        '/v1/agreements/hostile/follow-ups',
        { title: 't', ownerPartyId: 'lapas-h', due: dates.workingDays(5), ownerEmail: 'bukan-email' },
        'ownerEmail',
      ],
      [
        '/v1/agreements/hostile/follow-ups',
        { title: 'x'.repeat(201), ownerPartyId: 'lapas-h', due: dates.workingDays(5) },
        'title',
      ],
      ['/v1/agreements/hostile/follow-ups', { title: 't', ownerPartyId: 'lapas-h' }, 'due'],
      [
        '/v1/agreements/hostile/meetings',
        { kind: 'audiensi', at: dates.at(dates.workingDays(5)), venue: 'v', unexpected: 1 },
        'unexpected',
      ],
      ['/v1/agreements/hostile/meetings', { kind: 'pesta', at: dates.at(dates.workingDays(5)), venue: 'v' }, 'kind'],
      ['/v1/agreements/hostile/meetings', { kind: 'audiensi', at: `${dates.workingDays(5)} 09:00`, venue: 'v' }, 'at'],
      ['/v1/agreements/hostile/drafts', { documentUrl: 'javascript:alert(1)' }, 'documentUrl'],
      ['/v1/parties', { name: 'P', kind: 'upt', timeZone: 'Europe/Amsterdam', contacts: [] }, 'timeZone'],
      [
        '/v1/parties',
        { name: 'P', kind: 'upt', contacts: [{ name: 'a', position: 'b', email: 'a@b.test', role: 'raja' }] },
        'contacts[0].role',
      ],
      [
        '/v1/agreements',
        { title: 'T', instrument: 'nota_kesepahaman', parties: [], scope: [], termMonths: 1e300 },
        'parties',
      ],
      [
        '/v1/agreements',
        {
          title: 'T',
          instrument: 'nota_kesepahaman',
          parties: [
            { partyId: 'lapas-h', role: 'initiator' },
            { partyId: 'pemkab-h', role: 'counterpart' },
          ],
          scope: [],
          termMonths: 1e300,
        },
        'termMonths',
      ],
    ];
    const before = await eventCount();
    for (const [path, body, field] of cases) {
      const res = await api('POST', path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.field, JSON.stringify(res.body)).toBe(field);
      expect(res.body.error.message.length).toBeGreaterThan(5);
    }
    expect(await eventCount()).toBe(before);
  });

  it('refuses oversized bodies (413), malformed JSON (400), wrong content types (415) and prototype pollution (400)', async () => {
    const huge = JSON.stringify({ reason: 'x'.repeat(300 * 1024) });
    expect(
      (await raw('POST', '/v1/agreements/hostile/cancel', huge, { 'content-type': 'application/json' })).status,
    ).toBe(413);
    const malformed = await raw('POST', '/v1/agreements/hostile/cancel', '{"reason": ', {
      'content-type': 'application/json',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toBeTruthy();
    expect(
      (
        await raw('POST', '/v1/agreements/hostile/cancel', 'reason=x', {
          'content-type': 'application/x-www-form-urlencoded',
        })
      ).status,
    ).toBe(415);
    expect(
      (await raw('POST', '/v1/agreements/hostile/cancel', '{"reason":"x"}', { 'content-type': 'text/plain' })).status,
    ).toBe(415);
    expect(
      (
        await raw('POST', '/v1/agreements/hostile/cancel', '{"reason":"x","__proto__":{"admin":true}}', {
          'content-type': 'application/json',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await raw(
          'POST',
          '/v1/agreements/hostile/cancel',
          '{"reason":"x","constructor":{"prototype":{"admin":true}}}',
          { 'content-type': 'application/json' },
        )
      ).status,
    ).toBe(400);
    expect((await api('GET', '/v1/agreements/hostile')).body.stage).toBe('exploration');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('validates query strings and path parameters', async () => {
    expect((await api('GET', '/v1/agreements?overdue=mungkin')).body.error.field).toBe('overdue');
    expect((await api('GET', '/v1/agreements?limit=100000')).body.error.field).toBe('limit');
    expect((await api('GET', '/v1/agreements?stage=berantakan')).status).toBe(400);
    expect((await api('GET', '/v1/agreements?cursor=not-a-cursor')).body.error.field).toBe('cursor');
    expect((await api('GET', '/v1/agreements?sort=desc')).body.error.field).toBe('sort');
    expect((await api('GET', `/v1/agreements/${encodeURIComponent('../../etc/passwd')}`)).status).toBe(400);
    expect(
      (await api('POST', '/v1/agreements/hostile/drafts/0/reviews', { partyId: 'lapas-h', decision: 'approve' })).body
        .error.field,
    ).toBe('version');
  });

  it('sets security headers, keeps CORS off by default, and limits the rate per token when configured', async () => {
    const res = await raw('GET', '/healthz', undefined, { origin: 'https://evil.test' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBeTruthy();
    expect(res.headers.get('content-security-policy')).toBeTruthy();
    expect(res.headers.get('access-control-allow-origin')).toBeNull();

    const limited = await buildApp({
      db: stack.database.db,
      temporal: stack.env.client,
      adminToken: ADMIN_TOKEN,
      log: pino({ level: 'silent' }),
      rateLimitPerMinute: 3,
      corsOrigins: ['https://sikerja.test'],
    });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await limited.inject({
        method: 'GET',
        url: '/v1/parties',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, origin: 'https://sikerja.test' },
      });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.json().error.code).toBe('rate_limited');
    const other = await limited.inject({
      method: 'GET',
      url: '/v1/parties',
      headers: { authorization: `Bearer ${viewerToken}`, origin: 'https://sikerja.test' },
    });
    expect(other.statusCode).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBe('https://sikerja.test');
    await limited.close();
  });

  it('survives 10,000 generated requests against every endpoint with no 5xx and no change for any refusal', async () => {
    const app = stack.app;
    const ids = fc.oneof(
      fc.constantFrom('hostile', 'lapas-h', 'nope', '', '..', '%00', 'a'.repeat(300), '__proto__', 'constructor'),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
    );
    const uuid = fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }));
    const paths = fc.oneof(
      ids.map((id) => ({ method: 'GET', url: `/v1/agreements/${encodeURIComponent(id)}` })),
      ids.map((id) => ({ method: 'GET', url: `/v1/agreements/${encodeURIComponent(id)}/events` })),
      ids.map((id) => ({ method: 'GET', url: `/v1/agreements/${encodeURIComponent(id)}/notifications` })),
      ids.map((id) => ({ method: 'GET', url: `/v1/parties/${encodeURIComponent(id)}` })),
      ids.map((id) => ({ method: 'PATCH', url: `/v1/parties/${encodeURIComponent(id)}` })),
      fc
        .dictionary(
          fc.constantFrom('stage', 'partyId', 'parentId', 'overdue', 'q', 'limit', 'cursor', '__proto__', 'x'),
          fc.oneof(fc.string(), fc.integer().map(String), fc.constantFrom('true', 'active', '-1', '1e999')),
        )
        .map((q) => ({ method: 'GET', url: `/v1/agreements?${new URLSearchParams(q)}` })),
      fc
        .dictionary(fc.constantFrom('overdue', 'partyId', 'limit'), fc.string())
        .map((q) => ({ method: 'GET', url: `/v1/follow-ups?${new URLSearchParams(q)}` })),
      fc.constant({ method: 'POST', url: '/v1/parties' }),
      fc.constant({ method: 'POST', url: '/v1/agreements' }),
      fc
        .tuple(
          ids,
          fc.constantFrom(
            'meetings',
            'drafts',
            'signing',
            'signing/record',
            'operational-agreements',
            'follow-ups',
            'reports',
            'renewal',
            'cancel',
          ),
        )
        .map(([id, cmd]) => ({ method: 'POST', url: `/v1/agreements/${encodeURIComponent(id)}/${cmd}` })),
      fc.tuple(ids, uuid, fc.constantFrom('minutes')).map(([id, m]) => ({
        method: 'POST',
        url: `/v1/agreements/${encodeURIComponent(id)}/meetings/${encodeURIComponent(m)}/minutes`,
      })),
      fc.tuple(ids, fc.oneof(fc.integer(), fc.string())).map(([id, v]) => ({
        method: 'POST',
        url: `/v1/agreements/${encodeURIComponent(id)}/drafts/${encodeURIComponent(String(v))}/reviews`,
      })),
      fc.tuple(ids, uuid, fc.constantFrom('complete', 'reschedule', 'cancel')).map(([id, f, a]) => ({
        method: 'POST',
        url: `/v1/agreements/${encodeURIComponent(id)}/follow-ups/${encodeURIComponent(f)}/${a}`,
      })),
    );
    // Any code unit, lone surrogates and NUL included (the characters that once wedged an agreement).
    const hostileText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('a\u0000b', 'a\ud800b', '\udc00', 'x\u001b[0m'),
    );
    const scalar = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      hostileText,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom(
        1e308,
        -1e308,
        Number.MAX_SAFE_INTEGER + 2,
        '2026-02-31',
        dates.at(dates.workingDays(5)),
        'https://dokumen.test/a.pdf',
        'a@b.test',
        'Asia/Jakarta',
        'lapas-h',
        'approve',
        'audiensi',
      ),
    );
    const keys = fc.constantFrom(
      'title',
      'instrument',
      'parties',
      'scope',
      'kind',
      'at',
      'venue',
      'documentUrl',
      'partyId',
      'decision',
      'reason',
      'due',
      'ownerPartyId',
      'signedAt',
      'documentNumbers',
      'name',
      'contacts',
      'attendees',
      'summary',
      'outcome',
      '__proto__',
      'constructor',
      'prototype',
      'toString',
    );
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(keys, tie('v'), { maxKeys: 6 }),
      ),
    })).v;
    const bodies = fc.oneof(
      fc.dictionary(keys, value, { maxKeys: 8 }),
      value,
      fc.string().map((s) => ({ __raw: s })),
    );
    const tokens = fc.constantFrom(ADMIN_TOKEN, partyToken, viewerToken, 'sng_fake', '');

    const seen = new Map<number, number>();
    let tried = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(paths, bodies, tokens, async (target, body, token) => {
        const before = await eventCount();
        const payload =
          typeof body === 'object' && body !== null && '__raw' in body
            ? String((body as { __raw: string }).__raw)
            : JSON.stringify(body);
        const res = await app.inject({
          method: target.method as 'GET',
          url: target.url,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(target.method !== 'GET' ? { 'content-type': 'application/json' } : {}),
          },
          ...(target.method !== 'GET' ? { payload } : {}),
        });
        tried++;
        seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500) return false;
        if (res.statusCode >= 400 && (await eventCount()) !== before) return false;
        return true;
      }),
      { numRuns: 10_000, seed: 20261125 },
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `fuzz: ${tried} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...seen].sort()))}`,
    );
    expect(tried).toBeGreaterThanOrEqual(10_000);
    expect([...seen.keys()].filter((s) => s >= 500)).toEqual([]);
    expect((await api('GET', '/healthz')).status).toBe(200);
  }, 600_000);
});
