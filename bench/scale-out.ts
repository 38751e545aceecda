// `npm run bench:scale-out`: lifecycle throughput through the API with two workers and two API processes against
// one and one, on the production topology (Temporal's server on its own PostgreSQL). Runs alternate between the
// two shapes; each figure is the median. It also counts the CPU time each part of the system used per agreement,
// which says what limits scaling out on this machine.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from '../infra/connections.js';
import { migrateToLatest } from '../schema/migrate.js';
import { startMailSink } from '../scripts/local/mail-sink.js';
import { startPostgres } from '../scripts/local/postgres.js';
import { apiClient, driveToActive, launcher, registerPartiesFor } from '../scripts/local/product.js';
import { startTemporalOnPostgres, unavailableBecause } from '../scripts/local/temporal-postgres.js';
import { waitForPort } from '../scripts/local/wait.js';
import { atOnce } from './at-once.js';
import { machine } from './machine.js';
import { BENCH_PORTS } from '../config/ports.js';

const AGREEMENTS = Number(process.env.SCALE_AGREEMENTS ?? 200);
const AT_ONCE = 20;
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 3);
const PORTS = { ...BENCH_PORTS.scaleOut, temporal: BENCH_PORTS.scaleOut.temporalBase };
const ADMIN = randomBytes(32).toString('base64url');
const why = unavailableBecause();
if (why) throw new Error(why);
const dir = mkdtempSync(join(tmpdir(), 'sinergi-scale-'));
const log = (m: string) => console.log(`[scale-out ${new Date().toISOString().slice(11, 19)}] ${m}`);

const pg = await startPostgres(join(dir, 'pg'), PORTS.pg);
await pg.createDatabase('sinergi');
const db = createDb(pg.urlFor('sinergi'), 2);
await migrateToLatest(db);
await db.destroy();
const tpg = await startPostgres(join(dir, 'temporal-pg'), PORTS.temporalPg);
const url = new URL(tpg.urlFor('postgres'));
mkdirSync(join(dir, 'temporal'), { recursive: true });
const temporal = await startTemporalOnPostgres({
  root: join(dir, 'temporal'),
  portBase: PORTS.temporal,
  pg: {
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  },
});
const sink = await startMailSink(join(dir, 'mail'), PORTS.smtp);
const launch = launcher(
  {
    ...process.env,
    DATABASE_URL: pg.urlFor('sinergi'),
    TEMPORAL_ADDRESS: temporal.address,
    SMTP_URL: `smtp://127.0.0.1:${PORTS.smtp}`,
    SINERGI_ADMIN_TOKEN: ADMIN,
    HOST: '127.0.0.1',
    SINERGI_TEMPORAL_METRICS_PORT: '0',
    SINERGI_RATE_LIMIT: '0',
    LOG_LEVEL: 'warn',
    MAIL_FROM: 'Sinergi <sinergi@scale.test>',
  },
  dir,
);

/** CPU seconds (user + system) of a process and every live process under it, from /proc. */
function cpuSeconds(root: number): number {
  const tick = 100;
  const stats = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
        return [{ pid: Number(pid), ppid: Number(rest[1]), cpu: (Number(rest[11]) + Number(rest[12])) / tick }];
      } catch {
        return [];
      }
    });
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats)
      if (!tree.has(s.pid) && tree.has(s.ppid)) {
        tree.add(s.pid);
        grew = true;
      }
  }
  return stats.filter((s) => tree.has(s.pid)).reduce((sum, s) => sum + s.cpu, 0);
}
const pidOf = (match: (cmd: string) => boolean): number => {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (match(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '))) return Number(pid);
    } catch {
      /* gone */
    }
  }
  throw new Error('process not found');
};
const postmaster = (port: number) => pidOf((c) => c.includes('/bin/postgres ') && c.includes(` -p ${port} `));
const busy = () => {
  const [, ...t] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  return { idle: t[3]! + t[4]!, total: t.reduce((a, b) => a + b, 0) };
};

/** CPU seconds so far of each part of the system. */
function cpuByPart(workers: ChildProcess[], apis: ChildProcess[]): Record<string, number> {
  const usage = process.cpuUsage();
  return {
    workers: workers.reduce((s, c) => s + cpuSeconds(c.pid!), 0),
    'API processes': apis.reduce((s, c) => s + cpuSeconds(c.pid!), 0),
    "Sinergi's PostgreSQL": cpuSeconds(postmaster(PORTS.pg)),
    'Temporal server': cpuSeconds(pidOf((c) => c.includes('temporal-server/bin/server') && c.includes(dir))),
    "Temporal's PostgreSQL": cpuSeconds(postmaster(PORTS.temporalPg)),
    'load generator and SMTP sink': (usage.user + usage.system) / 1e6,
  };
}

interface Result {
  shape: string;
  agreementsPerSecond: number;
  cpuBusy: number;
  cpuPerAgreement: Record<string, number>;
}
async function measure(workers: number, apis: number, run: number): Promise<Result> {
  const ws = Array.from({ length: workers }, (_, w) =>
    launch(`worker-${run}-${w}`, 'worker/main.ts', { SINERGI_METRICS_PORT: String(PORTS.metrics[w]) }),
  );
  const as = Array.from({ length: apis }, (_, a) =>
    launch(`api-${run}-${a}`, 'api/main.ts', { PORT: String(PORTS.api[a]) }),
  );
  const stopAll = () => {
    for (const c of [...ws, ...as]) c.kill('SIGKILL');
  };
  process.once('exit', stopAll);
  try {
    for (let a = 0; a < apis; a++) await waitForPort(PORTS.api[a]!, 60_000);
    for (let w = 0; w < workers; w++) await waitForPort(PORTS.metrics[w]!, 60_000);
    const { call } = apiClient(PORTS.api.slice(0, apis), ADMIN, Date.now() + 20 * 60_000);
    await registerPartiesFor(call, 's');
    // Warm: the first agreements through each process are not timed.
    await Promise.all(
      Array.from({ length: 2 * Math.max(workers, apis) }, (_, i) => driveToActive(call, 's', `warm-${run}-${i}`)),
    );
    const before = cpuByPart(ws, as);
    const b0 = busy();
    const t0 = performance.now();
    await atOnce(AGREEMENTS, AT_ONCE, (i) => driveToActive(call, 's', `s-${run}-${i}`));
    const seconds = (performance.now() - t0) / 1000;
    const b1 = busy();
    const after = cpuByPart(ws, as);
    const cpuPerAgreement = Object.fromEntries(
      Object.keys(after).map((k) => [k, +(((after[k]! - before[k]!) * 1000) / AGREEMENTS).toFixed(1)]),
    );
    const cpuBusy = +(1 - (b1.idle - b0.idle) / (b1.total - b0.total)).toFixed(2);
    return {
      shape: `${workers} worker${workers > 1 ? 's' : ''}, ${apis} API`,
      agreementsPerSecond: +(AGREEMENTS / seconds).toFixed(2),
      cpuBusy,
      cpuPerAgreement,
    };
  } finally {
    stopAll();
    process.removeListener('exit', stopAll);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const results: Result[] = [];
try {
  for (let run = 0; run < runs; run++) {
    for (const [w, a] of [
      [1, 1],
      [2, 2],
    ] as const) {
      const r = await measure(w, a, run * 10 + w);
      log(`${r.shape}: ${r.agreementsPerSecond} agreements/s, CPU ${Math.round(r.cpuBusy * 100)}% busy`);
      results.push(r);
    }
  }
} finally {
  await sink.stop();
  await temporal.stop();
  await tpg.stop();
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const of = (shape: string) => results.filter((r) => r.shape.startsWith(shape));
const one = of('1 worker');
const two = of('2 workers');
const ratio = +(median(two.map((r) => r.agreementsPerSecond)) / median(one.map((r) => r.agreementsPerSecond))).toFixed(
  2,
);
const m = machine();
const lines = [
  `# Scale-out on the production topology — ${new Date().toISOString()}`,
  '',
  `Machine: ${m.cores} cores (${cpus().length} seen), ${m.memoryGiB} GiB, Node ${m.node}. Temporal server 1.32.1 on its own PostgreSQL;`,
  `${AGREEMENTS} agreements from start to active (8 API requests each), ${AT_ONCE} at once, per run; ${runs} runs of each shape, alternating.`,
  '',
  '| shape | agreements/s (median) | runs | CPU busy |',
  '|---|---|---|---|',
  ...[one, two].map(
    (rs) =>
      `| ${rs[0]!.shape} | ${median(rs.map((r) => r.agreementsPerSecond))} | ${rs.map((r) => r.agreementsPerSecond).join(', ')} | ${rs.map((r) => `${Math.round(r.cpuBusy * 100)}%`).join(', ')} |`,
  ),
  '',
  `**Ratio, 2 workers and 2 API against 1 and 1: ${ratio}x.**`,
  '',
  'CPU milliseconds per agreement (each part the median of its runs):',
  '',
  `| part | 1 worker, 1 API | 2 workers, 2 API |`,
  '|---|---|---|',
  ...Object.keys(one[0]!.cpuPerAgreement).map(
    (k) =>
      `| ${k} | ${median(one.map((r) => r.cpuPerAgreement[k]!))} | ${median(two.map((r) => r.cpuPerAgreement[k]!))} |`,
  ),
  '',
];
const out = new URL('./results/', import.meta.url);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(new URL(`scale-out-${stamp}.md`, out), lines.join('\n'));
writeFileSync(
  new URL(`scale-out-${stamp}.json`, out),
  JSON.stringify({ machine: m, agreements: AGREEMENTS, atOnce: AT_ONCE, ratio, results }, null, 2),
);
console.log(lines.join('\n'));
process.exit(0);
