// The production topology without Docker: a Temporal server on PostgreSQL (built from the Go module proxy),
// the worker and the API as their own processes connecting through TEMPORAL_ADDRESS, a real SMTP server.
// Seed 000 runs through it; then the worker and API are stopped with SIGTERM mid-work, and Temporal is restarted.
import { randomBytes } from 'node:crypto';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startMailSink, type MailSink } from '../../scripts/local/mail-sink.js';
import {
  startTemporalOnPostgres,
  unavailableBecause,
  type TemporalOnPostgres,
} from '../../scripts/local/temporal-postgres.js';
import { waitForPort } from '../../scripts/local/wait.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { freePort } from '../support/global-setup.js';
import { registerParty } from '../support/lifecycle.js';
import { runSeed000 } from '../support/seed-000.js';
import { eventually, http } from '../support/stack.js';
import { dates } from '../support/test-dates.js';

// Production refuses secrets written in the repository, so this run makes its own.
const ADMIN_TOKEN = randomBytes(32).toString('base64url');
const LINK_SECRET = randomBytes(32).toString('base64url');

const notRunBecause = unavailableBecause();
if (notRunBecause) console.warn(`[production suite] not run: ${notRunBecause}`);

const root = new URL('../../', import.meta.url);
const logDir = mkdtempSync(join(tmpdir(), 'sinergi-prod-'));

interface Service {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

// The worker and API run as the production image runs them: compiled once by scripts/build.mjs, without tsx.
const dist = `.test-data/dist-prod-${process.pid}`;

function launch(name: string, entry: string, env: Record<string, string>): Service {
  const out = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [`${dist}/${entry}`], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  return { name, child, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

describe.skipIf(notRunBecause !== undefined)(
  'production topology: Temporal on PostgreSQL, worker and API processes',
  () => {
    let database: TestDatabase;
    let temporal: TemporalOnPostgres;
    let sink: MailSink;
    let env: Record<string, string>;
    let worker: Service;
    let api: Service;
    let apiUrl: string;
    let workerMetrics: string;

    const startWorker = async () => {
      worker = launch('worker', 'worker/main.js', env);
      await waitForPort(Number(env.SINERGI_METRICS_PORT), 60_000);
    };
    const startApi = async () => {
      api = launch('api', 'api/main.js', env);
      await waitForPort(Number(env.PORT), 60_000);
    };

    beforeAll(async () => {
      await promisify(execFile)(process.execPath, ['scripts/build.mjs', dist], { cwd: root });
      database = await createTestDatabase('prod');
      const base = new URL(inject('postgresUrlBase'));
      temporal = await startTemporalOnPostgres({
        root: mkdtempSync(join(tmpdir(), 'sinergi-temporal-pg-')),
        pg: {
          host: base.hostname,
          port: Number(base.port),
          user: decodeURIComponent(base.username),
          password: decodeURIComponent(base.password),
        },
        portBase: 21000 + (process.pid % 400) * 12,
      });
      sink = await startMailSink(mkdtempSync(join(tmpdir(), 'sinergi-mail-')));
      const port = await freePort();
      apiUrl = `http://127.0.0.1:${port}`;
      env = {
        DATABASE_URL: database.url,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: 'default',
        SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
        MAIL_FROM: 'Sinergi <sinergi@prod.test>',
        SINERGI_ADMIN_TOKEN: ADMIN_TOKEN,
        SINERGI_LINK_SECRET: LINK_SECRET,
        SINERGI_PUBLIC_URL: apiUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        SINERGI_METRICS_PORT: String(await freePort()),
        SINERGI_TEMPORAL_METRICS_PORT: String(await freePort()),
        SINERGI_RATE_LIMIT: '0',
        LOG_LEVEL: 'info',
        WORKFLOW_BUNDLE_PATH: `${dist}/workflow-bundle.js`,
      };
      workerMetrics = `http://127.0.0.1:${env.SINERGI_METRICS_PORT}/metrics`;
      await startWorker();
      await startApi();
    }, 180_000);

    afterAll(async () => {
      for (const s of [api, worker]) if (s && s.child.exitCode === null) s.child.kill('SIGKILL');
      await temporal?.stop();
      await sink?.stop();
      await database?.drop();
      rmSync(new URL(dist, root), { recursive: true, force: true });
    });

    it('runs seed 000 from audiensi to signing', async () => {
      await runSeed000(http(apiUrl, ADMIN_TOKEN), () => sink.received, 'garut-mou-prod');
    });

    it("exposes metrics: requests per route, events, e-mails, escalations and Temporal's worker metrics", async () => {
      const apiText = await (await fetch(`${apiUrl}/metrics`)).text();
      expect(apiText).toMatch(
        /sinergi_http_requests_total\{method="POST",route="\/v1\/agreements\/:id\/drafts",status="200"\} \d+/,
      );
      expect(apiText).toMatch(/sinergi_http_request_duration_seconds_bucket/);
      const workerText = await (await fetch(workerMetrics)).text();
      expect(workerText).toMatch(/sinergi_events_appended_total\{type="SigningRecorded"\} 1/);
      expect(workerText).toMatch(/sinergi_emails_sent_total\{template="signing_rescheduled"\} 1/);
      // Seed 000 enters its two follow-ups late: level 1 of each fires now; level 2 waits its interval.
      expect(workerText).toMatch(/sinergi_escalations_fired_total\{kind="follow_up"\} 2/);
      expect(workerText).toMatch(/temporal_\w+/);
    });

    it('loses nothing when the API and the worker get SIGTERM in the middle of work', async () => {
      const a = http(apiUrl, ADMIN_TOKEN);
      await registerParty(a, { id: 'lapas-sigterm', name: 'Lapas', kind: 'upt' });
      await registerParty(a, { id: 'pemkab-sigterm', name: 'Pemkab', kind: 'pemda' });
      const id = 'sigterm';
      await a('POST', '/v1/agreements', {
        id,
        title: 'SIGTERM',
        instrument: 'nota_kesepahaman',
        parties: [
          { partyId: 'lapas-sigterm', role: 'initiator' },
          { partyId: 'pemkab-sigterm', role: 'counterpart' },
        ],
        scope: [],
      });

      // Twenty commands in flight, then SIGTERM to the worker (e-mails still queued) and to the API.
      const sent = Array.from({ length: 20 }, (_, i) =>
        a('POST', `/v1/agreements/${id}/follow-ups`, {
          title: `Tindak lanjut ${i}`,
          ownerPartyId: 'pemkab-sigterm',
          due: dates.workingDays(60),
        }).catch((err: Error) => ({ status: 0, body: err.message })),
      );
      await new Promise((r) => setTimeout(r, 150));
      worker.child.kill('SIGTERM');
      api.child.kill('SIGTERM');
      // The updates already accepted wait for a worker; bring one back while the API drains.
      expect(await worker.exited).toBe(0);
      await startWorker();
      const results = await Promise.all(sent);
      expect(await api.exited).toBe(0);
      await startApi();

      const ok = results.filter((r) => r.status === 200).length;
      // Each request is either accepted (200) or never taken: the connection refused (0), or 503 from an API that had
      // begun to close when it arrived. Neither of the latter may leave anything behind (checked below).
      expect(results.filter((r) => ![200, 0, 503].includes(r.status))).toEqual([]);
      expect(ok).toBeGreaterThan(0);
      const view = (await a('GET', `/v1/agreements/${id}`)).body;
      expect(view.followUps.length).toBe(ok);
      await eventually(
        'every e-mail of the agreement sent',
        async () => {
          const items = (await a('GET', `/v1/agreements/${id}/notifications`)).body.items as { status: string }[];
          return items.length === ok && items.every((n) => n.status === 'sent');
        },
        60_000,
      );
      const events = (await a('GET', `/v1/agreements/${id}/events`)).body.items as { version: number }[];
      expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1));
    });

    it('reports not ready while Temporal is down and recovers by itself', async () => {
      expect((await fetch(`${apiUrl}/readyz`)).status).toBe(200);
      await temporal.stop();
      await eventually(
        'not ready',
        async () => {
          const res = await fetch(`${apiUrl}/readyz`);
          const body = (await res.json()) as { temporal: string };
          return res.status === 503 && body.temporal === 'unreachable';
        },
        30_000,
      );
      expect((await fetch(`${apiUrl}/healthz`)).status).toBe(200);
      await temporal.start();
      await eventually('ready again', async () => (await fetch(`${apiUrl}/readyz`)).status === 200, 60_000);
    });
  },
);
