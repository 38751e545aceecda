// Reminders and escalations in working days, on the time-skipping test server with the real activities.
// Dates are placed relative to the server's clock, mirroring the example (due on a Friday, the next
// Monday a holiday), so the test holds whatever day it runs.
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate, localInstant } from '../../domain/dates.js';
import { recoverAgreement } from '../../services/recover.js';
import { workflowIdFor } from '../../workflows/messages.js';
import type { Policy } from '../../domain/types.js';
import type { AgreementView } from '../../domain/view.js';
import { eventually, startStack, type Stack } from '../support/stack.js';
import { harness } from '../support/workflow-harness.js';
import { insertParties, lapasGarut, pemkabGarut } from '../support/scenario.js';
import { SyntheticHolidays, mondayAfter } from '../support/synthetic-calendar.js';

const nowYear = new Date().getUTCFullYear();
const holidays = new SyntheticHolidays([nowYear, nowYear + 1, nowYear + 2]);
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ timeSkipping: true, holidaysDir: holidays.dir });
  await insertParties(stack.database.db, [lapasGarut, pemkabGarut]);
});
afterAll(async () => stack?.stop());

const h = harness(() => stack);
const WIB = 'Asia/Jakarta' as const;
const { serverNow, sleepUntil } = h;
const today = () => h.today(WIB);
const start = (policy: Partial<Policy> = {}) => h.start({ policy, parties: ['lapas-garut', 'pemkab-garut'] });
const eventTypes = (id: string) => h.events(id);
const mailsFor = (id: string) => h.mails(id);
const settled = (id: string) => h.settled(id);

const supervisorsOfPemkab = ['sekda@garutkab.test'];
const liaisonsOfPemkab = ['meisya@garutkab.test', 'widi@garutkab.test'];
const supervisorsOfLapas = ['kalapas@lapasgarut.test'];

describe('follow-up deadlines', () => {
  it('reminds, then escalates to level 1 and level 2 across a holiday', async () => {
    const monday = mondayAfter(await today(), 14);
    const due = addDays(monday, 4); // Friday
    holidays.add(addDays(monday, 7), 'Hari libur (seperti 17 Agustus)'); // the Monday after
    const { agreementId, run } = await start({ level2AfterDays: 3 });
    const view = await run('openFollowUp', { title: 'Finalisasi draf MoU', ownerPartyId: 'pemkab-garut', due });
    const f = view.followUps[0]!;
    expect({ remindOn: f.remindOn, overdueOn: f.overdueOn, escalations: f.escalations }).toEqual({
      remindOn: addDays(monday, 2), // Wednesday: two working days before
      overdueOn: addDays(monday, 8), // Tuesday: Monday is a holiday
      escalations: [
        { level: 1, on: addDays(monday, 8) },
        { level: 2, on: addDays(monday, 11) }, // Friday: three working days later
      ],
    });

    await sleepUntil(localInstant(addDays(monday, 2), WIB, 7)); // 07:00 on reminder day: not yet
    await settled(agreementId);
    expect((await mailsFor(agreementId)).map((m) => m.template)).toEqual(['follow_up_assigned']);

    await sleepUntil(localInstant(addDays(monday, 2), WIB, 9));
    await eventually('reminder sent', async () =>
      (await mailsFor(agreementId)).some((m) => m.template === 'follow_up_reminder'),
    );
    const reminder = (await mailsFor(agreementId)).find((m) => m.template === 'follow_up_reminder')!;
    expect(reminder.to).toEqual(liaisonsOfPemkab);

    await sleepUntil(localInstant(addDays(monday, 7), WIB, 12)); // the holiday: not overdue yet
    await settled(agreementId);
    expect((await eventTypes(agreementId)).filter((e) => e.type === 'FollowUpEscalated')).toEqual([]);

    await sleepUntil(localInstant(addDays(monday, 8), WIB, 9));
    await eventually('level 1 sent', async () =>
      (await mailsFor(agreementId)).some((m) => m.template === 'follow_up_escalation'),
    );
    const level1 = (await mailsFor(agreementId)).find((m) => m.template === 'follow_up_escalation')!;
    expect(level1.to).toEqual(supervisorsOfPemkab);
    expect(level1.cc).toEqual(liaisonsOfPemkab);
    expect(level1.mail.subject).toContain('tingkat 1');

    await sleepUntil(localInstant(addDays(monday, 11), WIB, 9));
    await eventually(
      'level 2 sent',
      async () => (await mailsFor(agreementId)).filter((m) => m.template === 'follow_up_escalation').length === 2,
    );
    await settled(agreementId);
    const level2 = (await mailsFor(agreementId)).filter((m) => m.template === 'follow_up_escalation')[1]!;
    expect(level2.to).toEqual(supervisorsOfLapas);
    expect(level2.mail.subject).toContain('tingkat 2');

    const escalated = (await eventTypes(agreementId))
      .filter((e) => e.type === 'FollowUpEscalated')
      .map((e) => (e.data as { level: number }).level);
    expect(escalated).toEqual([1, 2]);
    const finalView = (
      await stack.database.db
        .selectFrom('agreements')
        .select('view')
        .where('id', '=', agreementId)
        .executeTakeFirstOrThrow()
    ).view as AgreementView;
    expect(finalView.followUps[0]).toMatchObject({ status: 'open', escalationLevel: 2 });
    expect(finalView.followUps[0]!.escalations.every((e) => e.sentAt)).toBe(true);
  });

  it('sends no escalation for a follow-up completed before its due date', async () => {
    const monday = mondayAfter(await today(), 14);
    const { agreementId, run } = await start();
    const view = await run('openFollowUp', {
      title: 'Menyiapkan langkah teknis',
      ownerPartyId: 'pemkab-garut',
      due: addDays(monday, 4),
    });
    await run('completeFollowUp', { followUpId: view.followUps[0]!.id, note: 'Sudah dikirim' });
    await sleepUntil(localInstant(addDays(monday, 30), WIB, 9));
    await settled(agreementId);
    expect((await mailsFor(agreementId)).map((m) => m.template)).toEqual(['follow_up_assigned']);
    expect((await eventTypes(agreementId)).map((e) => e.type).filter((t) => t !== 'NotificationSent')).toEqual([
      'AgreementStarted',
      'FollowUpOpened',
      'FollowUpCompleted',
    ]);
  });

  it('moves the reminder and escalations when the due date moves later', async () => {
    const monday = mondayAfter(await today(), 14);
    const { agreementId, run } = await start();
    const view = await run('openFollowUp', {
      title: 'Data WBP',
      ownerPartyId: 'pemkab-garut',
      due: addDays(monday, 4),
    });
    const moved = await run('rescheduleFollowUp', { followUpId: view.followUps[0]!.id, due: addDays(monday, 18) });
    expect(moved.followUps[0]).toMatchObject({
      due: addDays(monday, 18),
      remindOn: addDays(monday, 16),
      overdueOn: addDays(monday, 21),
    });

    await sleepUntil(localInstant(addDays(monday, 14), WIB, 9)); // past the first plan's level 1 and level 2
    await settled(agreementId);
    expect((await mailsFor(agreementId)).map((m) => m.template)).toEqual(['follow_up_assigned']);

    await sleepUntil(localInstant(addDays(monday, 21), WIB, 9));
    await eventually('level 1 on the new date', async () =>
      (await mailsFor(agreementId)).some((m) => m.template === 'follow_up_escalation'),
    );
    await settled(agreementId);
    expect((await mailsFor(agreementId)).map((m) => m.template).sort()).toEqual([
      'follow_up_assigned',
      'follow_up_escalation',
      'follow_up_reminder',
    ]);
  });

  it('fires level 1 at once for a follow-up written down late, and level 2 one interval after it, each once', async () => {
    const past = addDays(await today(), -20);
    const { agreementId, run } = await start();
    const opened = await run('openFollowUp', {
      title: 'Terlambat sejak lama',
      ownerPartyId: 'pemkab-garut',
      due: past,
      late: true,
    });
    await eventually(
      'level 1 sent',
      async () => (await mailsFor(agreementId)).filter((m) => m.template === 'follow_up_escalation').length === 1,
    );
    await settled(agreementId);
    expect((await mailsFor(agreementId)).filter((m) => m.template === 'follow_up_escalation')).toHaveLength(1);
    const level2On = opened.followUps[0]!.escalations[1]!.on;
    expect(level2On > (await today())).toBe(true);
    await sleepUntil(localInstant(level2On, WIB, 9));
    await eventually(
      'level 2 sent',
      async () => (await mailsFor(agreementId)).filter((m) => m.template === 'follow_up_escalation').length === 2,
    );
    await sleepUntil(localInstant(addDays(level2On, 10), WIB, 9));
    await settled(agreementId);
    expect((await mailsFor(agreementId)).map((m) => m.template).sort()).toEqual([
      'follow_up_assigned',
      'follow_up_escalation',
      'follow_up_escalation',
    ]);
  });
});

async function toSigning(run: Awaited<ReturnType<typeof start>>['run']) {
  const v = await run('scheduleMeeting', {
    kind: 'audiensi',
    at: new Date((await serverNow()) - 3_600_000).toISOString(),
    venue: 'Setda',
  });
  await run('recordMinutes', {
    meetingId: v.meetings[0]!.id,
    attendees: [{ name: 'Widi', position: 'Kabag', partyId: 'pemkab-garut' }],
    summary: 'ok',
    outcome: 'proceed_to_drafting',
  });
  await run('submitDraft', { documentUrl: 'https://docs.test/v1.pdf' });
  await run('reviewDraft', { version: 1, partyId: 'lapas-garut', decision: 'approve' });
  return run('reviewDraft', { version: 1, partyId: 'pemkab-garut', decision: 'approve' });
}

describe('lifecycle deadlines', () => {
  it('reminds before a ceremony rescheduled twice, keeping one calendar entry, and asks to record it after', async () => {
    const monday = mondayAfter(await today(), 14);
    const { agreementId, run } = await start();
    expect((await toSigning(run)).stage).toBe('signing');
    const signatories = [{ partyId: 'lapas-garut', name: 'Rusdedy', position: 'Kalapas' }];
    const at = (d: number) => `${addDays(monday, d)}T10:00:00+07:00`;
    await run('scheduleSigning', { at: at(10), venue: 'Lapas Garut', signatories });
    await run('scheduleSigning', { at: at(17), venue: 'Lapas Garut', signatories });
    const third = await run('scheduleSigning', { at: at(24), venue: 'Aula Lapas Garut', signatories });
    expect(third.signing).toMatchObject({ at: at(24), rescheduled: 2 });

    await sleepUntil(localInstant(addDays(monday, 16), WIB, 9)); // the first two dates' reminders would have gone by now
    await settled(agreementId);
    expect((await mailsFor(agreementId)).filter((m) => m.template === 'signing_reminder')).toEqual([]);

    await sleepUntil(localInstant(addDays(monday, 17), WIB, 9)); // 7 days before the third date
    await eventually(
      '7-day reminder',
      async () => (await mailsFor(agreementId)).filter((m) => m.template === 'signing_reminder').length === 1,
    );
    await sleepUntil(localInstant(addDays(monday, 23), WIB, 9)); // the day before
    await eventually(
      '1-day reminder',
      async () => (await mailsFor(agreementId)).filter((m) => m.template === 'signing_reminder').length === 2,
    );
    await sleepUntil(localInstant(addDays(monday, 25), WIB, 1)); // the ceremony's day has ended, nothing recorded
    await eventually('overdue notice', async () =>
      (await mailsFor(agreementId)).some((m) => m.template === 'signing_overdue'),
    );
    await settled(agreementId);

    const mails = await mailsFor(agreementId);
    const reminders = mails.filter((m) => m.template === 'signing_reminder');
    expect(reminders.every((m) => m.text.includes(localDate(at(24), WIB).split('-')[2]!.replace(/^0/, '')))).toBe(true);
    expect(mails.find((m) => m.template === 'signing_overdue')!.to).toEqual(supervisorsOfLapas);
    const invitations = mails
      .filter((m) => m.template === 'signing_invitation' || m.template === 'signing_rescheduled')
      .map((m) => {
        const part = m.mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))!;
        const vevent = new ICAL.Component(ICAL.parse(part.content.toString('utf8'))).getFirstSubcomponent('vevent')!;
        return {
          uid: String(vevent.getFirstPropertyValue('uid')),
          sequence: Number(vevent.getFirstPropertyValue('sequence')),
        };
      });
    expect(invitations.map((i) => i.sequence).sort()).toEqual([0, 1, 2]);
    expect(new Set(invitations.map((i) => i.uid))).toEqual(new Set([`signing-${agreementId}@sinergi`]));
  });

  it('escalates a review deadline missed by one party only', async () => {
    const { agreementId, run } = await start({ reviewDays: 10 });
    const v = await run('scheduleMeeting', {
      kind: 'audiensi',
      at: new Date((await serverNow()) - 3_600_000).toISOString(),
      venue: 'Setda',
    });
    await run('recordMinutes', {
      meetingId: v.meetings[0]!.id,
      attendees: [{ name: 'Widi', position: 'Kabag', partyId: 'pemkab-garut' }],
      summary: 'ok',
      outcome: 'proceed_to_drafting',
    });
    const drafted = await run('submitDraft', { documentUrl: 'https://docs.test/v1.pdf' });
    await run('reviewDraft', { version: 1, partyId: 'lapas-garut', decision: 'approve' });
    const draft = drafted.drafts[0]!;
    await sleepUntil(localInstant(draft.reviewDueOn!, WIB, 9));
    await eventually('review overdue', async () =>
      (await mailsFor(agreementId)).some((m) => m.template === 'review_overdue'),
    );
    await settled(agreementId);
    const mails = await mailsFor(agreementId);
    const reminder = mails.filter((m) => m.template === 'review_reminder');
    const overdue = mails.filter((m) => m.template === 'review_overdue');
    expect(reminder.map((m) => m.to)).toEqual([liaisonsOfPemkab]);
    expect(overdue.map((m) => m.to)).toEqual([supervisorsOfPemkab]);
    const events = (await eventTypes(agreementId)).filter(
      (e) => e.type === 'DraftReviewOverdue' || e.type === 'DraftReviewReminderDue',
    );
    expect(events.map((e) => [e.type, (e.data as { partyIds: string[] }).partyIds])).toEqual([
      ['DraftReviewReminderDue', ['pemkab-garut']],
      ['DraftReviewOverdue', ['pemkab-garut']],
    ]);
  });
});

describe('deadlines after recovery', () => {
  it('fires once the escalation that fell due while the workflow was missing, and no stale reminder', async () => {
    const monday = mondayAfter(await today(), 21);
    const due = addDays(monday, 4); // Friday: reminded Wednesday, overdue the Monday after
    const { agreementId, run } = await start();
    await run('openFollowUp', { title: 'Kirim data WBP', ownerPartyId: 'pemkab-garut', due });
    await settled(agreementId);
    // The test server keeps time from skipping while a task it handed out is unanswered, and a run terminated then
    // leaves it so: the receipt can be stored before the activity's completion reaches the server (CI under load).
    const handle = stack.env.client.workflow.getHandle(workflowIdFor(agreementId));
    await eventually('the run between tasks', async () => {
      const { raw } = await handle.describe();
      return (raw.pendingActivities ?? []).length === 0 && !raw.pendingWorkflowTask;
    });
    // Temporal loses the workflow; the follow-up's reminder and first escalation pass while nothing runs.
    await handle.terminate('Temporal lost its database');
    await sleepUntil(localInstant(addDays(monday, 8), WIB, 12));
    expect((await mailsFor(agreementId)).map((m) => m.template)).toEqual(['follow_up_assigned']);

    const recovered = await recoverAgreement(stack.database.db, stack.env.client, agreementId);
    expect(recovered.outcome).toBe('started');
    await eventually('the escalation sent', async () =>
      (await mailsFor(agreementId)).some((m) => m.template === 'follow_up_escalation'),
    );
    // Once, and the hours after bring no second copy; the reminder of a day long past ("due in two days") is not
    // sent late about what is overdue already.
    await sleepUntil(localInstant(addDays(monday, 8), WIB, 18));
    await settled(agreementId);
    expect((await mailsFor(agreementId)).map((m) => m.template)).toEqual([
      'follow_up_assigned',
      'follow_up_escalation',
    ]);
    expect((await eventTypes(agreementId)).filter((e) => e.type === 'FollowUpEscalated')).toHaveLength(1);
  });
});
