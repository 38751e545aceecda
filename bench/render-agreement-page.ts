// p50/p95 time to render the dashboard's agreement page for an agreement with 3 operational agreements and
// about 100 events, on the real stack (embedded PostgreSQL, time-skipping Temporal server, real activities).
import { pino } from 'pino';
import { buildApp } from '../api/app.js';
import { startStandalone } from '../scripts/local/standalone.js';
import { startToActive } from './drive.js';
import { BENCH_PORTS } from '../config/ports.js';

const RUNS = Number(process.argv[2] ?? 200);
const ADMIN = 'bench-admin-token-0123456789';
const s = await startStandalone(BENCH_PORTS.renderPage.pg);
for (const id of ['upt', 'pemda', 'opd-1', 'opd-2', 'opd-3']) await s.party(id);
const app = await buildApp({ db: s.db, temporal: s.env.client, adminToken: ADMIN, log: pino({ level: 'silent' }) });

await s.worker.runUntil(async () => {
  const id = 'render';
  const run = await startToActive(s.env.client, id);
  for (const opd of ['opd-1', 'opd-2', 'opd-3'])
    await run({
      type: 'startOperationalAgreement',
      childId: `render-${opd}`,
      party: { partyId: opd, timeZone: 'Asia/Jakarta' },
      title: `PKS ${opd}`,
      scope: ['x'],
    });
  for (let i = 0; (await run({ type: 'recordReport', period: `P${i}`, summary: 'laporan' })).version < 100; i++);
  for (;;) {
    const pending = await s.db.selectFrom('notifications').select('id').where('status', '=', 'pending').execute();
    if (pending.length === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const events = await s.db.selectFrom('events').select('version').where('stream_id', '=', id).execute();
  const cookie = `sinergi_sesi=${ADMIN}`;
  const times: number[] = [];
  for (let i = 0; i < RUNS + 20; i++) {
    const t0 = performance.now();
    const res = await app.inject({ method: 'GET', url: `/kesepakatan/${id}`, headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
    if (i >= 20) times.push(performance.now() - t0); // the first 20 warm up
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  console.log(
    JSON.stringify(
      {
        events: events.length,
        children: 3,
        runs: RUNS,
        p50ms: +q(0.5).toFixed(1),
        p95ms: +q(0.95).toFixed(1),
        maxms: +times.at(-1)!.toFixed(1),
      },
      null,
      2,
    ),
  );
});
await app.close();
await s.stop();
