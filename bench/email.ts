// Benchmark 6: e-mail through the project's pooled transport (the delivery activity: read an agreement's queued
// rows, send each, mark them sent) against a raw pooled nodemailer send of the same message, both to the local SMTP
// server. The server runs in a process of its own, as a production relay would: sharing this process's event loop,
// it slowed both sides, ours (with its PostgreSQL round trips) the more.
import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { deliver, deliverAll } from '../activities/notifications/deliver.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Database } from '../schema/database.js';
import { createMailer } from '../infra/connections.js';
import { atOnce } from './at-once.js';
import type { Row } from './event-store.js';

// Each side's first messages go untimed, enough for the sink's and this process's code to be compiled.
const WARM_UP = 300;

/** The sink of bench/mail-sink-process.ts, started and stopped from here. */
export async function sinkProcess(dir: string): Promise<{ port: number; pid: number; stop: () => Promise<void> }> {
  const script = new URL('./mail-sink-process.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const { port } = JSON.parse(line.toString()) as { port: number };
  return {
    port,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export async function email(db: Kysely<Database>, dir: string, count = 500, run = 0): Promise<Row> {
  const sink = await sinkProcess(dir);
  const from = 'Sinergi <sinergi@bench.test>';
  const message = {
    subject: 'Undangan Audiensi: Bench',
    text: 'Yth. Bapak/Ibu,\n'.repeat(20),
    html: '<p>Yth. Bapak/Ibu,</p>'.repeat(20),
  };
  // The first WARM_UP of each side are sent untimed: connections opened, code compiled, the sink warm.
  const all = Array.from(
    { length: count + WARM_UP },
    (_, i) => `40000000-0000-4000-${String(8000 + run)}-${String(i).padStart(12, '0')}`,
  );
  await db
    .insertInto('notifications')
    .values(
      all.map((id) => ({
        id,
        agreement_id: 'bench',
        template: 'meeting_invitation',
        to_addresses: ['a@bench.test'],
        cc_addresses: [],
        subject: message.subject,
        text_body: message.text,
        html_body: message.html,
        ics: null,
        message_id: `<${id}@bench.test>`,
        status: 'pending' as const,
        last_error: null,
        sent_at: null,
      })),
    )
    .execute();
  const mailer = createMailer(`smtp://127.0.0.1:${sink.port}`);
  const log = pino({ level: 'silent' });
  const settings = { from, perAgreementPerHour: 0 };
  await Promise.all(all.slice(0, WARM_UP).map((id) => deliver(db, mailer, settings, log, id)));
  const ids = all.slice(WARM_UP);
  // As the workflows send: ten agreements' deliveries at once, each its queue of ten (one read, then in order).
  const queues = Array.from({ length: Math.ceil(count / 10) }, (_, q) => ids.slice(q * 10, q * 10 + 10));
  const measureOurs = async () => {
    const t0 = performance.now();
    await atOnce(queues.length, 10, (q) => deliverAll(db, mailer, settings, log, queues[q]!));
    return (performance.now() - t0) / 1000;
  };
  const raw = nodemailer.createTransport({
    pool: true,
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    ignoreTLS: true,
  });
  await Promise.all(
    Array.from({ length: WARM_UP }, (_, k) =>
      raw.sendMail({ from, to: 'a@bench.test', ...message, messageId: `<warm-${run}-${k}@bench.test>` }),
    ),
  );
  const measureRaw = async () => {
    const t1 = performance.now();
    await atOnce(count, 10, (i) =>
      raw.sendMail({ from, to: 'a@bench.test', ...message, messageId: `<raw-${run}-${i}@bench.test>` }),
    );
    return (performance.now() - t1) / 1000;
  };
  // Whichever side goes first meets a sink that is less warm: the order alternates from run to run.
  let ours: number;
  let baseline: number;
  if (run % 2 === 0) {
    ours = await measureOurs();
    baseline = await measureRaw();
  } else {
    baseline = await measureRaw();
    ours = await measureOurs();
  }
  mailer.close();
  raw.close();
  await sink.stop();
  return {
    benchmark: `e-mail, ${count} messages, 10 at a time`,
    figure: Math.round(count / ours),
    unit: 'messages/s',
    baseline: Math.round(count / baseline),
    ratio: +(count / ours / (count / baseline)).toFixed(2),
    note:
      `ours: ten agreements' queues of ten at once, the next starting as one ends, as the workflows deliver them, ` +
      `with the outbox read (one per queue) and the sent marks (one statement per queue) in PostgreSQL; raw: ten ` +
      `messages at once, the same way; the SMTP server in its own process; ` +
      `${WARM_UP} untimed first on each side, then the two sides in turn, which first alternating by run`,
  };
}
