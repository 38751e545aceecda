// The document says what the code does (issue 29): each rule a client must know is in the schema the routes
// serve, and the route answers as the document says. Routes over a real database with app.inject.
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementRow } from '../../activities/projections/agreements.js';
import { buildApp } from '../../api/app.js';
import { fold } from '../../domain/evolve.js';
import { toView } from '../../domain/view.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { lapasGarut, pemkabGarut } from '../support/scenario.js';
import { ADMIN_TOKEN, quietLog } from '../support/stack.js';
import { started } from '../unit/fixtures.js';
import { record } from '../unit/given-when-then.js';

let t: TestDatabase;
let app: FastifyInstance;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
type Doc = {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: unknown;
        responses: Record<string, unknown>;
        parameters?: { name: string; schema: Record<string, unknown> }[];
      }
    >
  >;
};
let doc: Doc;

beforeAll(async () => {
  t = await createTestDatabase('contract');
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  app = await buildApp({ db: t.db, temporal, adminToken: ADMIN_TOKEN, log: quietLog });
  for (const p of [lapasGarut, pemkabGarut]) {
    expect((await app.inject({ method: 'POST', url: '/v1/parties', headers: admin, payload: p })).statusCode).toBe(201);
  }
  await t.db
    .insertInto('agreements')
    .values(agreementRow(toView(fold('garut', record([started])))))
    .execute();
  doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as Doc;
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

describe('the OpenAPI document and the routes agree', () => {
  it('takes an empty parent, as a form sends a cleared field, as no parent: and says so', async () => {
    await app.inject({
      method: 'PATCH',
      url: '/v1/parties/pemkab-garut',
      headers: admin,
      payload: { parentId: 'lapas-garut' },
    });
    const cleared = await app.inject({
      method: 'PATCH',
      url: '/v1/parties/pemkab-garut',
      headers: admin,
      payload: { parentId: '' },
    });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json()).not.toHaveProperty('parentId');
    const body = JSON.stringify(doc.paths['/v1/parties/{id}']!['patch']!.requestBody);
    expect(body).toContain('{"type":"string","enum":[""]}');
  });

  it('says a PKS needs partyId or parties, and refuses one with neither naming partyId', async () => {
    const body = JSON.stringify(doc.paths['/v1/agreements/{id}/operational-agreements']!['post']!.requestBody);
    expect(body).toContain('"anyOf":[{"required":["partyId"]},{"required":["parties"]}]');
    const res = await app.inject({
      method: 'POST',
      url: '/v1/agreements/garut/operational-agreements',
      headers: admin,
      payload: { title: 'PKS pelatihan', scope: [] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('partyId');
  });

  it('lists the 409 of a comparison with no text, and gives the cursor a shape', () => {
    expect(Object.keys(doc.paths['/v1/agreements/{id}/drafts/{version}/changes']!['get']!.responses)).toContain('409');
    const cursor = doc.paths['/v1/agreements']!['get']!.parameters!.find((p) => p.name === 'cursor')!;
    expect(cursor.schema['pattern']).toBe('^[A-Za-z0-9_-]{1,400}$');
  });

  it('refuses a cursor of another shape by its schema, naming the cursor', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/agreements?cursor=a%20b', headers: admin });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('cursor');
  });
});
