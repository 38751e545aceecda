import { describe, expect, it } from 'vitest';
import { agreementFacts } from '../../activities/projections/overview.js';
import { dueAlarms, monevPeriods, nextAlarmAt, planFollowUp } from '../../domain/deadlines.js';
import type { AgreementView } from '../../domain/view.js';
import { DEFAULT_POLICY } from '../../domain/types.js';
import { officialCalendar } from './official-calendar.js';
import { given } from './given-when-then.js';
import { inSigning, signingScheduled, started } from './fixtures.js';

const cal = officialCalendar();

describe('follow-up plan', () => {
  it('follows the example: due Friday 14 Aug 2026, WIB, level2AfterDays 3', () => {
    expect(planFollowUp('2026-08-14', { ...DEFAULT_POLICY, level2AfterDays: 3 }, cal)).toEqual({
      remindOn: '2026-08-12', // Wednesday
      overdueOn: '2026-08-18', // Tuesday: Monday 17 Aug is Independence Day
      level2On: '2026-08-21', // Friday
    });
  });
  it('crosses Idul Fitri 2026 with its cuti bersama', () => {
    // due Tuesday 17 Mar; 18-24 Mar closed
    expect(planFollowUp('2026-03-17', DEFAULT_POLICY, cal)).toEqual({
      remindOn: '2026-03-13',
      overdueOn: '2026-03-25',
      level2On: '2026-04-01',
    });
  });
  it('reminds before a due date that falls on a holiday, counting from the working day before it', () => {
    expect(planFollowUp('2026-08-17', DEFAULT_POLICY, cal).remindOn).toBe('2026-08-12');
  });
});

const opened = (due: string, plan = planFollowUp(due, DEFAULT_POLICY, cal)) => ({
  type: 'FollowUpOpened' as const,
  data: {
    followUpId: 'f1',
    title: 'Finalisasi draf',
    kind: 'follow_up' as const,
    ownerPartyId: 'pemkab-garut',
    due,
    ...plan,
  },
});

describe('alarms', () => {
  it('waits for the reminder at 08:00 WIB on its day', () => {
    const { state } = given(started, opened('2026-08-14'));
    expect(nextAlarmAt(state)).toBe('2026-08-12T01:00:00.000Z');
    expect(dueAlarms(state, '2026-08-12T00:59:59.000Z')).toEqual([]);
    expect(dueAlarms(state, '2026-08-12T01:00:00.000Z')).toEqual([
      { type: 'FollowUpReminderDue', data: { followUpId: 'f1' } },
    ]);
  });
  it('fires both levels and no stale reminder for a follow-up long overdue', () => {
    const { state } = given(started, opened('2026-03-02'));
    expect(dueAlarms(state, '2026-11-25T03:00:00.000Z')).toEqual([
      { type: 'FollowUpEscalated', data: { followUpId: 'f1', level: 1 } },
      { type: 'FollowUpEscalated', data: { followUpId: 'f1', level: 2 } },
    ]);
    const after = given(started, opened('2026-03-02'), ...dueAlarms(state, '2026-11-25T03:00:00.000Z'));
    expect(nextAlarmAt(after.state)).toBeUndefined();
  });
  it('stops when the follow-up is done', () => {
    expect(
      nextAlarmAt(
        given(started, opened('2026-08-14'), { type: 'FollowUpCompleted', data: { followUpId: 'f1' } }).state,
      ),
    ).toBeUndefined();
  });
  it('plans ceremony reminders 7 and 1 days before and skips those already past when it was scheduled', () => {
    const { state } = given(...inSigning, signingScheduled); // 27 Apr 2026 10:00 WIB, scheduled 6 Feb
    expect(dueAlarms(state, '2026-04-20T01:00:00.000Z')).toEqual([
      { type: 'SigningReminderDue', data: { daysBefore: 7, ceremonyAt: '2026-04-27T10:00:00+07:00' } },
    ]);
    // Both reminders due at once: only the nearer one is sent; the other is recorded as skipped.
    expect(dueAlarms(state, '2026-04-26T02:00:00.000Z')).toEqual([
      { type: 'SigningReminderDue', data: { daysBefore: 7, ceremonyAt: '2026-04-27T10:00:00+07:00', skipped: true } },
      { type: 'SigningReminderDue', data: { daysBefore: 1, ceremonyAt: '2026-04-27T10:00:00+07:00' } },
    ]);
  });
  it('asks for the signing to be recorded once the ceremony day has ended, and only that', () => {
    const { state } = given(...inSigning, signingScheduled);
    expect(dueAlarms(state, '2026-04-27T17:00:00.000Z')).toEqual([
      { type: 'SigningOverdue', data: { ceremonyAt: '2026-04-27T10:00:00+07:00' } },
    ]);
    const after = given(...inSigning, signingScheduled, {
      type: 'SigningOverdue',
      data: { ceremonyAt: '2026-04-27T10:00:00+07:00' },
    });
    expect(nextAlarmAt(after.state)).toBeUndefined();
  });
});

describe('monev periods, one rule for the reminders and the overview', () => {
  const term = { start: '2026-01-05', end: '2027-01-04' };
  it('numbers the periods from the start, and makes history of those past when the signing was recorded', () => {
    // Recorded on 1 Aug 2026: the reports due 5 Apr and 5 Jul were already late then.
    const periods = monevPeriods(term, 3, 'Asia/Jakarta', '2026-08-01T02:00:00.000Z');
    expect(periods).toEqual([
      { index: 1, dueOn: '2026-04-05', history: true },
      { index: 2, dueOn: '2026-07-05', history: true },
      { index: 3, dueOn: '2026-10-05', history: false },
    ]);
  });
  it('gives the overview only the periods the engine reminds of, each paired with its own report', () => {
    const view = {
      id: 'k',
      title: 'K',
      instrument: 'nota_kesepahaman',
      stage: 'active',
      parties: [{ partyId: 'lapas-garut', role: 'initiator', timeZone: 'Asia/Jakarta' }],
      meetings: [],
      drafts: [],
      reports: [{ id: 'r1', period: 'I', summary: 's', at: '2026-10-01T03:00:00.000Z' }],
      stageHistory: [{ stage: 'active', at: '2026-08-01T02:00:00.000Z' }],
      term,
      policy: { ...DEFAULT_POLICY, reportEveryMonths: 3 },
      followUps: [],
      createdAt: '2026-01-01T00:00:00.000Z',
    } as unknown as AgreementView;
    const facts = agreementFacts(view);
    expect(facts.report_due_on).toEqual(['2026-10-05']);
    expect(facts.report_received_on).toEqual([]); // the first report answers the first period, history
  });
});
