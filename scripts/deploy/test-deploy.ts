// `npm run test:deploy`: the production image and the compose file, run for real with Podman. It builds every
// image the compose file names (scripts/deploy/images.ts) and Sinergi's own from the Dockerfile, starts the
// compose file unchanged with the real Docker Compose CLI (built from its Go module) against Podman's
// Docker-compatible socket (the CLI operators use, rather than podman-compose, whose support of `depends_on`
// conditions is partial), drives one agreement through the API from start to signed with e-mail, takes the
// project down and up again in the middle, checks it from outside the containers, and removes what it started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { localDate } from '../../domain/dates.js';
import { apiClient, type Answer } from '../local/product.js';
import { CACHE, buildImages, goBuild, run } from './images.js';

const PROJECT = 'sinergi-deploy-test';
const API_PORT = 8080;
const PUBLIC_URL = 'https://sinergi.test';
const COMPOSE_VERSION = 'v5.6.0';
const DEADLINE = Date.now() + 40 * 60_000;
const ADMIN = randomBytes(32).toString('base64');
const LINK_SECRET = randomBytes(32).toString('base64');
const repo = new URL('../../', import.meta.url).pathname;
const t0 = Date.now();
const seconds = (from: number) => Math.round((Date.now() - from) / 1000);
const log = (m: string) => console.log(`[deploy ${new Date().toISOString().slice(11, 19)}] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Podman, runc and debootstrap from Debian's packages, and the two settings this machine's Podman needs. */
function prepareMachine(): void {
  const missing = ['podman', 'runc', 'debootstrap'].filter((c) => spawnSync('which', [c]).status !== 0);
  if (missing.length > 0) {
    log(`installing ${missing.join(', ')} from Debian's packages`);
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'podman', 'runc', 'debootstrap'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  const conf = '/etc/containers/containers.conf';
  const text = existsSync(conf) ? readFileSync(conf, 'utf8') : '';
  if (/runtime = "runc"/.test(text) && /default_ulimits/.test(text)) return;
  if (text.trim() !== '' && !text.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('#')))
    throw new Error(`${conf} has settings of its own: add runtime = "runc" under [engine] and default_ulimits`);
  // This machine's root may not raise resource limits, and its crun cannot run here.
  writeFileSync(
    conf,
    '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=1000:1000"]\n\n[engine]\nruntime = "runc"\n',
  );
}

/** Podman's Docker-compatible API on a socket of our own, for as long as the test runs. */
async function podmanService(): Promise<{ socket: string; process: ChildProcess }> {
  const socket = join(CACHE, 'podman.sock');
  rmSync(socket, { force: true }); // left by a run that was killed: its presence would pass for readiness
  const child = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], { stdio: 'ignore' });
  process.once('exit', () => child.kill());
  for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(100);
  if (!existsSync(socket)) throw new Error('podman system service did not open its socket');
  return { socket, process: child };
}

/**
 * Podman runs health checks from systemd timers, and this machine has no systemd: the test runs them every 3 s,
 * so that the compose file's `condition: service_healthy` works as it does under Docker.
 */
function runHealthChecks(): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const ids = spawnSync('podman', ['ps', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`], {
      encoding: 'utf8',
    }).stdout.split('\n');
    const checks = ids
      .filter(Boolean)
      .map(
        (id) =>
          new Promise<void>((resolve) =>
            spawn('podman', ['healthcheck', 'run', id], { stdio: 'ignore' }).once('exit', () => resolve()),
          ),
      );
    void Promise.all(checks).then(() => (busy = false));
  }, 3000);
  return () => clearInterval(timer);
}

let composeBin = '';
let socket = '';
/** A compose command, run without blocking: the health checks above must go on while it waits for them. */
function compose(args: string[]): Promise<string> {
  const env = {
    ...process.env,
    DOCKER_HOST: `unix://${socket}`,
    SINERGI_PUBLIC_URL: PUBLIC_URL,
    SINERGI_ADMIN_TOKEN: ADMIN,
    SINERGI_LINK_SECRET: LINK_SECRET,
  };
  const child = spawn(composeBin, ['-p', PROJECT, '-f', join(repo, 'docker-compose.yml'), ...args], { cwd: repo, env });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill(), 15 * 60_000);
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`docker compose ${args.join(' ')}: exit ${code}\n${out}`));
    }),
  );
}
/** On a failure: each container's state and the end of the logs of those that carry the product. */
function showContainers(): void {
  const filter = `label=com.docker.compose.project=${PROJECT}`;
  console.log(run('podman', ['ps', '-a', '--filter', filter, '--format', '{{.Names}} {{.Status}}']));
  for (const service of ['temporal', 'worker', 'api']) {
    const logs = spawnSync('podman', ['logs', '--tail', '40', container(service)], { encoding: 'utf8' });
    console.log(`--- ${service}\n${logs.stdout}${logs.stderr}`);
  }
}
const container = (service: string) => `${PROJECT}-${service}-1`;
const exec = (service: string, args: string[]) => run('podman', ['exec', container(service), ...args]).trim();

async function ready(): Promise<void> {
  while (Date.now() < DEADLINE) {
    const ok = await fetch(`http://127.0.0.1:${API_PORT}/readyz`, { signal: AbortSignal.timeout(3000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await sleep(1000);
  }
  throw new Error('the API did not become ready');
}

/** Whether anything on the host answers on a port. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

/** The messages in the compose file's mailpit, read from inside the network (its page is not published). */
function mailpitMessages(): { subject: string; text: string }[] {
  const script = `(async () => {
    const list = await (await fetch('http://mailpit:8025/api/v1/messages?limit=200')).json();
    const out = [];
    for (const m of list.messages) {
      const one = await (await fetch('http://mailpit:8025/api/v1/message/' + m.ID)).json();
      out.push({ subject: one.Subject, text: one.Text });
    }
    console.log(JSON.stringify(out));
  })()`;
  return JSON.parse(exec('api', ['node', '-e', script])) as { subject: string; text: string }[];
}

async function mailWithLink(): Promise<{ subject: string; link: string }> {
  while (Date.now() < DEADLINE) {
    const found = mailpitMessages()
      .map((m) => ({ subject: m.subject, link: new RegExp(`${PUBLIC_URL}/[^\\s)]+`).exec(m.text)?.[0] }))
      .find((m) => m.link);
    // The path's first part only: the rest of a link is a secret that a printout must not carry.
    if (found?.link) return { subject: found.subject, link: `${found.link.split('/').slice(0, 4).join('/')}/…` };
    await sleep(1000);
  }
  throw new Error(`no e-mail with a link to ${PUBLIC_URL} reached mailpit`);
}

function migrationsApplied(): { rows: number; distinct: number } {
  const out = exec('postgres', [
    'psql',
    '-U',
    'sinergi',
    '-d',
    'sinergi',
    '-tAc',
    'select count(*), count(distinct name) from kysely_migration',
  ]);
  const [rows, distinct] = out.split('|').map(Number);
  return { rows: rows!, distinct: distinct! };
}

const uidOf = (service: string) => /^Uid:\s+(\d+)/m.exec(exec(service, ['cat', '/proc/1/status']))?.[1];

type Call = (method: string, path: string, body?: unknown) => Promise<Answer>;
async function step(call: Call, path: string, body: unknown): Promise<Answer['body']> {
  const r = await call('POST', path, body);
  if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
const today = () => localDate(Date.now(), 'Asia/Jakarta');
/** An hour ago: a meeting whose minutes are recorded, or a ceremony recorded, has happened. */
const anHourAgo = () => new Date(Date.now() - 3_600_000).toISOString();
const AGREEMENT = 'garut-deploy';
const base = `/v1/agreements/${AGREEMENT}`;

/** From the start to both approvals of the draft: the part before the project goes down. */
async function driveToApproved(call: Call): Promise<void> {
  const contacts = (who: string) => [
    { name: `Penghubung ${who}`, position: 'Staf', email: `penghubung@${who}.test`, role: 'liaison' },
    { name: `Kepala ${who}`, position: 'Kepala', email: `kepala@${who}.test`, role: 'signatory' },
  ];
  await step(call, '/v1/parties', { id: 'lapas-garut', name: 'Lapas Garut', kind: 'upt', contacts: contacts('lapas') });
  await step(call, '/v1/parties', {
    id: 'pemkab-garut',
    name: 'Pemkab Garut',
    kind: 'pemda',
    contacts: contacts('pemkab'),
  });
  await step(call, '/v1/agreements', {
    id: AGREEMENT,
    title: 'Kesepakatan pembinaan kemandirian',
    instrument: 'nota_kesepahaman',
    parties: [
      { partyId: 'lapas-garut', role: 'initiator' },
      { partyId: 'pemkab-garut', role: 'counterpart' },
    ],
    scope: ['Pelatihan kerja'],
  });
  const m = await step(call, `${base}/meetings`, { kind: 'audiensi', at: anHourAgo(), venue: 'Setda' });
  await step(call, `${base}/meetings/${m.meetings[0].id}/minutes`, {
    attendees: [{ name: 'Rina', position: 'Kasi Binadik', partyId: 'lapas-garut' }],
    summary: 'Sepakat menyusun draf.',
    outcome: 'proceed_to_drafting',
  });
  await step(call, `${base}/drafts`, { documentUrl: 'https://dokumen.test/draf-1.pdf' });
  await step(call, `${base}/drafts/1/reviews`, { partyId: 'lapas-garut', decision: 'approve' });
  await step(call, `${base}/drafts/1/reviews`, { partyId: 'pemkab-garut', decision: 'approve' });
}

async function driveToSigned(call: Call): Promise<void> {
  await step(call, `${base}/signing`, {
    at: anHourAgo(),
    venue: 'Pendopo',
    signatories: [{ partyId: 'lapas-garut', name: 'Kepala Lapas', position: 'Kalapas' }],
  });
  await step(call, `${base}/signing/record`, {
    signedAt: today(),
    documentNumbers: { 'lapas-garut': 'W11.PAS.PAS.2-1', 'pemkab-garut': '180/1-Hukum' },
  });
}

const timings: Record<string, number> = {};
async function timed<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const from = Date.now();
  const result = await fn();
  timings[name] = seconds(from);
  return result;
}

prepareMachine();
mkdirSync(CACHE, { recursive: true });
composeBin = await timed('dockerCompose', () =>
  goBuild('github.com/docker/compose/v5', COMPOSE_VERSION, './cmd', 'docker-compose'),
);
const built = await timed('upstreamImages', () => buildImages());
log('building sinergi:local from the Dockerfile');
await timed('sinergiImage', () => run('podman', ['build', '--quiet', '-t', 'docker.io/library/sinergi:local', repo]));
const imageBytes = Number(
  run('podman', ['image', 'inspect', '--format', '{{.Size}}', 'docker.io/library/sinergi:local']),
);
const service = await podmanService();
socket = service.socket;
const stopHealthChecks = runHealthChecks();
const checks: Record<string, unknown> = {};
let ok = false;
try {
  await compose(['down', '--volumes', '--remove-orphans']); // what an interrupted run left
  await timed('up', async () => {
    log('docker compose up');
    await compose(['up', '--detach', '--no-build']);
    await ready();
  });
  log('the API answers; driving the agreement');
  const { call } = apiClient([API_PORT], ADMIN, DEADLINE);
  await timed('driveToApproved', () => driveToApproved(call));

  // From outside the containers: only the API's port is published, and nothing else answers on the host.
  const published = run('podman', [
    'ps',
    '--filter',
    `label=com.docker.compose.project=${PROJECT}`,
    '--format',
    '{{.Names}}={{.Ports}}',
  ])
    .trim()
    .split('\n')
    .filter((l) => !l.endsWith('='));
  checks.publishedPorts = published;
  const others = [5432, 7233, 7243, 1025, 8025, 9464, 9465, 8233];
  checks.hostPortsAnswering = (await Promise.all(others.map(async (p) => ((await listening(p)) ? p : 0)))).filter(
    Boolean,
  );
  checks.apiHealth = (await fetch(`http://127.0.0.1:${API_PORT}/healthz`)).status;
  checks.users = { api: uidOf('api'), worker: uidOf('worker') };
  checks.migrationsFirstUp = migrationsApplied();
  const migrationFiles = readdirSync(join(repo, 'schema', 'migrations')).filter((f) => f.endsWith('.ts')).length;
  checks.migrationFiles = migrationFiles;
  checks.firstMail = await mailWithLink();

  const before = (await call('GET', base)).body;
  await timed('downUp', async () => {
    log('docker compose down, then up');
    await compose(['down']);
    await compose(['up', '--detach', '--no-build']);
    await ready();
  });
  const resumed = await call('GET', base);
  checks.beforeDownUp = { stage: before.stage, version: before.version };
  checks.afterDownUp = { stage: resumed.body.stage, version: resumed.body.version };
  const migrateLog = run('podman', ['logs', container('migrate')]);
  checks.migrationsSecondUp = { ...migrationsApplied(), appliedNow: (migrateLog.match(/Success/g) ?? []).length };
  await timed('driveToSigned', () => driveToSigned(call));
  const signed = await call('GET', base);
  checks.signed = { stage: signed.body.stage, version: signed.body.version };
  checks.mailAfterDownUp = await mailWithLink();
  const first = checks.migrationsFirstUp as { rows: number; distinct: number };
  const second = checks.migrationsSecondUp as { rows: number; distinct: number; appliedNow: number };
  ok =
    published.length === 1 &&
    published[0]!.startsWith(container('api')) &&
    published[0]!.includes(`:${API_PORT}->8080/tcp`) &&
    (checks.hostPortsAnswering as number[]).length === 0 &&
    checks.apiHealth === 200 &&
    uidOf('api') !== '0' &&
    uidOf('worker') !== '0' &&
    first.rows === migrationFiles &&
    first.distinct === migrationFiles &&
    second.rows === migrationFiles &&
    second.appliedNow === 0 &&
    resumed.body.stage === before.stage &&
    resumed.body.version === before.version &&
    signed.body.stage === 'active';
} catch (err) {
  showContainers();
  throw err;
} finally {
  stopHealthChecks();
  try {
    await compose(['down', '--volumes', '--remove-orphans']);
  } finally {
    service.process.kill();
  }
}
const result = {
  engine: run('podman', ['--version']).trim(),
  compose: `docker compose ${COMPOSE_VERSION} (built from github.com/docker/compose/v5)`,
  images: built.images,
  sinergiImageMB: Math.round(imageBytes / 1e6),
  checks,
  seconds: { ...timings, total: seconds(t0) },
};
console.log(JSON.stringify(result, null, 2));
console.log(ok ? 'test:deploy: the compose file ran, and every check held' : 'test:deploy: FAILED');
process.exit(ok ? 0 : 1);
