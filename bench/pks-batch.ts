// Benchmark 11 (many PKS): the PKS of every OPD under a Pemda started by one batch request, against the same PKS
// started one request at a time, as a Kasubag does without it. Real Temporal dev server, worker and API.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildApp } from '../api/app.js';
import { DEFAULT_HOLIDAYS_DIR } from '../config/env.js';
import { createMailer } from '../infra/connections.js';
import type { Database } from '../schema/database.js';
import { startMailSink } from '../scripts/local/mail-sink.js';
import { startDevServer } from '../scripts/local/temporal.js';
import { createWorker } from '../worker/run.js';
import type { Row } from './event-store.js';
import { localDate } from '../domain/dates.js';
import { BENCH_PORTS } from '../config/ports.js';

/** Today in WIB: a signing is recorded once it happened (decide refuses a date ahead). */
const signedOn = (): string => localDate(Date.now(), 'Asia/Jakarta');

const ADMIN = 'bench-admin-token-0123456789';

export async function pksBatch(db: Kysely<Database>, dir: string, sizes: number[], round = 0): Promise<Row[]> {
  const server = await startDevServer({
    dbFile: join(dir, `temporal-pks-${round}.db`),
    port: BENCH_PORTS.pksBatch.temporal,
    uiPort: BENCH_PORTS.pksBatch.ui,
    log: () => {},
  });
  const sink = await startMailSink(join(dir, `mail-pks-${round}`));
  const mailer = createMailer(`smtp://127.0.0.1:${sink.port}`);
  const connection = await NativeConnection.connect({ address: server.address });
  const temporal = new Client({ connection: await Connection.connect({ address: server.address }) });
  const log = pino({ level: 'silent' });
  const worker = await createWorker({
    connection,
    namespace: 'default',
    db,
    mailer,
    mailFrom: 'Sinergi <s@bench.test>',
    publicUrl: 'http://x',
    log,
    holidaysDir: DEFAULT_HOLIDAYS_DIR,
  });
  const app = await buildApp({ db, temporal, adminToken: ADMIN, log });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const answer = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  const rows: Row[] = [];
  await worker.runUntil(async () => {
    for (const n of sizes) {
      const tag = `r${round}-${n}`;
      const party = (id: string, kind: string, parentId?: string) =>
        call('POST', '/v1/parties', {
          id,
          name: `Pihak ${id}`,
          kind,
          ...(parentId ? { parentId } : {}),
          contacts: [{ name: 'Penghubung', position: 'Kasubag', email: `l@${id}.test`, role: 'liaison' }],
        });
      await party(`upt-${tag}`, 'upt');
      await party(`pemda-${tag}`, 'pemda');
      const opds = Array.from({ length: n }, (_, i) => `opd-${tag}-${i}`);
      for (const opd of opds) await party(opd, 'opd', `pemda-${tag}`);
      const umbrella = async (id: string) => {
        await call('POST', '/v1/agreements', {
          id,
          title: `Nota Kesepakatan ${id}`,
          instrument: 'nota_kesepakatan',
          scope: ['pembimbingan'],
          parties: [
            { partyId: `upt-${tag}`, role: 'initiator' },
            { partyId: `pemda-${tag}`, role: 'counterpart' },
          ],
        });
        const m = (await call('POST', `/v1/agreements/${id}/meetings`, {
          kind: 'audiensi',
          at: '2026-12-01T09:00:00+07:00',
          venue: 'Aula',
        })) as { meetings: { id: string }[] };
        await call('POST', `/v1/agreements/${id}/meetings/${m.meetings[0]!.id}/minutes`, {
          attendees: [{ name: 'A', position: 'B', partyId: `upt-${tag}` }],
          summary: 'S',
          outcome: 'proceed_to_drafting',
        });
        await call('POST', `/v1/agreements/${id}/drafts`, { documentUrl: 'https://dokumen.test/v1.pdf' });
        for (const p of [`upt-${tag}`, `pemda-${tag}`])
          await call('POST', `/v1/agreements/${id}/drafts/1/reviews`, { partyId: p, decision: 'approve' });
        await call('POST', `/v1/agreements/${id}/signing`, {
          at: `${signedOn()}T08:00:00+07:00`,
          venue: 'Aula',
          signatories: [{ partyId: `upt-${tag}`, name: 'K', position: 'Kepala' }],
        });
        await call('POST', `/v1/agreements/${id}/signing/record`, {
          signedAt: signedOn(),
          documentNumbers: { [`upt-${tag}`]: `1/${id}`, [`pemda-${tag}`]: `2/${id}` },
        });
      };
      await umbrella(`batch-${tag}`);
      await umbrella(`single-${tag}`);

      const t0 = performance.now();
      const result = (await call('POST', `/v1/agreements/batch-${tag}/operational-agreements/batch`, {
        opdIds: opds,
        title: 'PKS {opd}',
        scope: ['pembimbingan'],
      })) as { started: unknown[] };
      const batchMs = performance.now() - t0;
      if (result.started.length !== n) throw new Error(`batch started ${result.started.length} of ${n}`);
      const t1 = performance.now();
      for (const opd of opds)
        await call('POST', `/v1/agreements/single-${tag}/operational-agreements`, {
          partyId: opd,
          title: `PKS ${opd}`,
          scope: ['pembimbingan'],
        });
      const singleMs = performance.now() - t1;
      const t2 = performance.now();
      const again = (await call('POST', `/v1/agreements/batch-${tag}/operational-agreements/batch`, {
        opdIds: opds,
        title: 'PKS {opd}',
        scope: ['pembimbingan'],
      })) as { existing: unknown[] };
      const retryMs = performance.now() - t2;
      rows.push({
        benchmark: `PKS of ${n} OPDs in one batch request`,
        figure: Math.round(batchMs),
        unit: 'ms',
        baseline: Math.round(singleMs),
        ratio: +(batchMs / singleMs).toFixed(2),
        note: `baseline: ${n} single requests one after another; ${(batchMs / n).toFixed(0)} ms per PKS; a retried batch (${again.existing.length} existing, none started) took ${Math.round(retryMs)} ms`,
      });
    }
  });
  await app.close();
  mailer.close();
  await sink.stop();
  await connection.close();
  await server.stop();
  return rows;
}
