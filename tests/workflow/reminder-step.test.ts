// The 08:00 step (issue 33): a reminder is stored, sent and its receipt stored in one activity, not three; with SMTP
// down it waits in the outbox and goes out once, when SMTP is back. On the time-skipping server, real activities.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localInstant } from '../../domain/dates.js';
import { startMailSink, type MailSink } from '../../scripts/local/mail-sink.js';
import { viewQuery, workflowIdFor } from '../../workflows/messages.js';
import { eventually, startStack, type Stack } from '../support/stack.js';
import { harness } from '../support/workflow-harness.js';
import { insertParties, lapasGarut, pemkabGarut } from '../support/scenario.js';
import { SyntheticHolidays, mondayAfter } from '../support/synthetic-calendar.js';

const nowYear = new Date().getUTCFullYear();
const holidays = new SyntheticHolidays([nowYear, nowYear + 1]);
let stack: Stack;
let restarted: MailSink | undefined;

beforeAll(async () => {
  stack = await startStack({ timeSkipping: true, holidaysDir: holidays.dir });
  await insertParties(stack.database.db, [lapasGarut, pemkabGarut]);
});
afterAll(async () => {
  await restarted?.stop();
  await stack?.stop();
});

const h = harness(() => stack);
const WIB = 'Asia/Jakarta' as const;
const start = () => h.start({ parties: ['lapas-garut', 'pemkab-garut'] });

/** The activities the run scheduled after its last timer fired, by type. */
async function activitiesAfterLastTimer(agreementId: string): Promise<string[]> {
  const history = await stack.env.client.workflow.getHandle(workflowIdFor(agreementId)).fetchHistory();
  const events = history.events ?? [];
  const fired = events.map((e) => Boolean(e.timerFiredEventAttributes)).lastIndexOf(true);
  return events
    .slice(fired + 1)
    .flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [])
    .filter((name) => name !== 'loadWorkingCalendar');
}

/** A follow-up whose reminder falls on the Wednesday two weeks on, at 08:00 WIB. */
async function followUpRemindedOnWednesday() {
  const monday = mondayAfter(await h.today(WIB), 14);
  const started = await start();
  const view = await started.run('openFollowUp', {
    title: 'Data warga binaan',
    ownerPartyId: 'pemkab-garut',
    due: addDays(monday, 4),
  });
  expect(view.followUps[0]!.remindOn).toBe(addDays(monday, 2));
  await h.settled(started.agreementId);
  return { ...started, remindAt: localInstant(addDays(monday, 2), WIB, 9) };
}

const reminderRows = (id: string) =>
  stack.database.db
    .selectFrom('notifications')
    .select(['id', 'status', 'message_id', 'attempts'])
    .where('agreement_id', '=', id)
    .where('template', '=', 'follow_up_reminder')
    .execute();

describe('the reminder step', () => {
  it('stores the reminder, sends it and stores its receipt in one activity', async () => {
    const { agreementId, remindAt } = await followUpRemindedOnWednesday();
    await h.sleepUntil(remindAt);
    await h.settled(agreementId);
    const [reminder] = await reminderRows(agreementId);
    expect(reminder?.status).toBe('sent');
    expect((await h.mails(agreementId)).filter((m) => m.template === 'follow_up_reminder')).toHaveLength(1);

    expect(await activitiesAfterLastTimer(agreementId)).toEqual(['appendEventsAndSend']);
    // The receipt follows the reminder's own event in the stream, and the view knows it was sent.
    const events = await h.events(agreementId);
    const due = events.findIndex((e) => e.type === 'FollowUpReminderDue');
    expect(events.slice(due).map((e) => e.type)).toEqual(['FollowUpReminderDue', 'NotificationSent']);
    expect(events.at(-1)!.data).toMatchObject({ notificationId: reminder!.id, template: 'follow_up_reminder' });
    const view = await stack.env.client.workflow.getHandle(workflowIdFor(agreementId)).query(viewQuery);
    expect(view.version).toBe(events.at(-1)!.version);
  });

  it('leaves the reminder to the outbox while SMTP is down, and sends it once when it is back', async () => {
    const { agreementId, remindAt } = await followUpRemindedOnWednesday();
    const port = stack.sink.port;
    await stack.sink.stop();
    await h.sleepUntil(remindAt);
    const failing = await eventually('reminder stored and tried', async () => {
      const rows = await reminderRows(agreementId);
      return rows.length === 1 && rows[0]!.attempts > 0 ? rows[0] : undefined;
    });
    expect(failing.status).toBe('pending');

    restarted = await startMailSink(stack.sink.dir, port);
    // Past the delivery's retry backoff (at most five minutes), skipped rather than waited for.
    await h.sleepUntil(new Date(Date.parse(remindAt) + 10 * 60_000).toISOString());
    await h.settled(agreementId);
    const sent = restarted.received.filter((m) => m.raw.includes(failing.message_id));
    expect(sent).toHaveLength(1);
    const receipts = (await h.events(agreementId)).filter(
      (e) => e.type === 'NotificationSent' && (e.data as { notificationId: string }).notificationId === failing.id,
    );
    expect(receipts).toHaveLength(1);
    expect(await activitiesAfterLastTimer(agreementId)).toContain('deliverNotifications');
  });
});
