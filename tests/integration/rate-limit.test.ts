// Security review 2 and 6 (auth hook): the rate limit keys on who is asking, refused tokens are counted per
// address, a trusted proxy names the client, and authentication is decided on the route that matched.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ADMIN_TOKEN, quietLog } from '../support/stack.js';

const AUTH_FAILURES_PER_MINUTE = 20;
let t: TestDatabase;
const apps: FastifyInstance[] = [];

async function app(
  opts: { rateLimitPerMinute?: number; trustProxy?: boolean; authFailuresPerMinute?: number } = {},
): Promise<FastifyInstance> {
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const built = await buildApp({ db: t.db, temporal, adminToken: ADMIN_TOKEN, log: quietLog, ...opts });
  apps.push(built);
  return built;
}

beforeAll(async () => {
  t = await createTestDatabase('limits');
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await t?.drop();
});

describe('rate limits', () => {
  it('keys on the principal: the same token spelt three ways shares one bucket', async () => {
    const a = await app({ rateLimitPerMinute: 3 });
    const spellings = [
      `Bearer ${ADMIN_TOKEN}`,
      `Bearer  ${ADMIN_TOKEN}`,
      `bearer ${ADMIN_TOKEN}`,
      `BEARER ${ADMIN_TOKEN}`,
    ];
    const statuses = [];
    for (const authorization of spellings) {
      statuses.push((await a.inject({ method: 'GET', url: '/v1/parties', headers: { authorization } })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('keys a request without a principal on its address, whatever header it makes up', async () => {
    const a = await app({ rateLimitPerMinute: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const authorization = `Bearer made-up-${i}`;
      statuses.push((await a.inject({ method: 'GET', url: '/healthz', headers: { authorization } })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('counts refused tokens per address: guessing stops with 429, and a good token is not checked then', async () => {
    const a = await app({ authFailuresPerMinute: AUTH_FAILURES_PER_MINUTE });
    const guess = (token: string) =>
      a.inject({ method: 'GET', url: '/v1/parties', headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < AUTH_FAILURES_PER_MINUTE; i++)
      expect((await guess(randomBytes(8).toString('hex'))).statusCode).toBe(401);
    const blocked = await guess(ADMIN_TOKEN);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const elsewhere = await a.inject({
      method: 'GET',
      url: '/v1/parties',
      remoteAddress: '10.0.0.9',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('behind a trusted proxy, gives each client its own bucket; without the setting, the header is ignored', async () => {
    const hits = async (a: FastifyInstance) => {
      const statuses = [];
      for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
        statuses.push(
          (await a.inject({ method: 'GET', url: '/healthz', headers: { 'x-forwarded-for': client } })).statusCode,
        );
      }
      return statuses;
    };
    expect(await hits(await app({ rateLimitPerMinute: 1, trustProxy: true }))).toEqual([200, 200, 200]);
    expect(await hits(await app({ rateLimitPerMinute: 1 }))).toEqual([200, 429, 429]);
  });
});

describe('authentication', () => {
  it('is decided on the route that matched: an encoded path to a /v1 route still needs a token', async () => {
    const a = await app();
    const encoded = await a.inject({ method: 'GET', url: '/%761/parties' });
    expect(encoded.statusCode).toBe(401);
    // The hook authenticates the matched route itself (before, it skipped this URL and left no principal).
    const withToken = await a.inject({
      method: 'GET',
      url: '/%761/parties',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(withToken.statusCode).toBe(200);
    const feed = await a.inject({ method: 'GET', url: '/v1/parties/x/calendar.ics?feed=cal_0123456789' });
    expect(feed.statusCode).toBe(401);
    expect(feed.json().error.message).toMatch(/Tautan kalender/); // the feed's own check, not the bearer check
  });
});
