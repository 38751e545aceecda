// SMTP down while people keep working: the queued e-mails wait and retry, every command is answered meanwhile,
// and the run's history replays against the same code. The e-mails once went out as local activities; a failed
// attempt that came back in the workflow task of a person's command replayed in another order than it ran, and the
// agreement's run stopped on a nondeterminism error (seen in `npm run faults -- --backend=postgres`).
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink } from '../../scripts/local/mail-sink.js';
import { registerParty } from '../support/lifecycle.js';
import { eventually, http, startStack, workflowBundle, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';
import { workflowIdFor } from '../../workflows/messages.js';

let stack: Stack;
let api: ReturnType<typeof http>;
let sink: MailSink | undefined;
beforeAll(async () => {
  stack = await startStack();
  api = http(stack.baseUrl);
  await registerParty(api, { id: 'lapas-padam', name: 'Lapas Padam', kind: 'upt' });
  await registerParty(api, { id: 'pemkab-padam', name: 'Pemkab Padam', kind: 'pemda' });
}, 60_000);
afterAll(async () => {
  await sink?.stop();
  await stack?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('e-mail while SMTP is down', () => {
  it('answers every command, sends every e-mail once SMTP is back, and replays', async () => {
    const port = stack.sink.port;
    await stack.sink.stop();
    const made = await api('POST', '/v1/agreements', {
      id: 'padam',
      title: 'Kesepakatan saat SMTP padam',
      instrument: 'nota_kesepahaman',
      parties: [
        { partyId: 'lapas-padam', role: 'initiator' },
        { partyId: 'pemkab-padam', role: 'counterpart' },
      ],
      scope: ['Pelatihan kerja'],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    // For 25 s, across the deliveries' retries (2, 4, 8, 16 s apart), a command every second or so.
    const until = Date.now() + 25_000;
    for (let i = 1; Date.now() < until; i++) {
      const meeting = await api('POST', '/v1/agreements/padam/meetings', {
        kind: 'coordination',
        at: dates.at(dates.workingDays(5 + i)),
        venue: `Ruang ${i}`,
      });
      expect(meeting.status, JSON.stringify(meeting.body)).toBe(200);
      await sleep(700 + (i % 3) * 300);
    }
    sink = await startMailSink(stack.sink.dir, port);
    const sent = await eventually(
      'every e-mail sent',
      async () => {
        const rows = await stack.database.db
          .selectFrom('notifications')
          .select(['status', 'message_id'])
          .where('agreement_id', '=', 'padam')
          .execute();
        return rows.length > 0 && rows.every((r) => r.status === 'sent') && rows;
      },
      120_000,
    );
    // Each e-mail arrived once (one copy per recipient where it carries a link of its own).
    const received = sink.received.map((m) => /^Message-ID:\s*<([^>@]+)@/im.exec(m.raw.toString('utf8'))?.[1]);
    expect(received.length).toBe(new Set(received).size);
    const notification = (id: string | undefined) => id?.replace(/\.\d+$/, '');
    expect(new Set(received.map(notification))).toEqual(new Set(sent.map((r) => r.message_id.slice(1).split('@')[0])));
    // The run so far, replayed by a fresh worker, as after a restart.
    const history = await stack.env.client.workflow.getHandle(workflowIdFor('padam')).fetchHistory();
    // The engine's steps are activities: the only local activity left reads the holiday lists, in a command.
    const localActivities = (history.events ?? []).flatMap((e) =>
      e.markerRecordedEventAttributes?.markerName === 'core_local_activity'
        ? [JSON.parse(Buffer.from(e.markerRecordedEventAttributes.details!['data']!.payloads![0]!.data!).toString())]
        : [],
    );
    expect(new Set(localActivities.map((a: { activity_type: string }) => a.activity_type))).toEqual(
      new Set(['loadWorkingCalendar']),
    );
    const scheduled = (history.events ?? []).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
    expect(scheduled).toContain('deliverNotifications');
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, 'padam'),
    ).resolves.toBeUndefined();
  }, 240_000);
});
