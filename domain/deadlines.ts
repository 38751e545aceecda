// When each reminder and escalation falls due, in working days and the owner's own zone.
import type { WorkingCalendar } from './calendar.js';
import { addDays, localDate, localInstant } from './dates.js';
import type { DomainEvent } from './events.js';
import type { AgreementState, Policy, TimeZone } from './types.js';
import { DEFAULT_TIME_ZONE } from './types.js';

/** Timers fire at 08:00 local time on their day. */
export const WORKDAY_START_HOUR = 8;
export const SIGNING_REMINDER_DAYS = [7, 1] as const;

export interface FollowUpPlan {
  remindOn: string;
  overdueOn: string;
  level2On: string;
}

export function planFollowUp(due: string, policy: Policy, cal: WorkingCalendar): FollowUpPlan {
  const overdueOn = cal.nextWorkingDayAfter(due);
  return {
    remindOn: cal.addWorkingDays(cal.workingDayOnOrBefore(due), -policy.reminderLeadDays),
    overdueOn,
    level2On: cal.addWorkingDays(overdueOn, policy.level2AfterDays),
  };
}

export function planReview(submittedOn: string, policy: Policy, cal: WorkingCalendar): { reviewRemindOn: string; reviewDueOn: string } {
  return {
    reviewRemindOn: cal.addWorkingDays(submittedOn, Math.max(1, Math.floor(policy.reviewDays / 2))),
    reviewDueOn: cal.addWorkingDays(submittedOn, policy.reviewDays),
  };
}

export function zoneOf(state: AgreementState, partyId: string): TimeZone {
  return state.parties.find((p) => p.partyId === partyId)?.timeZone ?? DEFAULT_TIME_ZONE;
}

export function initiatorZone(state: AgreementState): TimeZone {
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
    const tz = zoneOf(state, f.ownerPartyId);
    // A reminder is moot once the follow-up is overdue.
    if (!f.remindedAt && f.escalationLevel === 0) alarms.push({ at: at8(f.remindOn, tz), event: { type: 'FollowUpReminderDue', data: { followUpId: f.id } } });
    for (const e of f.escalations) {
      if (!e.firedAt) alarms.push({ at: at8(e.on, tz), event: { type: 'FollowUpEscalated', data: { followUpId: f.id, level: e.level } } });
    }
  }

  const draft = state.drafts.at(-1);
  if (state.stage === 'drafting' && draft?.reviewRemindOn && draft.reviewDueOn) {
    const pending = state.parties.map((p) => p.partyId).filter((id) => !draft.reviews.some((r) => r.partyId === id));
    for (const partyId of pending) {
      const tz = zoneOf(state, partyId);
      if (!draft.overdueParties?.includes(partyId)) {
        alarms.push({ at: at8(draft.reviewDueOn, tz), event: { type: 'DraftReviewOverdue', data: { version: draft.version, partyIds: [partyId] } } });
        if (!draft.remindedParties?.includes(partyId)) {
          alarms.push({ at: at8(draft.reviewRemindOn, tz), event: { type: 'DraftReviewReminderDue', data: { version: draft.version, partyIds: [partyId] } } });
        }
      }
    }
  }

  const signing = state.signing;
  if (state.stage === 'signing' && signing && !signing.signedAt && !signing.overdueAt) {
    const tz = initiatorZone(state);
    const day = localDate(signing.at, tz);
    for (const daysBefore of SIGNING_REMINDER_DAYS) {
      const at = at8(addDays(day, -daysBefore), tz);
      const stale = signing.scheduledAt !== undefined && at <= signing.scheduledAt;
      if (!stale && !signing.remindersSent?.includes(daysBefore)) alarms.push({ at, event: { type: 'SigningReminderDue', data: { daysBefore, ceremonyAt: signing.at } } });
    }
    // When the day ends unrecorded; a ceremony entered after the fact gets until the end of the day it was entered.
    const dayEnds = localInstant(addDays(day, 1), tz, 0);
    const enteredDayEnds = signing.scheduledAt ? localInstant(addDays(localDate(signing.scheduledAt, tz), 1), tz, 0) : dayEnds;
    alarms.push({ at: dayEnds > enteredDayEnds ? dayEnds : enteredDayEnds, event: { type: 'SigningOverdue', data: { ceremonyAt: signing.at } } });
  }
  return alarms.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** The alarms due at `now`, merged so that a batch sends what is due once: no stale reminder beside its escalation. */
export function dueAlarms(state: AgreementState, now: string): DomainEvent[] {
  const due = pendingAlarms(state).filter((a) => a.at <= now).map((a) => a.event);
  const escalated = new Set(due.flatMap((e) => (e.type === 'FollowUpEscalated' ? [e.data.followUpId] : [])));
  const overdueReview = new Set(due.flatMap((e) => (e.type === 'DraftReviewOverdue' ? e.data.partyIds : [])));
  const signingOverdue = due.some((e) => e.type === 'SigningOverdue');
  const kept = due.filter((e) => {
    if (e.type === 'FollowUpReminderDue') return !escalated.has(e.data.followUpId);
    if (e.type === 'DraftReviewReminderDue') return !e.data.partyIds.some((p) => overdueReview.has(p));
    if (e.type === 'SigningReminderDue') return !signingOverdue;
    return true;
  });
  // Of several signing reminders due at once only the nearest to the ceremony matters.
  const reminders = kept.filter((e) => e.type === 'SigningReminderDue');
  const nearest = Math.min(...reminders.map((e) => (e.type === 'SigningReminderDue' ? e.data.daysBefore : Infinity)));
  const result = kept.filter((e) => e.type !== 'SigningReminderDue' || e.data.daysBefore === nearest);
  const skippedReminders = reminders.filter((e) => e.type === 'SigningReminderDue' && e.data.daysBefore !== nearest);
  // Skipped reminders are recorded as sent so they stop being pending, but carry no e-mail.
  return [...result, ...skippedReminders.map((e) => (e.type === 'SigningReminderDue' ? { ...e, data: { ...e.data, skipped: true } } : e))];
}

export function nextAlarmAt(state: AgreementState): string | undefined {
  return pendingAlarms(state)[0]?.at;
}
