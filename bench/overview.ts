// The overview and the spreadsheet export at 10,000 and 100,000 agreements: overview p50/p99 (read models,
// admin scope) and XLSX export time and peak memory (streamed to a sink that discards it).
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { backfillOverview } from '../activities/projections/overview.js';
import type { Database } from '../schema/database.js';
import type { Principal } from '../services/access.js';
import { AgreementService } from '../services/agreements.js';
import { writeXlsx } from '../services/exports.js';
import { overview } from '../services/overview.js';
import { seedAgreements } from './api-reads.js';
import type { Row } from './event-store.js';

const admin: Principal = { kind: 'token', id: 'bench', role: 'admin' };
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

export async function overviewAndExport(db: Kysely<Database>, sizes = [10_000, 100_000]): Promise<Row[]> {
  const rows: Row[] = [];
  const service = new AgreementService(
    db,
    new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    pino({ level: 'silent' }),
  );
  for (const n of sizes) {
    await seedAgreements(db, n);
    await backfillOverview(db);
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      await overview(db, admin, {});
      times.push(performance.now() - t);
    }
    rows.push({
      benchmark: `overview, ${n.toLocaleString('en')} agreements, 30 calls`,
      figure: +quantile(times, 0.5).toFixed(1),
      unit: 'ms (p50)',
      baseline: +quantile(times, 0.99).toFixed(1),
      ratio: 0,
      note: 'baseline column holds p99; every section of the report, admin scope',
    });

    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done();
      },
    });
    const t = performance.now();
    const count = await writeXlsx(db, () => service.allPages(admin, {}), sink);
    const seconds = (performance.now() - t) / 1000;
    clearInterval(sampler);
    rows.push({
      benchmark: `XLSX export, ${count.toLocaleString('en')} agreements`,
      figure: +seconds.toFixed(1),
      unit: 's',
      baseline: Math.round((peak - before) / 1048576),
      ratio: 0,
      note: `baseline column holds the peak RSS growth in MB; ${(bytes / 1048576).toFixed(1)} MB written, pages of 1,000`,
    });
  }
  return rows;
}
