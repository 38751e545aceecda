// No file and no comparison can stall Sinergi for everyone: the routes over a real database, with the document
// pool's real threads. The hostile upload, the stored comparison, and an upload to an ended agreement.
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementRow } from '../../activities/projections/agreements.js';
import { buildApp } from '../../api/app.js';
import type { DomainEvent } from '../../domain/events.js';
import { fold } from '../../domain/evolve.js';
import { toView } from '../../domain/view.js';
import { COMPARISON_NOTES } from '../../services/documents/changes.js';
import { NOTES } from '../../services/documents/text.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { docxOf, worstCasePair, xmlHeavyDocx } from '../support/hostile-files.js';
import { lapasGarut, pemkabGarut } from '../support/scenario.js';
import { adminSession } from '../support/people.js';
import { screenshotOf } from '../support/screenshot.js';
import { ADMIN_TOKEN, quietLog } from '../support/stack.js';
import { inDrafting, started } from '../unit/fixtures.js';
import { record } from '../unit/given-when-then.js';

let t: TestDatabase;
let app: FastifyInstance;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function seed(id: string, events: DomainEvent[]): Promise<void> {
  const view = { ...toView(fold(id, record(events))), id };
  await t.db
    .insertInto('agreements')
    .values(agreementRow(view))
    .onConflict((oc) => oc.column('id').doUpdateSet({ view: JSON.stringify(view), version: view.version }))
    .execute();
}

beforeAll(async () => {
  t = await createTestDatabase('hostile_documents');
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  app = await buildApp({ db: t.db, temporal, adminToken: ADMIN_TOKEN, log: quietLog });
  for (const p of [lapasGarut, pemkabGarut])
    expect((await app.inject({ method: 'POST', url: '/v1/parties', headers: admin, payload: p })).statusCode).toBe(201);
  await seed('draf', inDrafting);
  await seed('selesai', [
    started,
    { type: 'AgreementEnded', data: { reason: 'cancelled', note: 'Tidak jadi' } } as DomainEvent,
  ]);
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

async function upload(agreementId: string, bytes: Uint8Array, filename: string, kind = 'draft') {
  const data = new FormData();
  data.set('kind', kind);
  data.set('file', new Blob([bytes]), filename);
  const encoded = new Response(data);
  return app.inject({
    method: 'POST',
    url: `/v1/agreements/${agreementId}/documents`,
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { ...admin, 'content-type': encoded.headers.get('content-type') ?? '' },
  });
}
const counts = async () => ({
  documents: (await t.db.selectFrom('documents').select('id').execute()).length,
  blobs: (await t.db.selectFrom('blobs').select('sha256').execute()).length,
});

describe('a hostile file', () => {
  it('keeps a DOCX of 10 MB of XML in 31 KB with its note, and the process answers on', async () => {
    const file = await xmlHeavyDocx(10);
    const res = await upload('draf', file, 'draf-berat.docx');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ filename: 'draf-berat.docx', textNote: NOTES.xml(8) });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // What a person sees: the file in the agreement's documents, with the note under its name.
    const page = await app.inject({
      method: 'GET',
      url: '/kesepakatan/draf',
      headers: { cookie: `sinergi_sesi=${await adminSession(t.db)}` },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(NOTES.xml(8));
    await screenshotOf(page.body, 'document-text-over-limit.png', 1280);
  });

  it('refuses an upload to an ended agreement with 409, storing nothing', async () => {
    const before = await counts();
    const res = await upload('selesai', await docxOf(['Lampiran']), 'lampiran.docx', 'attachment');
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'agreement_ended']);
    expect(res.json().error.message).toContain('sudah berakhir');
    expect(await counts()).toEqual(before);
  });
});

describe('the comparison of two versions', () => {
  it('is computed once, when a version is submitted, and read back without computing', async () => {
    const [before, after] = worstCasePair(8000);
    const v1 = (await upload('draf', await docxOf([before]), 'versi-1.docx')).json() as { id: string };
    const v2 = (await upload('draf', await docxOf([after]), 'versi-2.docx')).json() as { id: string };
    // Version 1 is in the agreement; submitting version 2 compares it with version 1 in the pool and keeps the result.
    await seed('draf', [
      ...inDrafting,
      { type: 'DraftSubmitted', data: { version: 1, documentUrl: `http://x/${v1.id}`, documentId: v1.id } },
    ]);
    const sent = await app.documents.withDocuments('draf', { type: 'submitDraft', documentUrl: '', documentId: v2.id });
    expect(sent).toMatchObject({ type: 'submitDraft', changes: { added: 8000, removed: 8000 } });
    await seed('draf', [
      ...inDrafting,
      { type: 'DraftSubmitted', data: { version: 1, documentUrl: `http://x/${v1.id}`, documentId: v1.id } },
      { type: 'DraftSubmitted', data: { version: 2, documentUrl: `http://x/${v2.id}`, documentId: v2.id } },
    ]);
    const stored = await t.db
      .selectFrom('document_comparisons')
      .selectAll()
      .where('after_id', '=', v2.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ before_id: v1.id, added: 8000, removed: 8000, note: COMPARISON_NOTES.words });
    const changes = await app.inject({ method: 'GET', url: '/v1/agreements/draf/drafts/2/changes', headers: admin });
    expect(changes.statusCode).toBe(200);
    expect(changes.json()).toMatchObject({ from: 1, to: 2, added: 8000, removed: 8000, note: COMPARISON_NOTES.words });
    // What the GET answers is what was stored: change the row, and the answer follows it.
    await t.db.updateTable('document_comparisons').set({ added: 1 }).where('after_id', '=', v2.id).execute();
    expect(
      (await app.inject({ method: 'GET', url: '/v1/agreements/draf/drafts/2/changes', headers: admin })).json().added,
    ).toBe(1);
  });
});
