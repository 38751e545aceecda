// The end of term on the time-skipping server: monev, renewal reminders, expiry, children ending with their umbrella.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, localInstant } from '../../domain/dates.js';
import { eventually, startStack, type Stack } from '../support/stack.js';
import { harness } from '../support/workflow-harness.js';

let stack: Stack;
const h = harness(() => stack);
beforeAll(async () => {
  stack = await startStack({ timeSkipping: true });
  for (const id of ['upt-a', 'pemda-b', 'opd-c', 'opd-d']) await h.party(id);
});
afterAll(async () => stack?.stop());
const WIB = 'Asia/Jakarta';

async function signed(signedAt: string, opts: Parameters<typeof h.start>[0] = {}) {
  const a = await h.start(opts);
  const v = await a.run('scheduleMeeting', {
    kind: 'audiensi',
    at: new Date((await h.serverNow()) - 3_600_000).toISOString(),
    venue: 'Setda',
  });
  await a.run('recordMinutes', {
    meetingId: v.meetings[0]!.id,
    attendees: [{ name: 'X', position: 'Y', partyId: 'upt-a' }],
    summary: 'ok',
    outcome: 'proceed_to_drafting',
  });
  await a.run('submitDraft', { documentUrl: 'https://docs.test/v1.pdf' });
  await a.run('reviewDraft', { version: 1, partyId: 'upt-a', decision: 'approve' });
  await a.run('reviewDraft', { version: 1, partyId: 'pemda-b', decision: 'approve' });
  await a.run('scheduleSigning', {
    at: `${signedAt}T10:00:00+07:00`,
    venue: 'Aula',
    signatories: [{ partyId: 'upt-a', name: 'K', position: 'Kepala' }],
  });
  const view = await a.run('recordSigning', {
    signedAt,
    documentNumbers: { 'upt-a': `1/${a.agreementId}`, 'pemda-b': `2/${a.agreementId}` },
  });
  return { ...a, view };
}

describe('end of term', () => {
  it('ends at once as expired when the signing recorded is older than its term, sending no stale reminder', async () => {
    const a = await signed('2019-01-10', { policy: {} });
    await a.handle.result();
    const view = await h.view(a.agreementId);
    expect(view).toMatchObject({
      stage: 'ended',
      endReason: 'expired',
      term: { start: '2019-01-10', end: '2024-01-09' },
    });
    await h.settled(a.agreementId);
    const templates = (await h.mails(a.agreementId)).map((m) => m.template).sort();
    expect(templates).toEqual([
      'agreement_ended',
      'meeting_invitation',
      'review_request',
      'review_request',
      'signing_confirmation',
      'signing_invitation',
    ]);
  });

  it('reminds of monev 14 days before, escalates a missing report, reminds of renewal at 90 and 30 days, then expires', async () => {
    const signedAt = await h.today();
    const a = await signed(signedAt, { policy: { reportEveryMonths: 6 } });
    // A 6-month term would be short; use the 60-month default but watch the first report and then jump to the end.
    const firstDue = addMonths(signedAt, 6);
    await h.sleepUntil(localInstant(addDays(firstDue, -14), WIB, 9));
    await eventually('monev reminder', async () =>
      (await h.mails(a.agreementId)).some((m) => m.template === 'report_reminder'),
    );
    await h.sleepUntil(localInstant(addDays(firstDue, 1), WIB, 9));
    await eventually('monev escalation', async () =>
      (await h.mails(a.agreementId)).some((m) => m.template === 'report_overdue'),
    );
    const overdue = (await h.mails(a.agreementId)).find((m) => m.template === 'report_overdue')!;
    expect(overdue.to).toEqual(['atasan@pemda-b.test', 'atasan@upt-a.test']);
    await a.run('recordReport', { period: 'Semester I', summary: 'Terlambat tetapi lengkap' });

    const end = a.view.term!.end;
    await h.sleepUntil(localInstant(addDays(end, -90), WIB, 9));
    await eventually('90-day renewal reminder', async () =>
      (await h.mails(a.agreementId)).some((m) => m.template === 'renewal_reminder'),
    );
    await h.sleepUntil(localInstant(addDays(end, -30), WIB, 9));
    await eventually(
      '30-day renewal reminder',
      async () => (await h.mails(a.agreementId)).filter((m) => m.template === 'renewal_reminder').length === 2,
    );
    await a.run('decideRenewal', { decision: 'end' });
    await h.sleepUntil(localInstant(addDays(end, 1), WIB, 1));
    await a.handle.result();
    expect(await h.view(a.agreementId)).toMatchObject({ stage: 'ended', endReason: 'expired' });
    await h.settled(a.agreementId);
    const reminders = (await h.mails(a.agreementId))
      .filter((m) => m.template === 'renewal_reminder')
      .map((m) => m.subject);
    expect(reminders).toEqual([expect.stringContaining('90 hari'), expect.stringContaining('30 hari')]);
    // Every monev period got its reminder and (being missed) its escalation, except the first, which was recorded.
    const monev = (await h.events(a.agreementId))
      .filter((e) => e.type === 'ReportOverdue')
      .map((e) => (e.data as { index: number }).index);
    expect(monev[0]).toBe(1);
    expect(new Set(monev).size).toBe(monev.length);
  });

  it('renews: a successor starts in drafting, the old one ends as renewed at expiry, and its PKS end with it', async () => {
    const signedAt = await h.today();
    const a = await signed(signedAt, { policy: {} });
    const child = await a.run('startOperationalAgreement', {
      childId: `${a.agreementId}-pks`,
      party: { partyId: 'opd-c', timeZone: WIB },
      title: 'PKS OPD C',
      scope: ['c'],
    });
    expect(child.stage).toBe('active');
    const unsigned = await a.run('startOperationalAgreement', {
      childId: `${a.agreementId}-pks2`,
      party: { partyId: 'opd-d', timeZone: WIB },
      title: 'PKS OPD D',
      scope: ['d'],
    });
    expect(unsigned.stage).toBe('active');
    // Sign the first PKS through its own lifecycle.
    const pks = `${a.agreementId}-pks`;
    await eventually(
      'child started',
      async () =>
        (await stack.database.db.selectFrom('agreements').select('id').where('id', '=', pks).executeTakeFirst()) !==
        undefined,
    );
    const m = await a.run(
      'scheduleMeeting',
      { kind: 'coordination', at: new Date((await h.serverNow()) - 3_600_000).toISOString(), venue: 'Dinas' },
      pks,
    );
    await a.run(
      'recordMinutes',
      {
        meetingId: m.meetings[0]!.id,
        attendees: [{ name: 'X', position: 'Y', partyId: 'opd-c' }],
        summary: 'ok',
        outcome: 'proceed_to_drafting',
      },
      pks,
    );
    await a.run('submitDraft', { documentUrl: 'https://docs.test/pks.pdf' }, pks);
    await a.run('reviewDraft', { version: 1, partyId: 'upt-a', decision: 'approve' }, pks);
    await a.run('reviewDraft', { version: 1, partyId: 'opd-c', decision: 'approve' }, pks);
    await a.run(
      'scheduleSigning',
      {
        at: `${signedAt}T13:00:00+07:00`,
        venue: 'Dinas',
        signatories: [{ partyId: 'opd-c', name: 'K', position: 'Kepala' }],
      },
      pks,
    );
    expect(
      (await a.run('recordSigning', { signedAt, documentNumbers: { 'upt-a': `1/${pks}`, 'opd-c': `2/${pks}` } }, pks))
        .stage,
    ).toBe('active');

    const renewed = await a.run('decideRenewal', { decision: 'renew' });
    const successorId = renewed.renewal!.successorId!;
    await eventually(
      'successor stored',
      async () =>
        (
          await stack.database.db
            .selectFrom('agreements')
            .select('stage')
            .where('id', '=', successorId)
            .executeTakeFirst()
        )?.stage === 'drafting',
    );
    await a.handle.result(); // the test server skips time to the expiry while the result is awaited
    expect(await h.view(a.agreementId)).toMatchObject({ stage: 'ended', endReason: 'renewed' });
    await eventually(
      'children ended',
      async () => (await h.view(pks)).stage === 'ended' && (await h.view(`${a.agreementId}-pks2`)).stage === 'ended',
    );
    expect(await h.view(pks)).toMatchObject({ endReason: 'expired' });
    expect(await h.view(`${a.agreementId}-pks2`)).toMatchObject({ endReason: 'cancelled' });
    expect(await h.view(successorId)).toMatchObject({ stage: 'drafting', renewalOf: a.agreementId });
  });
});
