// `npm run faults`: agreements driven through the API while the worker is SIGKILLed five times, the SMTP server is
// down for two minutes, and PostgreSQL and the Temporal server each restart once. Then it checks that nothing was
// lost or duplicated. Bounded: every loop has a deadline; all traffic stays on loopback.
//
// `--backend=sqlite` (the default): 200 agreements, one worker and one API, the Temporal dev server on SQLite.
// `--backend=postgres`: the production topology. 500 agreements, two workers and two API processes, Temporal's
// server on its own PostgreSQL. One API process is also SIGKILLed twice (traffic moves to the other), and
// Temporal's PostgreSQL restarts once.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pgDriver from 'pg';
import { migrateToLatest } from '../schema/migrate.js';
import { createDb } from '../infra/connections.js';
import { startMailSink, type MailSink } from './local/mail-sink.js';
import { startPostgres, type LocalPostgres } from './local/postgres.js';
import { startDevServer } from './local/temporal.js';
import { setupSchema, startTemporalOnPostgres, unavailableBecause } from './local/temporal-postgres.js';
import { projectionsDiffering, recoveryDrill, type DrillResult } from './local/recovery-drill.js';
import { waitForPort } from './local/wait.js';
import { apiClient, driveToActive, launcher, registerPartiesFor } from './local/product.js';
import { FAULT_PORTS } from '../config/ports.js';

const production = process.argv.includes('--backend=postgres');
const AGREEMENTS = Number(process.env.FAULTS_AGREEMENTS ?? (production ? 500 : 200));
const SMTP_DOWN_MS = Number(process.env.FAULTS_SMTP_DOWN_MS ?? 120_000);
const DEADLINE = Date.now() + (production ? 45 : 25) * 60_000;
// Made per run: production refuses an admin token written in the repository.
const ADMIN = randomBytes(32).toString('base64url');
const PORTS = FAULT_PORTS;
const API_PORTS = production ? [...FAULT_PORTS.api] : [FAULT_PORTS.api[0]];
const WORKERS = production ? 2 : 1;
const dir = mkdtempSync(join(tmpdir(), 'sinergi-faults-'));
const log = (m: string) => console.log(`[faults ${new Date().toISOString().slice(11, 19)}] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
if (production && unavailableBecause()) throw new Error(`--backend=postgres: ${unavailableBecause()}`);

let pg = await startPostgres(join(dir, 'pg'), PORTS.pg);
await pg.createDatabase('sinergi');
const db = createDb(pg.urlFor('sinergi'), 4, () => {});
await migrateToLatest(db);

/** The Temporal server this run uses, and how to restart it and (in production) its own PostgreSQL. */
interface TemporalUnderTest {
  address: string;
  restart(): Promise<void>;
  restartDatabase?(): Promise<void>;
  /** Temporal's databases dropped and created empty, the server restarted (production only). */
  loseDatabase?(): Promise<void>;
  stop(): Promise<void>;
}
async function temporalUnderTest(): Promise<TemporalUnderTest> {
  if (!production) {
    const start = () =>
      startDevServer({ dbFile: join(dir, 'temporal.db'), port: PORTS.temporal, uiPort: PORTS.ui, log: () => {} });
    let server = await start();
    return {
      address: server.address,
      async restart() {
        await server.stop();
        await sleep(3000);
        server = await start();
      },
      stop: () => server.stop(),
    };
  }
  let tpg: LocalPostgres = await startPostgres(join(dir, 'temporal-pg'), PORTS.temporalPg);
  const url = new URL(tpg.urlFor('postgres'));
  const target = {
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
  const serverRoot = join(dir, 'temporal-server');
  mkdirSync(serverRoot, { recursive: true });
  const server = await startTemporalOnPostgres({ root: serverRoot, pg: target, portBase: PORTS.temporalBase });
  return {
    address: server.address,
    async restart() {
      await server.stop();
      await sleep(3000);
      await server.start();
    },
    async restartDatabase() {
      await tpg.stop();
      await sleep(3000);
      tpg = await startPostgres(join(dir, 'temporal-pg'), PORTS.temporalPg);
    },
    async loseDatabase() {
      await server.stop();
      const admin = new pgDriver.Client({ connectionString: tpg.urlFor('postgres') });
      await admin.connect();
      for (const name of ['temporal', 'temporal_visibility']) await admin.query(`drop database ${name} with (force)`);
      await admin.end();
      setupSchema(target);
      await server.start();
    },
    async stop() {
      await server.stop();
      await tpg.stop();
    },
  };
}
const temporal = await temporalUnderTest();
let sink: MailSink = await startMailSink(join(dir, 'mail'), PORTS.smtp);
const received: { messageId: string; at: number }[] = [];
/** Counts what a sink has received so far. Every reception counts, copies included: the sink does not de-duplicate. */
const collect = (s: MailSink) => {
  for (const m of s.received.splice(0)) {
    const id = /^Message-ID:\s*(<[^>]+>)/im.exec(m.raw.toString('utf8'))?.[1];
    if (id) received.push({ messageId: id, at: m.receivedAt.getTime() });
  }
};
const watchSink = (s: MailSink) => setInterval(() => collect(s), 50);
let sinkWatch = watchSink(sink);

const env = {
  ...process.env,
  DATABASE_URL: pg.urlFor('sinergi'),
  TEMPORAL_ADDRESS: temporal.address,
  SMTP_URL: `smtp://127.0.0.1:${PORTS.smtp}`,
  SINERGI_ADMIN_TOKEN: ADMIN,
  HOST: '127.0.0.1',
  SINERGI_TEMPORAL_METRICS_PORT: '0',
  SINERGI_RATE_LIMIT: '0',
  LOG_LEVEL: 'warn',
  MAIL_FROM: 'Sinergi <sinergi@faults.test>',
};
const launch = launcher(env, dir);
const workerEnv = (w: number) => ({ SINERGI_METRICS_PORT: String(FAULT_PORTS.workerMetrics[w]) });
const apiEnv = (a: number) => ({ PORT: String(API_PORTS[a]!) });
const workers = Array.from({ length: WORKERS }, (_, w) => launch(`worker-${w}`, 'worker/main.ts', workerEnv(w)));
const apis = API_PORTS.map((_, a) => launch(`api-${a}`, 'api/main.ts', apiEnv(a)));
// Whatever happens to this script, its processes end with it.
process.once('exit', () => {
  for (const child of [...apis, ...workers]) child.kill('SIGKILL');
});
for (const port of API_PORTS) await waitForPort(port, 60_000);
for (let w = 0; w < WORKERS; w++) await waitForPort(FAULT_PORTS.workerMetrics[w]!, 60_000);

const faults: { kind: string; at: number }[] = [];
const { call, counts: traffic } = apiClient(API_PORTS, ADMIN, DEADLINE);
await registerPartiesFor(call, 'f');
const okRequests: { agreement: string; path: string }[] = [];
async function drive(i: number): Promise<void> {
  const id = `f-${String(i).padStart(3, '0')}`;
  await driveToActive(call, 'f', id, (path) => okRequests.push({ agreement: id, path }));
}

/** SIGKILLs one API process (production only): its traffic moves to the other until it is back. */
async function killAnApi(n: number): Promise<void> {
  apis[0]!.kill('SIGKILL');
  faults.push({ kind: 'API SIGKILL', at: Date.now() });
  log(`API process 0 killed (${n}/2); traffic moves to process 1`);
  await sleep(8000);
  apis[0] = launch('api-0', 'api/main.ts', apiEnv(0));
}

async function injectFaults(): Promise<void> {
  for (let k = 0; k < 5; k++) {
    await sleep(4000 + Math.random() * 6000);
    const w = k % WORKERS;
    workers[w]!.kill('SIGKILL');
    faults.push({ kind: 'worker SIGKILL', at: Date.now() });
    log(`worker ${w} killed (${k + 1}/5)`);
    await sleep(1000);
    workers[w] = launch(`worker-${w}`, 'worker/main.ts', workerEnv(w));
    if (k === 0 && production) await killAnApi(1);
    if (k === 1) {
      clearInterval(sinkWatch);
      await sink.stop();
      // What it accepted while closing (its sessions end gracefully) still counts.
      collect(sink);
      faults.push({ kind: 'SMTP down', at: Date.now() });
      log(`SMTP server stopped for ${SMTP_DOWN_MS / 1000} s`);
      setTimeout(() => {
        void (async () => {
          sink = await startMailSink(join(dir, 'mail'), PORTS.smtp);
          sinkWatch = watchSink(sink);
          faults.push({ kind: 'SMTP up', at: Date.now() });
          log('SMTP server back');
        })();
      }, SMTP_DOWN_MS);
    }
    if (k === 2) {
      await pg.stop();
      faults.push({ kind: 'PostgreSQL restart', at: Date.now() });
      log("Sinergi's PostgreSQL stopped");
      await sleep(3000);
      pg = await startPostgres(join(dir, 'pg'), PORTS.pg);
      log("Sinergi's PostgreSQL back");
    }
    if (k === 3) {
      faults.push({ kind: 'Temporal restart', at: Date.now() });
      log('Temporal server stopped');
      await temporal.restart();
      log('Temporal server back');
      if (production) await killAnApi(2);
    }
    if (k === 4 && temporal.restartDatabase) {
      faults.push({ kind: "Temporal's PostgreSQL restart", at: Date.now() });
      log("Temporal's PostgreSQL stopped");
      await temporal.restartDatabase();
      log("Temporal's PostgreSQL back");
    }
  }
}

log(
  `driving ${AGREEMENTS} agreements, 10 at a time, through ${API_PORTS.length} API and ${WORKERS} worker process(es) ` +
    `on the ${production ? 'Temporal server on PostgreSQL' : 'Temporal dev server (SQLite)'}, while injecting faults`,
);
const started = Date.now();
const faultsDone = injectFaults();
const queue = Array.from({ length: AGREEMENTS }, (_, i) => i);
await Promise.all(
  Array.from({ length: 10 }, async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) await drive(i);
  }),
);
await faultsDone;
log(`all requests answered in ${((Date.now() - started) / 1000).toFixed(0)} s; waiting for e-mails`);
while (Date.now() < DEADLINE) {
  const pending = await sql<{ n: string }>`select count(*) as n from notifications where status = 'pending'`
    .execute(db)
    .catch(() => ({ rows: [{ n: '1' }] }));
  if (Number(pending.rows[0]!.n) === 0 && faults.some((f) => f.kind === 'SMTP up')) break;
  await sleep(2000);
}
await sleep(2000);

// Checks.
const stages = await sql<{ id: string; stage: string }>`select id, stage from agreements where id like 'f-%'`.execute(
  db,
);
const wrongStage = stages.rows.filter((r) => r.stage !== 'active').length + (AGREEMENTS - stages.rows.length);
const gaps = await sql<{ n: string }>`select count(*) as n
    from (select stream_id, count(*) c, max(version) m from events group by stream_id) s where c <> m`.execute(db);
const dupIds = await sql<{ n: string }>`select count(*) - count(distinct event_id) as n from events`.execute(db);
const projectionsDiffer = await projectionsDiffering(db);
const projectionsEqual = projectionsDiffer.length === 0;
const recorded = await sql<{
  message_id: string;
  sent_at: Date;
}>`select message_id, sent_at from notifications where status = 'sent'`.execute(db);
collect(sink);
const counts = new Map<string, number>();
for (const r of received) counts.set(r.messageId, (counts.get(r.messageId) ?? 0) + 1);
const missing = recorded.rows.filter((r) => !counts.has(r.message_id));
const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
const kills = faults.filter((f) => f.kind === 'worker SIGKILL').map((f) => f.at);
const explained = duplicated.filter((id) => {
  const first = Math.min(...received.filter((r) => r.messageId === id).map((r) => r.at));
  const sentAt = recorded.rows.find((r) => r.message_id === id)?.sent_at.getTime() ?? Infinity;
  return kills.some((k) => k >= first && k <= sentAt);
});
const lost = okRequests.filter((r) => !stages.rows.some((s) => s.id === r.agreement)).length;
const events = await sql<{ n: string }>`select count(*) as n from events`.execute(db);

const emailsReceived = received.length;
// Production: the recovery drill on the same topology, after the faults above are checked.
let drill: DrillResult | undefined;
if (temporal.loseDatabase) {
  const loseDatabase = temporal.loseDatabase;
  const copy = (from: string, to: string) => {
    rmSync(to, { recursive: true, force: true });
    // cp -a keeps the owner: PostgreSQL runs as its own user when this runs as root.
    const done = spawnSync('cp', ['-a', from, to]);
    if (done.status !== 0) throw new Error(`cp ${from} ${to}: ${done.stderr.toString()}`);
  };
  const backupDir = `${pg.dataDir}.backup`;
  const stopped = (child: ReturnType<typeof launch>) =>
    new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  drill = await recoveryDrill({
    db,
    call,
    temporalAddress: temporal.address,
    received() {
      collect(sink);
      return received.map((r) => r.messageId);
    },
    async stopMail() {
      clearInterval(sinkWatch);
      await sink.stop();
      collect(sink);
    },
    async startMail() {
      sink = await startMailSink(join(dir, 'mail'), PORTS.smtp);
      sinkWatch = watchSink(sink);
    },
    loseTemporalDatabase: loseDatabase,
    // A cold copy of the data folder: this machine's pg_dump (Debian's 15) cannot read the embedded server (17).
    async backUpSinergi() {
      await pg.stop();
      copy(pg.dataDir, backupDir);
      pg = await startPostgres(join(dir, 'pg'), PORTS.pg);
      return 'a copy of its data folder, taken with the server stopped';
    },
    async restoreSinergi() {
      await pg.stop();
      copy(backupDir, pg.dataDir);
      pg = await startPostgres(join(dir, 'pg'), PORTS.pg);
    },
    async stopProcesses() {
      for (const child of [...apis, ...workers]) child.kill('SIGTERM');
      await Promise.all([...apis, ...workers].map(stopped));
    },
    async startProcesses() {
      for (let w = 0; w < WORKERS; w++) workers[w] = launch(`worker-${w}`, 'worker/main.ts', workerEnv(w));
      for (let a = 0; a < API_PORTS.length; a++) apis[a] = launch(`api-${a}`, 'api/main.ts', apiEnv(a));
      for (const port of API_PORTS) await waitForPort(port, 60_000);
      for (let w = 0; w < WORKERS; w++) await waitForPort(FAULT_PORTS.workerMetrics[w]!, 60_000);
    },
    env,
    deadline: DEADLINE + 20 * 60_000,
    log,
  });
}

const result = {
  backend: production ? 'postgres' : 'sqlite',
  apiProcesses: API_PORTS.length,
  workers: WORKERS,
  agreements: AGREEMENTS,
  events: Number(events.rows[0]!.n),
  emailsRecorded: recorded.rows.length,
  emailsReceived,
  faultsInjected: faults.map((f) => f.kind),
  agreementsNotActive: wrongStage,
  streamsWithGaps: Number(gaps.rows[0]!.n),
  duplicateEventIds: Number(dupIds.rows[0]!.n),
  projectionsEqualRebuild: projectionsEqual,
  projectionsDiffering: projectionsDiffer.slice(0, 10),
  emailsLost: missing.length,
  emailsDuplicated: duplicated.length,
  crashWindowDuplicates: explained,
  unexplainedDuplicates: duplicated.filter((d) => !explained.includes(d)),
  acceptedRequestsLost: lost,
  requestsMovedToAnotherApi: traffic.movedToAnotherApi,
  seconds: Math.round((Date.now() - started) / 1000),
  ...(drill ? { recoveryDrill: drill } : {}),
};
console.log(JSON.stringify(result, null, 2));
// Kept beside the benchmarks, as the record of this run.
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(
  new URL(`../bench/results/faults-${result.backend}-${stamp}.json`, import.meta.url),
  `${JSON.stringify(result, null, 2)}\n`,
);
for (const child of [...apis, ...workers]) child.kill('SIGTERM');
await sleep(2000);
await db.destroy();
await temporal.stop();
clearInterval(sinkWatch);
await sink.stop();
await pg.stop().catch(() => {});
rmSync(dir, { recursive: true, force: true });
const ok =
  wrongStage === 0 &&
  result.streamsWithGaps === 0 &&
  result.duplicateEventIds === 0 &&
  projectionsEqual &&
  missing.length === 0 &&
  result.unexplainedDuplicates.length === 0 &&
  lost === 0 &&
  (drill?.ok ?? true);
console.log(ok ? 'faults: nothing lost, nothing duplicated outside the crash window' : 'faults: FAILED');
process.exit(ok ? 0 : 1);
