// Benchmarks 5 and 7: API reads with N agreements in the projections, under autocannon, against a bare route
// returning a constant on the same server.
import { Client, Connection } from '@temporalio/client';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { pino } from 'pino';
import { agreementRow } from '../activities/projections/agreements.js';
import { buildApp } from '../api/app.js';
import type { RecordedEvent } from '../domain/events.js';
import { fold } from '../domain/evolve.js';
import { toView } from '../domain/view.js';
import type { Database } from '../schema/database.js';
import type { Row } from './event-store.js';

const ADMIN = 'bench-admin-token-0123456789';

/** Agreement rows and the list's party index, as the inline projection writes them with each start. */
export async function insertAgreementRows(
  db: Kysely<Database>,
  rows: ReturnType<typeof agreementRow>[],
): Promise<void> {
  await db.insertInto('agreements').values(rows).execute();
  await db
    .insertInto('agreement_parties')
    .values(
      rows.flatMap((r) =>
        r.party_ids.map((p) => ({ party_id: p, created_at: r.created_at, agreement_id: r.id, stage: r.stage })),
      ),
    )
    .execute();
}

/** Adds agreements up to `count`, spread over stages and parties, straight into the read model. */
export async function seedAgreements(db: Kysely<Database>, count: number): Promise<void> {
  const have = Number(
    (await db.selectFrom('agreements').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const stages = ['exploration', 'drafting', 'signing', 'active'] as const;
  // The directory the agreements name: 5 Kanwil with 10 UPTs each, 30 Pemda (a Kanwil's filter covers its UPTs).
  const party = (id: string, kind: 'kanwil' | 'upt' | 'pemda', parent: string | null) => ({
    id,
    name: id,
    kind,
    parent_id: parent,
    time_zone: 'Asia/Jakarta' as const,
    contacts: '[]',
    updated_at: new Date(),
  });
  await db
    .insertInto('parties')
    .values([
      ...Array.from({ length: 5 }, (_, k) => party(`kanwil-${k}`, 'kanwil', null)),
      ...Array.from({ length: 50 }, (_, u) => party(`upt-${u}`, 'upt', `kanwil-${u % 5}`)),
      ...Array.from({ length: 30 }, (_, p) => party(`pemda-${p}`, 'pemda', null)),
    ])
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  for (let start = have; start < count; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const id = `read-${String(i).padStart(7, '0')}`;
      const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      const started = {
        type: 'AgreementStarted',
        id: `e${i}`,
        meta: { actor: { kind: 'system', id: 'bench' }, occurredAt: at },
        data: {
          agreementId: id,
          title: `Kesepakatan ${i}`,
          instrument: 'nota_kesepahaman',
          scope: ['a'],
          termMonths: 60,
          policy: { reminderLeadDays: 2, level2AfterDays: 5, reviewDays: 10, reportEveryMonths: 6 },
          parties: [
            { partyId: `upt-${Math.floor(i / 4) % 50}`, role: 'initiator', timeZone: 'Asia/Jakarta' },
            { partyId: `pemda-${i % 30}`, role: 'counterpart', timeZone: 'Asia/Jakarta' },
          ],
        },
      } as RecordedEvent;
      const view = { ...toView(fold(id, [started])), stage: stages[i % 4]! };
      rows.push(agreementRow(view));
    }
    await insertAgreementRows(db, rows);
  }
  // As autovacuum would after a load this size: the planner reads fresh statistics.
  await sql`analyze agreements, agreement_parties`.execute(db);
}

/** autocannon in its own process, so the load generator does not share the server's event loop. */
export async function cannon(url: string, paths: string[], seconds: number) {
  const script = `
    const autocannon = require('autocannon');
    const paths = ${JSON.stringify(paths)};
    let i = 0;
    autocannon({ url: ${JSON.stringify(url)}, connections: 10, duration: ${seconds}, headers: { authorization: 'Bearer ${ADMIN}' },
      requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }] },
      (err, r) => { if (err) throw err; process.stdout.write(JSON.stringify({ p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, errors: r.errors + r.non2xx })); });`;
  const out = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), maxBuffer: 1 << 20 },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    );
  });
  return JSON.parse(out) as { p50: number; p99: number; rps: number; errors: number };
}

export async function apiReads(db: Kysely<Database>, agreements: number, seconds = 5): Promise<Row[]> {
  await seedAgreements(db, agreements);
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const app = await buildApp({ db, temporal, adminToken: ADMIN, log: pino({ level: 'silent' }) });
  app.get('/bench/constant', async () => ({ ok: true }));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const baseline = await cannon(url, ['/bench/constant'], seconds);
  const list = await cannon(
    url,
    Array.from({ length: 50 }, (_, i) => `/v1/agreements?stage=active&partyId=upt-${i}&limit=20`),
    seconds,
  );
  const kanwil = await cannon(
    url,
    Array.from({ length: 5 }, (_, k) => `/v1/agreements?stage=active&partyId=kanwil-${k}&limit=20`),
    seconds,
  );
  const one = await cannon(
    url,
    Array.from({ length: 1000 }, (_, i) => `/v1/agreements/read-${String((i * 7919) % agreements).padStart(7, '0')}`),
    seconds,
  );
  await app.close();
  const label = agreements.toLocaleString('en');
  const rows: Row[] = [];
  const reads = [
    ['GET /v1/agreements?stage&partyId&limit=20', list],
    ['GET /v1/agreements?stage&partyId=<kanwil>&limit=20 (its tree)', kanwil],
    ['GET /v1/agreements/{id}', one],
  ] as const;
  for (const [name, r] of reads) {
    rows.push({
      benchmark: `${name} at ${label} agreements, req/s`,
      figure: Math.round(r.rps),
      unit: 'req/s',
      baseline: Math.round(baseline.rps),
      ratio: +(r.rps / baseline.rps).toFixed(2),
      note: `errors ${r.errors}`,
    });
    rows.push({
      benchmark: `${name} at ${label} agreements, p50 / p99`,
      figure: r.p99,
      unit: 'ms p99',
      baseline: baseline.p99,
      ratio: +(r.p99 / Math.max(baseline.p99, 1)).toFixed(2),
      note: `p50 ${r.p50} ms (baseline p50 ${baseline.p50} ms)`,
    });
  }
  return rows;
}
