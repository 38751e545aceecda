// `npm run bench:national -- --part=burst`: the 08:00 burst. Agreements between UPTs and Pemdas of WIB, WITA and
// WIT provinces each open follow-ups owned by their Pemda, all due on the same working day, so that every reminder
// falls at 08:00 in its owner's zone: three bursts an hour apart. Temporal's time-skipping server jumps to them (the
// domain's timers fire at 08:00 local, so no real timer can be set a minute ahead); everything else is real: the
// worker with the product's activities, PostgreSQL, and an SMTP server in a process of its own. It reports the three
// bursts' time, each from its first timer to its last reminder accepted by the SMTP server (not the test server's own
// jumps between them: in production they are an hour), against raw pooled nodemailer sending the very messages the
// worker sent (read back from the outbox) to the same server, and whether anything got stuck or failed.
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { sql, type Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { buildApp } from '../../api/app.js';
import { DEFAULT_HOLIDAYS_DIR } from '../../config/env.js';
import { BENCH_PORTS } from '../../config/ports.js';
import { loadHolidayLists } from '../../activities/calendar/holiday-lists.js';
import { createEngineMetrics } from '../../activities/metrics.js';
import { WorkingCalendar } from '../../domain/calendar.js';
import { localDate, localInstant } from '../../domain/dates.js';
import { WORKDAY_START_HOUR } from '../../domain/deadlines.js';
import { createDb, createMailer } from '../../infra/connections.js';
import type { Database, MailCopy } from '../../schema/database.js';
import { migrateToLatest } from '../../schema/migrate.js';
import { temporalTestServer } from '../../scripts/local/binaries.js';
import { startPostgres } from '../../scripts/local/postgres.js';
import { registerSearchAttributes, workflowBundle } from '../../tests/support/stack.js';
import { createWorker } from '../../worker/run.js';
import { addressOf } from '../../activities/notifications/outbox.js';
import { atOnce } from '../at-once.js';
import { cpuSnapshot, cpuSpent, describeCpu, describeMachine, machineSnapshot } from '../cpu.js';
import { sinkProcess } from '../email.js';
import type { Row } from '../event-store.js';
import { nationalDirectory, type NationalParty } from './directory.js';
import { seedDirectory } from './seed.js';

const ADMIN = 'bench-admin-token-0123456789';
const FROM = 'Sinergi <sinergi@bench.test>';
const AT_ONCE = 20;
const log = (m: string) => console.log(`[burst ${new Date().toISOString().slice(11, 19)}] ${m}`);
const ZONES = ['Asia/Jayapura', 'Asia/Makassar', 'Asia/Jakarta'] as const;

/** Pairs of a UPT and a Pemda of the same province, taken in turn from WIT, WITA and WIB. */
function pairsByZone(parties: NationalParty[]) {
  return ZONES.map((zone) => {
    const pemdas = parties.filter((p) => p.kind === 'pemda' && p.timeZone === zone);
    const upts = parties.filter((p) => p.kind === 'upt' && p.timeZone === zone);
    return pemdas.map((pemda, i) => ({
      upt: upts.filter((u) => u.kanwilId === pemda.kanwilId)[i % 3] ?? upts[i % upts.length]!,
      pemda,
    }));
  });
}

async function reminderCounts(db: Kysely<Database>) {
  const { rows } = await sql<{ n: string; sent: string; first: Date | null; last: Date | null }>`
    select count(*) as n, count(sent_at) as sent, min(created_at) as first, max(sent_at) as last
    from notifications where template = 'follow_up_reminder'`.execute(db);
  return rows[0]!;
}

/** One SMTP message as the worker sent it: the headers every reader sees, and this copy's address and body. */
interface SentCopy {
  to: string[];
  cc: string[];
  subject: string;
  envelopeTo: string;
  text: string;
  html: string;
}

/** The reminders' copies as stored: the same messages the worker sent, for the baseline to send again. */
async function sentCopies(db: Kysely<Database>): Promise<SentCopy[]> {
  const rows = await db
    .selectFrom('notifications')
    .select(['to_addresses', 'cc_addresses', 'subject', 'text_body', 'html_body', 'copies'])
    .where('template', '=', 'follow_up_reminder')
    .execute();
  return rows.flatMap((r) => {
    const base = { to: r.to_addresses, cc: r.cc_addresses, subject: r.subject };
    const copies = (r.copies as unknown as MailCopy[] | null) ?? null;
    if (!copies) return [{ ...base, envelopeTo: r.to_addresses[0]!, text: r.text_body, html: r.html_body }];
    return copies.map((c) => ({ ...base, envelopeTo: c.to, text: c.text, html: c.html }));
  });
}

/** Raw pooled nodemailer: the same messages (headers, text and HTML) to the same server, `inFlight` at once. */
export async function rawSend(port: number, messages: SentCopy[], inFlight: number): Promise<number> {
  const raw = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  const mail = (m: SentCopy, messageId: string) => ({
    from: FROM,
    to: m.to,
    ...(m.cc.length ? { cc: m.cc } : {}),
    subject: m.subject,
    envelope: { from: addressOf(FROM), to: [m.envelopeTo] },
    text: m.text,
    html: m.html,
    messageId,
  });
  await raw.sendMail(mail(messages[0]!, '<raw-warm@bench.test>'));
  const t = performance.now();
  await atOnce(messages.length, inFlight, (i) => raw.sendMail(mail(messages[i]!, `<raw-${i}@bench.test>`)));
  raw.close();
  return (performance.now() - t) / 1000;
}

export async function burst(dir: string, followUps: number, perAgreement: number): Promise<Row[]> {
  const pg = await startPostgres(join(dir, 'burst-pg'), BENCH_PORTS.nationalBurst.pg);
  const sink = await sinkProcess(join(dir, 'burst-mail'));
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServer() } },
  });
  try {
    await pg.createDatabase('burst');
    const db = createDb(pg.urlFor('burst'), 20);
    await migrateToLatest(db);
    await registerSearchAttributes(env);
    const parties = nationalDirectory();
    await seedDirectory(db, parties);
    const registry = new Registry();
    const metrics = createEngineMetrics(registry);
    const mailer = createMailer(`smtp://127.0.0.1:${sink.port}`);
    const quiet = pino({ level: 'silent' });
    // The worker's warnings (a task timing out, an activity stuck) are counted, not hidden.
    const warnings: string[] = [];
    const workerLog = pino(
      { level: 'warn' },
      { write: (line: string) => void warnings.push(JSON.parse(line).msg as string) },
    );
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      db,
      mailer,
      mailFrom: FROM,
      publicUrl: 'http://sinergi.bench',
      log: workerLog,
      workflowBundle: await workflowBundle(),
      metrics,
      holidaysDir: DEFAULT_HOLIDAYS_DIR,
      links: { secret: 'bench-link-secret-0123456789abcdef', ttlDays: 14 },
    });
    const workerRun = worker.run();
    const app = await buildApp({ db, temporal: env.client, adminToken: ADMIN, log: quiet });
    const post = async (url: string, payload: unknown) => {
      const res = await app.inject({
        method: 'POST',
        url,
        payload: payload as object,
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json() as { meetings: { id: string }[] };
    };

    // The reminder day: the first working day after tomorrow; due `reminderLeadDays` (2) working days later.
    const cal = new WorkingCalendar(loadHolidayLists(DEFAULT_HOLIDAYS_DIR, quiet));
    const now = await env.currentTimeMs();
    const remindOn = cal.addWorkingDays(cal.nextWorkingDayAfter(localDate(now, 'Asia/Jakarta')), 1);
    const due = cal.addWorkingDays(remindOn, 2);
    const agreements = Math.ceil(followUps / perAgreement);
    const zones = pairsByZone(parties);
    log(`${agreements} agreements × ${perAgreement} follow-ups due ${due}, reminded on ${remindOn} at 08:00 local`);
    const setup = performance.now();
    await atOnce(agreements, AT_ONCE, async (i) => {
      const inZone = zones[i % 3]!;
      const { upt, pemda } = inZone[Math.floor(i / 3) % inZone.length]!;
      const id = `burst-${String(i).padStart(5, '0')}`;
      await post('/v1/agreements', {
        id,
        title: `Kerja sama ${upt.name} dan ${pemda.name}`,
        instrument: 'nota_kesepahaman',
        parties: [
          { partyId: upt.id, role: 'initiator' },
          { partyId: pemda.id, role: 'counterpart' },
        ],
        scope: ['pembinaan kemandirian'],
      });
      const meeting = await post(`/v1/agreements/${id}/meetings`, {
        kind: 'audiensi',
        at: new Date(now - 2 * 3_600_000).toISOString(),
        venue: 'Aula',
      });
      await post(`/v1/agreements/${id}/meetings/${meeting.meetings[0]!.id}/minutes`, {
        attendees: [{ name: 'Kepala', position: 'Kepala', partyId: upt.id }],
        summary: 'Sepakat menyiapkan data.',
        followUps: Array.from({ length: perAgreement }, (_, k) => ({
          title: `Data tahap ${k + 1}`,
          ownerPartyId: pemda.id,
          due,
        })),
      });
      if ((i + 1) % 200 === 0) log(`${i + 1} agreements ready`);
    });
    log(`set up in ${((performance.now() - setup) / 1000).toFixed(0)} s; waiting for the set-up e-mails`);
    // The set-up e-mails go out first: the server skips time only when nothing runs, so the first reminder is stored
    // after the last of them is sent (checked below), and the burst is measured from that first reminder.
    // Jump to half an hour past the last burst (08:00 WIB), before any escalation is due.
    const target = Date.parse(localInstant(remindOn, 'Asia/Jakarta', WORKDAY_START_HOUR)) + 30 * 60_000;
    const jumped = performance.now();
    const jumpedAt = new Date();
    const cpuBefore = cpuSnapshot();
    const machineBefore = machineSnapshot();
    await env.sleep(Math.max(0, target - (await env.currentTimeMs())));
    let counts = await reminderCounts(db);
    while (Number(counts.sent) < followUps) {
      await new Promise((r) => setTimeout(r, 200));
      counts = await reminderCounts(db);
      if (performance.now() - jumped > 30 * 60_000)
        throw new Error(`only ${counts.sent} of ${followUps} reminders sent`);
    }
    // Where the two cores went, from the jump to the last reminder (the test server's jumps included).
    const partOf = (self: string) => (pid: number, comm: string) =>
      pid === process.pid
        ? self
        : pid === sink.pid
          ? 'SMTP server'
          : comm.startsWith('postgres')
            ? 'PostgreSQL'
            : comm.startsWith('temporal')
              ? 'Temporal test server'
              : undefined;
    const cpu = describeCpu(cpuSpent(cpuBefore, cpuSnapshot(), partOf('worker')));
    const machine = describeMachine(machineBefore, machineSnapshot());
    log(`CPU: ${cpu}; the two cores: ${machine}`);
    // From the first reminder stored (its timer fired) to the last accepted by the SMTP server. The time-skipping
    // server may jump before the explicit sleep does, whenever nothing is running: the first timer is the start.
    const span = (counts.last!.getTime() - counts.first!.getTime()) / 1000;
    const firstTimer = (counts.first!.getTime() - jumpedAt.getTime()) / 1000;
    const { rows: overlap } = await sql<{ n: string }>`select count(*) as n from notifications
      where template <> 'follow_up_reminder' and sent_at > ${counts.first}`.execute(db);
    const stuck = (await registry.getSingleMetric('sinergi_activities_stuck')!.get()).values.reduce(
      (n, v) => n + v.value,
      0,
    );
    // Agreement i is in zone i % 3 (WIT, WITA, WIB): when each zone's burst began and ended, after the jump.
    const byZone = (
      await sql<{ zone: number; first: Date; last: Date }>`
      select substring(agreement_id from 7)::int % 3 as zone, min(created_at) as first, max(sent_at) as last
      from notifications where template = 'follow_up_reminder' group by 1 order by 1`.execute(db)
    ).rows;
    const at = (d: Date) => ((d.getTime() - counts.first!.getTime()) / 1000).toFixed(1);
    const bursts = byZone.map((r) => `${['WIT', 'WITA', 'WIB'][r.zone]} +${at(r.first)}–${at(r.last)} s`);
    log(`bursts: ${bursts.join(', ')}`);
    // The bursts are an hour apart; between them the time-skipping server spends its own CPU jumping to the next
    // one, with the worker idle. The figure is the three bursts' time, from each first timer to its last reminder.
    const ours = byZone.reduce((sum, r) => sum + (r.last.getTime() - r.first.getTime()) / 1000, 0);
    // Reminders whose receipt was stored in the step that fired them (the rest went out through the outbox).
    const { rows: inStep } = await sql<{ n: string }>`select count(*) as n from events r
      where r.type = 'NotificationSent' and r.data->>'template' = 'follow_up_reminder' and exists (
        select 1 from events d where d.stream_id = r.stream_id and d.type = 'FollowUpReminderDue'
          and d.metadata->>'occurredAt' = r.metadata->>'occurredAt')`.execute(db);
    const hourly = await sql<{ n: string }>`select count(*) as n from notifications
      where last_error like '%in the last hour%'`.execute(db);
    log(
      `${counts.sent} reminders in ${ours.toFixed(1)} s of bursts (${span.toFixed(1)} s from the first timer, ` +
        `${firstTimer.toFixed(1)} s from the jump); ${inStep[0]!.n} sent in the step that fired them`,
    );

    await app.close();
    worker.shutdown();
    await workerRun;
    mailer.close();
    const copies = await sentCopies(db);
    const rawBefore = cpuSnapshot();
    const rawMachineBefore = machineSnapshot();
    const raw = await rawSend(sink.port, copies, 100);
    const rawCpu = describeCpu(cpuSpent(rawBefore, cpuSnapshot(), partOf('nodemailer')));
    const rawMachine = describeMachine(rawMachineBefore, machineSnapshot());
    log(`raw pooled nodemailer: the same ${copies.length} messages in ${raw.toFixed(1)} s (CPU: ${rawCpu})`);
    await db.destroy();
    return [
      {
        benchmark: `08:00 burst, ${followUps.toLocaleString('en')} reminders across WIB, WITA and WIT`,
        figure: +ours.toFixed(1),
        unit: 's',
        baseline: +raw.toFixed(1),
        ratio: +(raw / ours).toFixed(2),
        note:
          `${agreements} agreements × ${perAgreement}; the three bursts' time, each from its first timer to its ` +
          `last reminder accepted by the SMTP server (own process): ${bursts.join(', ')} (${span.toFixed(1)} s ` +
          `from the first timer to the last, with the test server's jumps between); ${inStep[0]!.n} sent in the ` +
          `step that fired them, the rest through the outbox; baseline raw pooled nodemailer sending the same ` +
          `${copies.length} messages (headers, text and HTML as stored), 100 at once; ` +
          `sinergi_activities_stuck ${stuck}, ${overlap[0]!.n} set-up e-mails sent after the first timer, ` +
          `${warnings.length} worker warnings, ${hourly.rows[0]!.n} held by the hourly limit; CPU from the jump to ` +
          `the last reminder: ${cpu} (the two cores: ${machine}); the baseline's: ${rawCpu} (${rawMachine}); ` +
          `target ratio ≥ 0.5`,
      },
    ];
  } finally {
    await env.teardown();
    await sink.stop();
    await pg.stop();
  }
}
