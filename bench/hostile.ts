// Benchmark 10 (hostile input): how /healthz and a list request answer alone, and while 4 hostile uploads (10 MB of
// XML packed in ~30 KB) and 4 worst-case comparisons (8,000 differing words) run at once; and the process's peak
// memory meanwhile (the document pool's threads live in it). Through the routes and the submission path only, so
// the same file measures the code before the pool too.
import { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { agreementRow } from '../activities/projections/agreements.js';
import { buildApp } from '../api/app.js';
import type { RecordedEvent } from '../domain/events.js';
import { fold } from '../domain/evolve.js';
import { toView } from '../domain/view.js';
import type { Database } from '../schema/database.js';
import { docxOf, worstCasePair, xmlHeavyDocx } from '../tests/support/hostile-files.js';
import { seedAgreements } from './api-reads.js';
import type { Row } from './event-store.js';

const ADMIN = 'bench-admin-token-0123456789';
const auth = { authorization: `Bearer ${ADMIN}` };

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

/** One request at a time to each path, every 10 ms, until `until` resolves: the latencies people would see. */
async function probe(base: string, paths: string[], until: Promise<unknown>): Promise<Map<string, number[]>> {
  const times = new Map(paths.map((p) => [p, [] as number[]]));
  let done = false;
  void until.finally(() => {
    done = true;
  });
  while (!done) {
    for (const path of paths) {
      const t0 = performance.now();
      const res = await fetch(`${base}${path}`, { headers: auth });
      await res.arrayBuffer();
      times.get(path)!.push(performance.now() - t0);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return times;
}

function event(id: string, n: number, type: string, data: object): RecordedEvent {
  return {
    id: `${id}-${n}`,
    type,
    data,
    meta: { actor: { kind: 'system', id: 'bench' }, occurredAt: new Date().toISOString() },
  } as RecordedEvent;
}

export async function hostile(db: Kysely<Database>, seconds = 5): Promise<Row[]> {
  await seedAgreements(db, 10_000);
  const parties = [
    { partyId: 'upt-1', role: 'initiator', timeZone: 'Asia/Jakarta' },
    { partyId: 'pemda-1', role: 'counterpart', timeZone: 'Asia/Jakarta' },
  ];
  const seed = async (events: RecordedEvent[]) => {
    const view = toView(fold('hostile', events));
    await db
      .insertInto('agreements')
      .values(agreementRow(view))
      .onConflict((oc) => oc.column('id').doUpdateSet({ view: JSON.stringify(view), version: view.version }))
      .execute();
  };
  const base = [
    event('hostile', 1, 'AgreementStarted', {
      agreementId: 'hostile',
      title: 'Bermusuhan',
      instrument: 'nota_kesepahaman',
      scope: [],
      termMonths: 60,
      policy: { reminderLeadDays: 2, level2AfterDays: 5, reviewDays: 10, reportEveryMonths: 6 },
      parties,
    }),
    event('hostile', 2, 'StageChanged', { from: 'exploration', to: 'drafting' }),
  ];
  await seed(base);
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const app = await buildApp({ db, temporal, adminToken: ADMIN, log: pino({ level: 'silent' }) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const upload = async (bytes: Uint8Array, name: string) => {
    const form = new FormData();
    form.set('kind', 'draft');
    form.set('file', new Blob([bytes]), name);
    return (await (
      await fetch(`${url}/v1/agreements/hostile/documents`, { method: 'POST', headers: auth, body: form })
    ).json()) as { id: string };
  };
  const paths = ['/healthz', '/v1/agreements?stage=active&partyId=pemda-3&limit=20'];
  try {
    const alone = await probe(url, paths, new Promise((r) => setTimeout(r, seconds * 1000)));

    // The worst-case pair, kept as versions 1 and 2 of the draft (uploaded before the load starts).
    const [before, after] = worstCasePair(8000);
    const v1 = await upload(await docxOf([before]), 'versi-1.docx');
    const v2 = await upload(await docxOf([after]), 'versi-2.docx');
    await seed([...base, event('hostile', 3, 'DraftSubmitted', { version: 1, documentUrl: 'x', documentId: v1.id })]);
    const heavy = await xmlHeavyDocx(10);
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const rssBefore = process.memoryUsage().rss;
    const load = Promise.all([
      ...Array.from({ length: 4 }, (_, i) => upload(heavy, `berat-${i}.docx`)),
      // Submitting version 2 compares it with version 1 (computed in the request before the pool; in the pool now).
      ...Array.from({ length: 4 }, () =>
        app.documents.withDocuments('hostile', { type: 'submitDraft', documentUrl: '', documentId: v2.id }),
      ),
    ]).then(async () => {
      await seed([
        ...base,
        event('hostile', 3, 'DraftSubmitted', { version: 1, documentUrl: 'x', documentId: v1.id }),
        event('hostile', 4, 'DraftSubmitted', { version: 2, documentUrl: 'x', documentId: v2.id }),
      ]);
      // Four readers of the comparison (computed on each read before the pool; read from storage now).
      await Promise.all(
        Array.from({ length: 4 }, () =>
          fetch(`${url}/v1/agreements/hostile/drafts/2/changes`, { headers: auth }).then((r) => r.arrayBuffer()),
        ),
      );
    });
    const t0 = performance.now();
    const loaded = await probe(url, paths, load);
    const loadSeconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const rows: Row[] = [];
    for (const [path, label] of [
      [paths[0]!, '/healthz'],
      [paths[1]!, 'list (stage + party, 10,000 agreements)'],
    ] as const) {
      const [a, l] = [alone.get(path)!, loaded.get(path)!];
      rows.push({
        benchmark: `10 hostile: ${label} p99 under load`,
        figure: +percentile(l, 0.99).toFixed(1),
        baseline: +percentile(a, 0.99).toFixed(1),
        ratio: +(percentile(l, 0.99) / percentile(a, 0.99)).toFixed(2),
        unit: 'ms (baseline: alone)',
        note: `${l.length} requests over ${loadSeconds.toFixed(1)} s`,
      });
      rows.push({
        benchmark: `10 hostile: ${label} max under load`,
        figure: +Math.max(...l).toFixed(1),
        baseline: +Math.max(...a).toFixed(1),
        ratio: +(Math.max(...l) / Math.max(...a)).toFixed(2),
        unit: 'ms (baseline: alone)',
      });
    }
    rows.push({
      benchmark: '10 hostile: peak resident memory during the load',
      figure: Math.round(peak / 1048576),
      baseline: Math.round(rssBefore / 1048576),
      ratio: +(peak / rssBefore).toFixed(2),
      unit: 'MiB (baseline: before the load)',
    });
    return rows;
  } finally {
    await app.close();
  }
}
