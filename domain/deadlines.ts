// When each reminder and escalation falls due, in working days and the owner's own zone.
import type { WorkingCalendar } from './calendar.js';
import { addDays, addMonths, localDate, localInstant } from './dates.js';
import type { DomainEvent } from './events.js';
import type { AgreementState, Policy, TimeZone } from './types.js';
import { DEFAULT_TIME_ZONE, MONEV_REMINDER_DAYS, RENEWAL_REMINDER_DAYS, ceremonyOf } from './types.js';

/** Timers fire at 08:00 local time on their day. */
export const WORKDAY_START_HOUR = 8;
export const SIGNING_REMINDER_DAYS = [7, 1] as const;

export interface FollowUpPlan {
  remindOn: string;
  overdueOn: string;
  level2On: string;
}

/**
 * The reminder and escalation days of a follow-up opened (or moved) on `today`. Level 2 follows level 1 by its
 * interval even when level 1 goes out late: a follow-up entered after its due date is escalated once now, not twice.
 */
export function planFollowUp(due: string, policy: Policy, cal: WorkingCalendar, today?: string): FollowUpPlan {
  const overdueOn = cal.nextWorkingDayAfter(due);
  const level1On = today && today > overdueOn ? today : overdueOn;
  return {
    remindOn: cal.addWorkingDays(cal.workingDayOnOrBefore(due), -policy.reminderLeadDays),
    overdueOn,
    level2On: cal.addWorkingDays(level1On, policy.level2AfterDays),
  };
}

export function planReview(
  submittedOn: string,
  policy: Policy,
  cal: WorkingCalendar,
): { reviewRemindOn: string; reviewDueOn: string } {
  return {
    reviewRemindOn: cal.addWorkingDays(submittedOn, Math.max(1, Math.floor(policy.reviewDays / 2))),
    reviewDueOn: cal.addWorkingDays(submittedOn, policy.reviewDays),
  };
}

export function zoneOf(state: AgreementState, partyId: string): TimeZone {
  return state.parties.find((p) => p.partyId === partyId)?.timeZone ?? DEFAULT_TIME_ZONE;
}

/**
 * Overdue: the level-1 escalation day (the first working day after the due date) has come. The lists and the
 * overview ask the same of their rows in SQL: `overdue_on <= today`.
 */
export const isOverdue = (f: { status: string; overdueOn: string }, today: string): boolean =>
  f.status === 'open' && f.overdueOn <= today;

/** The zone an agreement's days are counted in: its initiator's. */
export function initiatorZone(state: Pick<AgreementState, 'parties'>): TimeZone {
  return state.parties.find((p) => p.role === 'initiator')?.timeZone ?? DEFAULT_TIME_ZONE;
}

/** Something the engine must do at an instant unless the agreement moves on first. */
export interface Alarm {
  at: string;
  event: DomainEvent;
}

const at8 = (date: string, tz: TimeZone): string => localInstant(date, tz, WORKDAY_START_HOUR);

/** Every alarm still pending, due or not. Firing one records an event that removes it from this list. */
export function pendingAlarms(state: AgreementState): Alarm[] {
  if (state.stage === 'ended') return [];
  const alarms: Alarm[] = [];

  for (const f of state.followUps) {
    if (f.status !== 'open') continue;
    const tz = f.ownerTimeZone ?? zoneOf(state, f.ownerPartyId);
    // A reminder is moot once the follow-up is overdue.
    if (!f.remindedAt && f.escalationLevel === 0)
      alarms.push({ at: at8(f.remindOn, tz), event: { type: 'FollowUpReminderDue', data: { followUpId: f.id } } });
    for (const e of f.escalations) {
      if (!e.firedAt)
        alarms.push({
          at: at8(e.on, tz),
          event: { type: 'FollowUpEscalated', data: { followUpId: f.id, level: e.level } },
        });
    }
  }

  const draft = state.drafts.at(-1);
  if (state.stage === 'drafting' && draft?.reviewRemindOn && draft.reviewDueOn) {
    const pending = state.parties.map((p) => p.partyId).filter((id) => !draft.reviews.some((r) => r.partyId === id));
    for (const partyId of pending) {
      const tz = zoneOf(state, partyId);
      if (!draft.overdueParties?.includes(partyId)) {
        alarms.push({
          at: at8(draft.reviewDueOn, tz),
          event: { type: 'DraftReviewOverdue', data: { version: draft.version, partyIds: [partyId] } },
        });
        if (!draft.remindedParties?.includes(partyId)) {
          alarms.push({
            at: at8(draft.reviewRemindOn, tz),
            event: { type: 'DraftReviewReminderDue', data: { version: draft.version, partyIds: [partyId] } },
          });
        }
      }
    }
  }

  const signing = ceremonyOf(state.signing);
  if (state.stage === 'signing' && signing && !signing.signedAt && !signing.overdueAt) {
    const tz = initiatorZone(state);
    const day = localDate(signing.at, tz);
    for (const daysBefore of SIGNING_REMINDER_DAYS) {
      const at = at8(addDays(day, -daysBefore), tz);
      const stale = signing.scheduledAt !== undefined && at <= signing.scheduledAt;
      if (!stale && !signing.remindersSent?.includes(daysBefore))
        alarms.push({ at, event: { type: 'SigningReminderDue', data: { daysBefore, ceremonyAt: signing.at } } });
    }
    // When the day ends unrecorded; a ceremony entered after the fact gets until the end of the day it was entered.
    const dayEnds = localInstant(addDays(day, 1), tz, 0);
    const enteredDayEnds = signing.scheduledAt
      ? localInstant(addDays(localDate(signing.scheduledAt, tz), 1), tz, 0)
      : dayEnds;
    alarms.push({
      at: dayEnds > enteredDayEnds ? dayEnds : enteredDayEnds,
      event: { type: 'SigningOverdue', data: { ceremonyAt: signing.at } },
    });
  }
  if (state.stage === 'active' && state.term) alarms.push(...termAlarms(state, state.term));
  return alarms.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** One monev period: the `index`-th report is due on `dueOn`. */
export interface MonevPeriod {
  index: number;
  dueOn: string;
  /** Its overdue day had passed when the signing was recorded: history, not a missing report. */
  history: boolean;
}

/** The monev periods of a term: the n-th report is due n × `everyMonths` after the start, within the term. */
export function monevPeriods(
  term: { start: string; end: string },
  everyMonths: number,
  tz: TimeZone,
  recordedAt = '',
): MonevPeriod[] {
  const periods: MonevPeriod[] = [];
  for (let index = 1; addMonths(term.start, index * everyMonths) <= term.end; index++) {
    const dueOn = addMonths(term.start, index * everyMonths);
    periods.push({ index, dueOn, history: at8(addDays(dueOn, 1), tz) <= recordedAt });
  }
  return periods;
}

/** Monev reports, renewal reminders and the expiry of a signed agreement. */
function termAlarms(state: AgreementState, term: { start: string; end: string }): Alarm[] {
  const tz = initiatorZone(state);
  const recordedAt = state.termRecordedAt ?? '';
  const alarms: Alarm[] = [];
  const expiresAt = localInstant(addDays(term.end, 1), tz, 0);
  alarms.push({
    at: expiresAt,
    event: { type: 'AgreementEnded', data: { reason: state.renewal?.decision === 'renew' ? 'renewed' : 'expired' } },
  });

  if (!state.renewal) {
    for (const daysBefore of RENEWAL_REMINDER_DAYS) {
      const at = at8(addDays(term.end, -daysBefore), tz);
      if (at > recordedAt && !state.renewalRemindersSent.includes(daysBefore)) {
        alarms.push({ at, event: { type: 'RenewalReminderDue', data: { daysBefore, termEnd: term.end } } });
      }
    }
  }

  for (const { index, dueOn, history } of monevPeriods(term, state.policy.reportEveryMonths, tz, recordedAt)) {
    if (state.reports.length >= index || history || state.monev.overdueFor.includes(index)) continue;
    const overdueAt = at8(addDays(dueOn, 1), tz);
    alarms.push({ at: overdueAt, event: { type: 'ReportOverdue', data: { index, dueOn } } });
    const remindAt = at8(addDays(dueOn, -MONEV_REMINDER_DAYS), tz);
    if (remindAt > recordedAt && !state.monev.remindedFor.includes(index)) {
      alarms.push({ at: remindAt, event: { type: 'ReportReminderDue', data: { index, dueOn } } });
    }
  }
  return alarms;
}

/** The alarms due at `now`, merged so that a batch sends what is due once: no stale reminder beside its escalation. */
export function dueAlarms(state: AgreementState, now: string): DomainEvent[] {
  const due = pendingAlarms(state)
    .filter((a) => a.at <= now)
    .map((a) => a.event);
  const escalated = new Set(due.flatMap((e) => (e.type === 'FollowUpEscalated' ? [e.data.followUpId] : [])));
  const overdueReview = new Set(due.flatMap((e) => (e.type === 'DraftReviewOverdue' ? e.data.partyIds : [])));
  const signingOverdue = due.some((e) => e.type === 'SigningOverdue');
  const reportOverdue = new Set(due.flatMap((e) => (e.type === 'ReportOverdue' ? [e.data.index] : [])));
  const ending = due.find((e) => e.type === 'AgreementEnded');
  if (ending) return [ending]; // the term is over: nothing else is worth sending
  const kept = due.filter((e) => {
    if (e.type === 'FollowUpReminderDue') return !escalated.has(e.data.followUpId);
    if (e.type === 'DraftReviewReminderDue') return !e.data.partyIds.some((p) => overdueReview.has(p));
    if (e.type === 'SigningReminderDue') return !signingOverdue;
    if (e.type === 'ReportReminderDue') return !reportOverdue.has(e.data.index);
    return true;
  });
  return nearestOnly(nearestOnly(kept, 'SigningReminderDue'), 'RenewalReminderDue');
}

/** Of several countdown reminders due at once only the nearest is sent; the others are recorded as skipped. */
function nearestOnly(events: DomainEvent[], type: 'SigningReminderDue' | 'RenewalReminderDue'): DomainEvent[] {
  const daysOf = (e: DomainEvent): number => (e.type === type ? e.data.daysBefore : Infinity);
  const nearest = Math.min(...events.map(daysOf));
  return events.map((e) =>
    e.type === type && e.data.daysBefore !== nearest
      ? ({ ...e, data: { ...e.data, skipped: true } } as DomainEvent)
      : e,
  );
}

export function nextAlarmAt(state: AgreementState): string | undefined {
  return pendingAlarms(state)[0]?.at;
}
