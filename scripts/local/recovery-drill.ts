// The fault suite's recovery drill (`npm run faults -- --backend=postgres`): agreements at every stage lose
// Temporal's database, then `sinergi recover` brings them back from their events; then Sinergi's own database is
// restored from a backup older than Temporal's state, and `sinergi recover` replaces what ran ahead of it.
import { spawn } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time.js';
import { sql, type Kysely } from 'kysely';
import { rebuildAgreements } from '../../activities/projections/agreements.js';
import { addDays, localDate } from '../../domain/dates.js';
import type { Database } from '../../schema/database.js';
import { workflowIdFor } from '../../workflows/messages.js';
import type { Answer } from './product.js';

type Call = (method: string, path: string, body?: unknown) => Promise<Answer>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const root = new URL('../..', import.meta.url).pathname;

export interface DrillContext {
  db: Kysely<Database>;
  call: Call;
  temporalAddress: string;
  /** Every message id the SMTP server has received so far, copies included. */
  received(): string[];
  stopMail(): Promise<void>;
  startMail(): Promise<void>;
  /** Temporal stopped, its two databases dropped and made again empty, Temporal started. */
  loseTemporalDatabase(): Promise<void>;
  /** Sinergi's database copied aside, and later put back, while its server is stopped. */
  backUpSinergi(): Promise<string>;
  restoreSinergi(): Promise<void>;
  /** The worker and API processes, stopped and started as an operator does around a restore. */
  stopProcesses(): Promise<void>;
  startProcesses(): Promise<void>;
  env: NodeJS.ProcessEnv;
  deadline: number;
  log(message: string): void;
}

/** The agreements whose view differs from a rebuild from the events (compared as jsonb: key order aside). */
export async function projectionsDiffering(db: Kysely<Database>): Promise<string[]> {
  const read = () => sql<{ id: string }>`select id, view::jsonb::text as view, version from agreements order by id`;
  const before = (await read().execute(db)).rows;
  await rebuildAgreements(db);
  const after = new Map((await read().execute(db)).rows.map((r) => [r.id, JSON.stringify(r)]));
  const differing = before.filter((r) => after.get(r.id) !== JSON.stringify(r)).map((r) => r.id);
  return before.length === after.size
    ? differing
    : [...differing, `(${before.length} rows before, ${after.size} after)`];
}

const KINDS = ['started', 'meeting ahead', 'follow-up open', 'in review', 'ceremony ahead', 'active', 'umbrella'];
type Kind = (typeof KINDS)[number];
const PARTIES = { lapas: 'lapas-r', pemkab: 'pemkab-r', dinas: 'dinas-r' };

/** A date `n` days ahead in WIB, moved off a weekend. */
function ahead(n: number): string {
  let date = addDays(localDate(Date.now(), 'Asia/Jakarta'), n);
  while ([0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay())) date = addDays(date, 1);
  return date;
}
const at = (date: string, time = '09:00') => `${date}T${time}:00+07:00`;
const yesterday = () => at(addDays(localDate(Date.now(), 'Asia/Jakarta'), -1));

async function step(call: Call, id: string, path: string, body: unknown): Promise<Answer['body']> {
  const r = await call('POST', path, body);
  if (r.status >= 300) throw new Error(`${id} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function registerParties(call: Call): Promise<void> {
  const contacts = (id: string) => [
    { name: `Penghubung ${id}`, position: 'Staf', email: `l@${id}.test`, role: 'liaison' },
    { name: `Kepala ${id}`, position: 'Kepala', email: `k@${id}.test`, role: 'signatory' },
  ];
  await call('POST', '/v1/parties', {
    id: PARTIES.lapas,
    name: 'Lapas Pulih',
    kind: 'upt',
    contacts: contacts('lapas'),
  });
  await call('POST', '/v1/parties', {
    id: PARTIES.pemkab,
    name: 'Pemkab Pulih',
    kind: 'pemda',
    contacts: contacts('pk'),
  });
  await call('POST', '/v1/parties', {
    id: PARTIES.dinas,
    name: 'Dinas Sosial Pulih',
    kind: 'opd',
    parentId: PARTIES.pemkab,
    contacts: contacts('dinas'),
  });
}

/** One agreement driven to its kind's stage. */
async function drive(call: Call, id: string, kind: Kind): Promise<void> {
  const base = `/v1/agreements/${id}`;
  await step(call, id, '/v1/agreements', {
    id,
    title: `Kesepakatan ${id}`,
    instrument: 'nota_kesepahaman',
    parties: [
      { partyId: PARTIES.lapas, role: 'initiator' },
      { partyId: PARTIES.pemkab, role: 'counterpart' },
    ],
    scope: ['Pembinaan kemandirian'],
  });
  if (kind === 'started') return;
  if (kind === 'meeting ahead') {
    await step(call, id, `${base}/meetings`, { kind: 'audiensi', at: at(ahead(5)), venue: 'Setda' });
    return;
  }
  const m = await step(call, id, `${base}/meetings`, { kind: 'audiensi', at: yesterday(), venue: 'Setda' });
  await step(call, id, `${base}/meetings/${m.meetings[0].id}/minutes`, {
    attendees: [{ name: 'Rina', position: 'Kasi Binadik', partyId: PARTIES.lapas }],
    summary: 'Sepakat menyusun draf.',
    outcome: 'proceed_to_drafting',
    followUps: [{ title: 'Kirim data WBP', ownerPartyId: PARTIES.pemkab, due: ahead(10) }],
  });
  if (kind === 'follow-up open') return;
  await step(call, id, `${base}/drafts`, { documentUrl: 'https://dokumen.test/v1.pdf' });
  await step(call, id, `${base}/drafts/1/reviews`, { partyId: PARTIES.lapas, decision: 'approve' });
  if (kind === 'in review') return;
  await step(call, id, `${base}/drafts/1/reviews`, { partyId: PARTIES.pemkab, decision: 'approve' });
  const ceremony =
    kind === 'ceremony ahead' ? at(ahead(7), '10:00') : at(localDate(Date.now(), 'Asia/Jakarta'), '08:00');
  await step(call, id, `${base}/signing`, {
    at: ceremony,
    venue: 'Pendopo',
    signatories: [{ partyId: PARTIES.lapas, name: 'Kepala Lapas', position: 'Kalapas' }],
  });
  if (kind === 'ceremony ahead') return;
  await step(call, id, `${base}/signing/record`, {
    signedAt: localDate(Date.now(), 'Asia/Jakarta'),
    documentNumbers: { [PARTIES.lapas]: `W.1/${id}`, [PARTIES.pemkab]: `180/${id}` },
  });
  if (kind === 'umbrella')
    await step(call, id, `${base}/operational-agreements`, {
      id: `${id}-pks`,
      partyId: PARTIES.dinas,
      title: `PKS ${id} Dinas Sosial`,
      scope: ['Pelatihan kerja'],
      dueBy: ahead(30),
    });
}

/** The command each kind answers next, after recovery. */
async function next(call: Call, id: string, kind: Kind): Promise<void> {
  const base = `/v1/agreements/${id}`;
  const view = (await call('GET', base)).body;
  if (kind === 'started')
    await step(call, id, `${base}/meetings`, { kind: 'audiensi', at: at(ahead(6)), venue: 'Setda' });
  else if (kind === 'meeting ahead')
    await step(call, id, `${base}/meetings/${view.meetings[0].id}/reschedule`, { at: at(ahead(8)) });
  else if (kind === 'follow-up open')
    await step(call, id, `${base}/follow-ups/${view.followUps[0].id}/complete`, { note: 'Data dikirim.' });
  else if (kind === 'in review')
    await step(call, id, `${base}/drafts/1/reviews`, { partyId: PARTIES.pemkab, decision: 'approve' });
  else {
    await step(call, id, `${base}/follow-ups`, {
      title: 'Laporan triwulan',
      ownerPartyId: PARTIES.pemkab,
      due: ahead(12),
    });
    if (kind === 'umbrella')
      await step(call, `${id}-pks`, `/v1/agreements/${id}-pks/meetings`, {
        kind: 'audiensi',
        at: at(ahead(4)),
        venue: 'Dinas Sosial',
      });
  }
}

/** Each workflow's pending timer (when it will next wake), read from its history on the cluster. */
async function pendingTimers(client: Client, ids: string[]): Promise<Map<string, number>> {
  const timers = new Map<string, number>();
  for (const id of ids) {
    const history = await client.workflow.getHandle(workflowIdFor(id)).fetchHistory();
    const started = new Map<string, number>();
    for (const e of history.events ?? []) {
      const a = e.timerStartedEventAttributes;
      if (a?.timerId) started.set(a.timerId, tsToMs(e.eventTime) + tsToMs(a.startToFireTimeout));
      const done = e.timerFiredEventAttributes?.timerId ?? e.timerCanceledEventAttributes?.timerId;
      if (done) started.delete(done);
    }
    const fireAt = Math.min(...started.values());
    if (Number.isFinite(fireAt)) timers.set(id, fireAt);
  }
  return timers;
}

async function pending(db: Kysely<Database>): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from notifications where status = 'pending'`.execute(db);
  return Number(r.rows[0]!.n);
}
async function quiet(ctx: DrillContext, what: string): Promise<void> {
  while ((await pending(ctx.db).catch(() => 1)) > 0) {
    if (Date.now() > ctx.deadline) throw new Error(`deadline passed waiting for ${what}`);
    await sleep(1000);
  }
  await sleep(3000); // each receipt's event, and the workflow's next timer, follow the send
}

/** `sinergi recover`, run as an operator runs it; its printout. */
function recoverCli(env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'recover'], {
      cwd: root,
      env: { ...env, LOG_LEVEL: 'warn' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`sinergi recover: ${code}\n${out}`))));
  });
}
const summaryOf = (printout: string) => printout.trim().split('\n').at(-1) ?? '';

export interface DrillResult {
  agreements: number;
  byKind: Record<string, number>;
  temporalLost: {
    emailsInOutbox: number;
    recover: string;
    recoverAgain: string;
    answeredNextCommand: number;
    timersCompared: number;
    timersOnAnotherDay: string[];
    emailsLost: number;
    emailsSentTwice: number;
    projectionsDiffering: string[];
  };
  sinergiRestored: {
    movedAheadOfBackup: number;
    recover: string;
    replaced: number;
    answeredNextCommand: number;
    projectionsDiffering: string[];
  };
  ok: boolean;
}

export async function recoveryDrill(ctx: DrillContext, count = 100): Promise<DrillResult> {
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  let client = new Client({ connection });
  await registerParties(ctx.call);
  const agreements = Array.from({ length: count }, (_, i) => ({
    id: `r-${String(i).padStart(3, '0')}`,
    kind: KINDS[i % KINDS.length]!,
  }));
  ctx.log(`recovery drill: ${count} agreements at ${KINDS.length} stages (${KINDS.join(', ')})`);
  const queue = [...agreements];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let a = queue.shift(); a; a = queue.shift()) await drive(ctx.call, a.id, a.kind);
    }),
  );
  const pks = agreements.filter((a) => a.kind === 'umbrella').map((a) => `${a.id}-pks`);
  const all = [...agreements.map((a) => a.id), ...pks];
  await quiet(ctx, 'the drill agreements e-mails');
  const timersBefore = await pendingTimers(client, all);

  // E-mails in the outbox when Temporal is lost: the SMTP server is down, each ceremony ahead is reminded of.
  await ctx.stopMail();
  const reminded = agreements.filter((x) => x.kind === 'ceremony ahead');
  for (const a of reminded) await step(ctx.call, a.id, `/v1/agreements/${a.id}/signing/reminders`, {});
  // Those wait on the e-mail now, not on a timer: the others' timers are compared.
  for (const a of reminded) timersBefore.delete(a.id);
  await sleep(3000);
  const emailsInOutbox = await pending(ctx.db);
  ctx.log(`recovery drill: ${emailsInOutbox} e-mails in the outbox; Temporal's database dropped`);
  await ctx.loseTemporalDatabase();
  await connection.close();
  client = new Client({ connection: await Connection.connect({ address: ctx.temporalAddress }) });
  const recover = await recoverCli(ctx.env);
  const recoverAgain = await recoverCli(ctx.env);
  ctx.log(`recovery drill: sinergi recover: ${summaryOf(recover)}; again: ${summaryOf(recoverAgain)}`);
  await ctx.startMail();
  await quiet(ctx, 'the outbox after recovery');
  const timersAfter = await pendingTimers(client, all);
  const onAnotherDay = [...timersBefore]
    .filter(([id, t]) => {
      const after = timersAfter.get(id);
      return after === undefined || localDate(after, 'Asia/Jakarta') !== localDate(t, 'Asia/Jakarta');
    })
    .map(([id, t]) => {
      const after = timersAfter.get(id);
      return `${id}: ${new Date(t).toISOString()} -> ${after ? new Date(after).toISOString() : 'none'}`;
    });

  let answered = 0;
  for (const a of agreements) {
    await next(ctx.call, a.id, a.kind);
    answered++;
  }
  await quiet(ctx, 'the e-mails of the next commands');
  const sent = await sql<{ message_id: string }>`select message_id from notifications
    where status = 'sent' and agreement_id like 'r-%'`.execute(ctx.db);
  const received = ctx.received();
  const times = new Map<string, number>();
  for (const id of received) times.set(id, (times.get(id) ?? 0) + 1);
  const emailsLost = sent.rows.filter((r) => !times.has(r.message_id)).length;
  const emailsSentTwice = sent.rows.filter((r) => (times.get(r.message_id) ?? 0) > 1).length;
  const temporalLost = {
    emailsInOutbox,
    recover: summaryOf(recover),
    recoverAgain: summaryOf(recoverAgain),
    answeredNextCommand: answered,
    timersCompared: timersBefore.size,
    timersOnAnotherDay: onAnotherDay,
    emailsLost,
    emailsSentTwice,
    projectionsDiffering: await projectionsDiffering(ctx.db),
  };

  // Sinergi's database restored from a backup older than Temporal's state.
  const backup = await ctx.backUpSinergi();
  ctx.log(`recovery drill: Sinergi's database backed up (${backup}); ten agreements move on past it`);
  const movedOn = agreements.filter((a) => a.kind === 'active').slice(0, 10);
  for (const a of movedOn)
    await step(ctx.call, a.id, `/v1/agreements/${a.id}/follow-ups`, {
      title: 'Evaluasi semester',
      ownerPartyId: PARTIES.lapas,
      due: ahead(20),
    });
  await quiet(ctx, 'the e-mails after the backup');
  await ctx.stopProcesses();
  await ctx.restoreSinergi();
  await ctx.startProcesses();
  const recoverRestored = await recoverCli(ctx.env);
  const replaced = recoverRestored.split('\n').filter((l) => l.includes('replaced')).length;
  ctx.log(`recovery drill: restored; sinergi recover: ${summaryOf(recoverRestored)}`);
  let answeredAfterRestore = 0;
  for (const id of all) {
    await step(ctx.call, id, `/v1/agreements/${id}/follow-ups`, {
      title: 'Rapat koordinasi',
      ownerPartyId: PARTIES.lapas,
      due: ahead(15),
    });
    answeredAfterRestore++;
  }
  await quiet(ctx, 'the e-mails after the restore');
  const sinergiRestored = {
    movedAheadOfBackup: movedOn.length,
    recover: summaryOf(recoverRestored),
    replaced,
    answeredNextCommand: answeredAfterRestore,
    projectionsDiffering: await projectionsDiffering(ctx.db),
  };
  await client.connection.close();
  const byKind = Object.fromEntries(KINDS.map((k) => [k, agreements.filter((a) => a.kind === k).length]));
  const ok =
    temporalLost.answeredNextCommand === count &&
    temporalLost.timersOnAnotherDay.length === 0 &&
    temporalLost.timersCompared > 0 &&
    temporalLost.emailsInOutbox > 0 &&
    emailsLost === 0 &&
    emailsSentTwice === 0 &&
    /^0 recovered/.test(temporalLost.recoverAgain) &&
    temporalLost.projectionsDiffering.length === 0 &&
    replaced === movedOn.length &&
    answeredAfterRestore === all.length &&
    sinergiRestored.projectionsDiffering.length === 0;
  return { agreements: count + pks.length, byKind, temporalLost, sinergiRestored, ok };
}
