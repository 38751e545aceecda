// `npm run bench:national -- --open`: agreements left open for years on the production topology (Temporal's
// server on its own PostgreSQL, the worker and the API as processes). N agreements are started through the API
// and each given a follow-up, so that every one waits on timers; one in fifty more is driven on to `active`. After
// the timed starts, umbrellas are taken on to every stage and some start PKS (stage-mix.ts). It reports
// the start rate against a bare workflow of the same shape (started with an update, then a second, each running
// one activity),
// the worker's resident memory at a tenth of N and at N (its workflow cache is SINERGI_WORKFLOW_CACHE_SIZE), and
// the bytes each open agreement takes in Temporal's database and in Sinergi's.
import { atOnce } from '../at-once.js';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import pg from 'pg';
import { BENCH_PORTS } from '../../config/ports.js';
import { createDb } from '../../infra/connections.js';
import { migrateToLatest } from '../../schema/migrate.js';
import { startMailSink } from '../../scripts/local/mail-sink.js';
import { startPostgres } from '../../scripts/local/postgres.js';
import { apiClient, driveToActive, launcher, registerPartiesFor, type Answer } from '../../scripts/local/product.js';
import { startTemporalOnPostgres, unavailableBecause } from '../../scripts/local/temporal-postgres.js';
import { waitForPort } from '../../scripts/local/wait.js';
import type { Row } from '../event-store.js';
import { bareWorkflow, step } from '../workflows/bare.js';
import { addDays, localDate } from '../../domain/dates.js';
import { advance, registerOpds, stageOf, startPks } from './stage-mix.js';

const PORTS = BENCH_PORTS.nationalOpen;
const AT_ONCE = 20;
const log = (m: string) => console.log(`[open ${new Date().toISOString().slice(11, 19)}] ${m}`);

/** Resident memory of a process, in MB. */
const rssOf = (pid: number) =>
  Math.round(Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024);

/** The bytes of every database of a cluster but the templates. */
async function clusterBytes(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: string }>(
      'select sum(pg_database_size(datname)) as n from pg_database where not datistemplate',
    );
    return Number(rows[0]!.n);
  } finally {
    await c.end();
  }
}

/** Runs `count` jobs, AT_ONCE at a time; returns the jobs per second. */
async function rate(count: number, job: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await atOnce(count, AT_ONCE, job);
  return count / ((performance.now() - t0) / 1000);
}

export async function openAgreements(dir: string, count: number, cacheSize: number): Promise<Row[]> {
  const why = unavailableBecause();
  if (why) throw new Error(why);
  const admin = randomBytes(32).toString('base64url');
  const sinergiPg = await startPostgres(join(dir, 'open-pg'), PORTS.pg);
  await sinergiPg.createDatabase('sinergi');
  const db = createDb(sinergiPg.urlFor('sinergi'), 2);
  await migrateToLatest(db);
  await db.destroy();
  const temporalPg = await startPostgres(join(dir, 'open-temporal-pg'), PORTS.temporalPg);
  const url = new URL(temporalPg.urlFor('postgres'));
  mkdirSync(join(dir, 'open-temporal'), { recursive: true });
  const temporal = await startTemporalOnPostgres({
    root: join(dir, 'open-temporal'),
    portBase: PORTS.temporalBase,
    pg: { host: url.hostname, port: Number(url.port), user: url.username, password: decodeURIComponent(url.password) },
  });
  const sink = await startMailSink(join(dir, 'open-mail'), PORTS.smtp);
  const launch = launcher(
    {
      ...process.env,
      DATABASE_URL: sinergiPg.urlFor('sinergi'),
      TEMPORAL_ADDRESS: temporal.address,
      SMTP_URL: `smtp://127.0.0.1:${PORTS.smtp}`,
      SINERGI_ADMIN_TOKEN: admin,
      HOST: '127.0.0.1',
      SINERGI_TEMPORAL_METRICS_PORT: '0',
      SINERGI_RATE_LIMIT: '0',
      SINERGI_WORKFLOW_CACHE_SIZE: String(cacheSize),
      LOG_LEVEL: 'warn',
      MAIL_FROM: 'Sinergi <sinergi@national.test>',
    },
    dir,
  );
  const worker = launch('open-worker', 'worker/main.ts', { SINERGI_METRICS_PORT: String(PORTS.metrics) });
  const api = launch('open-api', 'api/main.ts', { PORT: String(PORTS.api) });
  const connection = await NativeConnection.connect({ address: temporal.address });
  const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
  const bare = await Worker.create({
    connection,
    taskQueue: 'bench-open-bare',
    workflowsPath: fileURLToPath(new URL('../workflows/bare.ts', import.meta.url)),
    activities: { noop: async () => {} },
  });
  const rows: Row[] = [];
  try {
    await waitForPort(PORTS.api, 60_000);
    await waitForPort(PORTS.metrics, 60_000);
    const { call } = apiClient([PORTS.api], admin, Date.now() + 60 * 60_000);
    await registerPartiesFor(call, 'n');
    await registerOpds(call, 'n');
    await driveToActive(call, 'n', 'warm-0'); // the first through each process is not timed
    const [sinergiBefore, temporalBefore] = [
      await clusterBytes(sinergiPg.urlFor('postgres')),
      await clusterBytes(temporalPg.urlFor('postgres')),
    ];
    const start = (i: number) =>
      call('POST', '/v1/agreements', {
        id: `buka-${i}`,
        title: `Kesepakatan terbuka ${i}`,
        instrument: 'nota_kesepahaman',
        parties: [
          { partyId: 'lapas-n', role: 'initiator' },
          { partyId: 'pemkab-n', role: 'counterpart' },
        ],
        scope: ['pembinaan kemandirian'],
      });
    // Each agreement then waits on a follow-up's reminder, escalations and the audiensi's own timers.
    const today = localDate(Date.now(), 'Asia/Jakarta');
    const followUp = (i: number) =>
      call('POST', `/v1/agreements/buka-${i}/follow-ups`, {
        title: 'Kirim data calon peserta pelatihan',
        ownerPartyId: 'pemkab-n',
        due: addDays(today, 30 + (i % 40)),
      });
    const must = async (answer: Promise<Answer>) => {
      const r = await answer;
      if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    };
    const tenth = Math.max(1, Math.floor(count / 10));
    const startRate = await rate(count, async (i) => {
      await must(start(i));
      await must(followUp(i));
      if (i % 50 === 49) await driveToActive(call, 'n', `buka-aktif-${i}`);
      if (i === tenth - 1) rows.push({ ...rssRow(worker.pid!, tenth, cacheSize) });
    });
    // Then, untimed, every stage: of each fifty, umbrellas taken on to review, a ceremony ahead and active, and
    // PKS under two of the active ones (stage-mix.ts).
    let pksCount = 0;
    const mixed = performance.now();
    await atOnce(count, AT_ONCE, async (i) => {
      const { stage, pks } = stageOf(i);
      await advance(call, `buka-${i}`, ['lapas-n', 'pemkab-n'], stage, today);
      // Read after the await: `pksCount += await …` would add to the count as it stood before, losing the others'.
      const started = pks ? await startPks(call, `buka-${i}`, 'n', today) : 0;
      pksCount += started;
    });
    const advanced = Array.from({ length: count }, (_, i) => stageOf(i)).filter((s) => s.stage !== 'exploration');
    const mix = `${advanced.filter((s) => s.stage === 'review').length} in review, ${
      advanced.filter((s) => s.stage === 'ceremony').length
    } with a ceremony ahead, ${advanced.filter((s) => s.stage === 'active').length} active with ${pksCount} PKS`;
    log(`stage mix in ${((performance.now() - mixed) / 1000).toFixed(0)} s: ${mix}`);
    rows.push(rssRow(worker.pid!, count, cacheSize));
    const [sinergiAfter, temporalAfter] = [
      await clusterBytes(sinergiPg.urlFor('postgres')),
      await clusterBytes(temporalPg.urlFor('postgres')),
    ];
    const open = count + Math.floor(count / 50) + pksCount;
    // The same shape bare: started with an update, then a second one, each running one activity; left open.
    const bareRate = await bare.runUntil(() =>
      rate(count, async (i) => {
        await client.workflow.executeUpdateWithStart(step, {
          startWorkflowOperation: new WithStartWorkflowOperation(bareWorkflow, {
            workflowId: `bare-open-${i}`,
            taskQueue: 'bench-open-bare',
            workflowIdConflictPolicy: 'FAIL',
            args: [{ updates: 3, activities: 0, children: 0, childActivities: 0 }],
          }),
        });
        await client.workflow.getHandle(`bare-open-${i}`).executeUpdate(step);
      }),
    );
    rows.unshift({
      benchmark: `start rate, ${count.toLocaleString('en')} agreements with a follow-up each (Temporal on PostgreSQL)`,
      figure: +startRate.toFixed(2),
      unit: 'agreements/s',
      baseline: +bareRate.toFixed(2),
      ratio: +(startRate / bareRate).toFixed(3),
      note:
        'an agreement: a start and a follow-up through the API (two updates, two appends, e-mails), one in 50 ' +
        'driven on to active besides; baseline: a bare workflow started with an update and given a second, each ' +
        `running one activity, from a client in this process; ${AT_ONCE} at once`,
    });
    rows.push({
      benchmark: 'bytes per open agreement',
      figure: Math.round((temporalAfter - temporalBefore) / open),
      unit: "B in Temporal's PostgreSQL",
      baseline: Math.round((sinergiAfter - sinergiBefore) / open),
      ratio: 0,
      note:
        `baseline column holds the bytes in Sinergi's PostgreSQL; ${open.toLocaleString('en')} agreements open: ` +
        `of the ${count.toLocaleString('en')} started, ${mix} (PKS in exploration, review and ceremony); ` +
        `the rest in exploration, each waiting on a follow-up`,
    });
    return rows;
  } finally {
    worker.kill('SIGKILL');
    api.kill('SIGKILL');
    await connection.close();
    await sink.stop();
    await temporal.stop();
    await temporalPg.stop();
    await sinergiPg.stop();
  }
}

function rssRow(pid: number, open: number, cacheSize: number): Row {
  const mb = rssOf(pid);
  log(`${open} open: worker RSS ${mb} MB`);
  return {
    benchmark: `worker resident memory, ${open.toLocaleString('en')} agreements open`,
    figure: mb,
    unit: 'MB',
    baseline: cacheSize,
    ratio: 0,
    note: 'baseline column holds SINERGI_WORKFLOW_CACHE_SIZE (workflows kept in memory between tasks)',
  };
}
