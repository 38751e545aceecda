// `npm run bench:national`: the country in Sinergi's read models. The national directory (33 Kanwil, 700 UPT,
// 550 Pemda with 30 OPD each), a million agreements and 100,000 documents seeded straight into PostgreSQL, then:
// the list by stage and party and a Kanwil's tree (p99 under 25 ms), the overview for an admin and for a Kanwil
// (p99 under 100 ms), one Kanwil's XLSX export (time, peak memory) and full-text search (p99 under 100 ms).
// Then agreements left open on Temporal-on-PostgreSQL (open-agreements.ts): `--open=N` of them (10,000), the worker's
// cache `--cache=N` (500). `--agreements=N`, `--documents=N` for a smaller country; `--quick` for 20,000, 5,000 and
// 500 open; `--part=reads` or `--part=open` for one half, `--part=list` for the list's two figures alone,
// `--part=overview` for the overview's, `--part=burst` for the 08:00 burst of `--burst=N` reminders (burst.ts, 10,000),
// the median of `--runs=N` (3; 1 with --quick), each on a database of its own. `--data=<dir>` keeps the seeded
// database there and reuses it on the next run (migrations still run, so a new read model is backfilled over the
// same million).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import { buildApp } from '../../api/app.js';
import { BENCH_PORTS } from '../../config/ports.js';
import { createDb } from '../../infra/connections.js';
import { migrateToLatest } from '../../schema/migrate.js';
import { startPostgres } from '../../scripts/local/postgres.js';
import type { Principal } from '../../services/access.js';
import { AgreementService } from '../../services/agreements.js';
import { searchDocuments } from '../../services/documents/documents.js';
import { writeXlsx } from '../../services/exports.js';
import { overview } from '../../services/overview.js';
import { cannon } from '../api-reads.js';
import type { Row } from '../event-store.js';
import { medianOf } from '../repeat.js';
import { writeResults } from '../results-file.js';
import { NATIONAL, nationalDirectory } from './directory.js';
import { burst } from './burst.js';
import { openAgreements } from './open-agreements.js';
import { seedAgreements, seedDirectory, seedDocuments } from './seed.js';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const quick = process.argv.includes('--quick');
const agreements = arg('agreements', quick ? 20_000 : 1_000_000);
const documentCount = arg('documents', quick ? 5_000 : 100_000);
const openCount = arg('open', quick ? 500 : 10_000);
const cacheSize = arg('cache', 500);
const burstCount = arg('burst', quick ? 1_000 : 10_000);
const runs = arg('runs', quick ? 1 : 3);
const part = process.argv.find((a) => a.startsWith('--part='))?.slice('--part='.length) ?? 'all';
const ADMIN = 'bench-admin-token-0123456789';
const admin: Principal = { kind: 'token', id: 'bench', role: 'admin' };
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const seconds = (from: number) => +((performance.now() - from) / 1000).toFixed(1);
const log = (m: string) => console.log(`[national ${new Date().toISOString().slice(11, 19)}] ${m}`);

/** p50 and p99 of `calls` sequential calls, in ms. */
async function timed(calls: number, fn: (i: number) => Promise<unknown>, budgetMs = 60_000) {
  const times: number[] = [];
  const until = performance.now() + budgetMs;
  // At least five calls; more up to `calls` while the budget lasts (a call of seconds needs no twenty).
  for (let i = 0; i < calls && (i < 5 || performance.now() < until); i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return { p50: +quantile(times, 0.5).toFixed(1), p99: +quantile(times, 0.99).toFixed(1), calls: times.length };
}

const kept = process.argv.find((a) => a.startsWith('--data='))?.slice('--data='.length);
const dir = kept ?? mkdtempSync(join(tmpdir(), 'sinergi-national-'));
const seededMark = join(dir, 'seeded.json');
const rows: Row[] = [];
async function reads(): Promise<void> {
  const pg = await startPostgres(join(dir, 'pg'), BENCH_PORTS.national.pg);
  try {
    const reuse = existsSync(seededMark);
    if (!reuse) await pg.createDatabase('national');
    const db = createDb(pg.urlFor('national'), 12);
    let t = performance.now();
    await migrateToLatest(db);
    log(`migrations in ${seconds(t)} s`);
    const parties = nationalDirectory();
    if (reuse) log(`reusing the database seeded in ${dir}`);
    else {
      t = performance.now();
      await seedDirectory(db, parties);
      await seedAgreements(db, parties, agreements);
      log(
        `${parties.length.toLocaleString('en')} parties and ${agreements.toLocaleString('en')} agreements in ${seconds(t)} s`,
      );
      t = performance.now();
      await seedDocuments(db, documentCount);
      log(`${documentCount.toLocaleString('en')} documents in ${seconds(t)} s`);
      if (kept) writeFileSync(seededMark, JSON.stringify({ agreements, documentCount }));
    }

    const kanwils = parties.filter((p) => p.kind === 'kanwil');
    const upts = parties.filter((p) => p.kind === 'upt');
    const app = await buildApp({
      db,
      temporal: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
      adminToken: ADMIN,
      log: pino({ level: 'silent' }),
    });
    app.get('/bench/constant', async () => ({ ok: true }));
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const baseline = await cannon(url, ['/bench/constant'], 5);
    const read = async (name: string, paths: string[], note: string) => {
      const r = await cannon(url, paths, 10);
      rows.push({
        benchmark: `${name}, ${agreements.toLocaleString('en')} agreements`,
        figure: r.p99,
        unit: 'ms (p99)',
        baseline: baseline.p99,
        ratio: +(r.rps / baseline.rps).toFixed(3),
        note: `p50 ${r.p50} ms, ${Math.round(r.rps)} req/s (${r.errors} errors); ${note}; target p99 < 25 ms`,
      });
      log(`${name}: p99 ${r.p99} ms`);
    };
    if (part !== 'overview') {
      await read(
        'list by stage and UPT',
        upts.slice(0, 100).map((u) => `/v1/agreements?stage=active&partyId=${u.id}&limit=20`),
        '100 UPTs, first page',
      );
      await read(
        "a Kanwil's tree by stage",
        kanwils.map((k) => `/v1/agreements?stage=active&partyId=${k.id}&limit=20`),
        `all ${kanwils.length} Kanwil, each over its ~21 UPTs, first page`,
      );
    }
    await app.close();
    if (part === 'list') return;

    for (const [who, filter] of [
      ['admin', {}],
      ['a Kanwil', { partyId: kanwils[12]!.id }],
    ] as const) {
      // Warmed first: the first call opens the pool's connections (the sections run on several at once).
      for (let i = 0; i < 3; i++) await overview(db, admin, filter);
      const r = await timed(100, () => overview(db, admin, filter));
      rows.push({
        benchmark: `overview for ${who}, ${agreements.toLocaleString('en')} agreements, ${r.calls} calls`,
        figure: r.p99,
        unit: 'ms (p99)',
        baseline: r.p50,
        ratio: 0,
        note: 'baseline column holds p50; every section; target p99 < 100 ms',
      });
      log(`overview for ${who}: p50 ${r.p50} ms, p99 ${r.p99} ms`);
    }
    if (part === 'overview') return;

    const service = new AgreementService(
      db,
      new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
      pino({ level: 'silent' }),
    );
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done();
      },
    });
    t = performance.now();
    const exported = await writeXlsx(db, () => service.allPages(admin, { partyId: kanwils[12]!.id }), sink);
    const exportSeconds = seconds(t);
    clearInterval(sampler);
    rows.push({
      benchmark: `XLSX export of one Kanwil, ${exported.toLocaleString('en')} of ${agreements.toLocaleString('en')}`,
      figure: exportSeconds,
      unit: 's',
      baseline: Math.round((peak - before) / 1048576),
      ratio: 0,
      note: `baseline column holds the peak RSS growth in MB; ${(bytes / 1048576).toFixed(1)} MB written`,
    });
    log(`export: ${exported} agreements in ${exportSeconds} s, peak +${Math.round((peak - before) / 1048576)} MB`);

    const queries = ['pelatihan kerja', 'rehabilitasi narkotika', 'klien pemasyarakatan', 'usaha mikro', 'konseling'];
    // Warmed first, as the overview: each query once (plans, connections), then measured.
    for (const q of queries) await searchDocuments(db, admin, q);
    const search = await timed(100, (i) => searchDocuments(db, admin, queries[i % queries.length]!));
    rows.push({
      benchmark: `full-text search, ${documentCount.toLocaleString('en')} documents, ${search.calls} queries`,
      figure: search.p99,
      unit: 'ms (p99)',
      baseline: search.p50,
      ratio: 0,
      note: 'baseline column holds p50; an admin sees every document; 50 hits with snippets; target p99 < 100 ms',
    });
    log(`search: p50 ${search.p50} ms, p99 ${search.p99} ms`);
    await db.destroy();
  } finally {
    await pg.stop();
  }
}

/** One round of the burst, on a database and a mail folder of its own, removed after it. */
async function burstRound(round: number): Promise<Row[]> {
  const roundDir = join(dir, `burst-${round + 1}`);
  rmSync(roundDir, { recursive: true, force: true });
  mkdirSync(roundDir, { recursive: true });
  try {
    return await burst(roundDir, burstCount, 10);
  } finally {
    rmSync(roundDir, { recursive: true, force: true });
  }
}

try {
  if (part !== 'open' && part !== 'burst') await reads();
  if (part === 'all' || part === 'open') rows.push(...(await openAgreements(dir, openCount, cacheSize)));
  if (part === 'all' || part === 'burst') rows.push(...(await medianOf(runs, burstRound)));
} finally {
  if (!kept) rmSync(dir, { recursive: true, force: true });
}

const directory = `${NATIONAL.kanwil} Kanwil, ${NATIONAL.upt} UPT, ${NATIONAL.pemda} Pemda × ${NATIONAL.opdEach} OPD`;
writeResults('national', 'Sinergi at national scale', rows, { directory: `${directory}, three contacts each` });
