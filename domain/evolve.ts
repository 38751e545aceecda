// evolve(state, event) -> state: how each recorded fact changes the agreement.
import type { RecordedEvent } from './events.js';
import type { AgreementState, Draft, FollowUp, Stage } from './types.js';
import { DEFAULT_POLICY, DEFAULT_TERM_MONTHS } from './types.js';

export function initialState(id: string): AgreementState {
  return {
    id,
    title: '',
    instrument: 'nota_kesepahaman',
    stage: 'exploration',
    parties: [],
    scope: [],
    termMonths: DEFAULT_TERM_MONTHS,
    policy: DEFAULT_POLICY,
    meetings: [],
    drafts: [],
    followUps: [],
    operationalAgreements: [],
    reports: [],
    monev: { remindedFor: [], overdueFor: [] },
    renewalRemindersSent: [],
    stageHistory: [],
    version: 0,
    createdAt: '',
    updatedAt: '',
  };
}

function updateFollowUp(state: AgreementState, id: string, change: (f: FollowUp) => FollowUp): AgreementState {
  return { ...state, followUps: state.followUps.map((f) => (f.id === id ? change(f) : f)) };
}

function updateDraft(state: AgreementState, version: number, change: (d: Draft) => Draft): AgreementState {
  return { ...state, drafts: state.drafts.map((d) => (d.version === version ? change(d) : d)) };
}

function reach(state: AgreementState, stage: Stage, at: string): AgreementState {
  return { ...state, stage, stageHistory: [...state.stageHistory, { stage, at }] };
}

type FollowUpOpenedEvent = Extract<RecordedEvent, { type: 'FollowUpOpened' }>;

function openedFollowUp(event: FollowUpOpenedEvent): FollowUp {
  const { followUpId, meetingId: _meetingId, level2On, ...rest } = event.data;
  return {
    id: followUpId,
    ...rest,
    status: 'open',
    escalations: [
      { level: 1, on: rest.overdueOn },
      { level: 2, on: level2On },
    ],
    escalationLevel: 0,
    openedAt: event.meta.occurredAt,
  };
}

function apply(state: AgreementState, event: RecordedEvent): AgreementState {
  const at = event.meta.occurredAt;
  switch (event.type) {
    case 'AgreementStarted': {
      const d = event.data;
      return reach(
        {
          ...state,
          title: d.title,
          instrument: d.instrument,
          parties: d.parties,
          scope: d.scope,
          termMonths: d.termMonths,
          policy: d.policy,
          ...(d.parentId ? { parentId: d.parentId } : {}),
          ...(d.renewalOf ? { renewalOf: d.renewalOf } : {}),
          ...(d.dueBy ? { dueBy: d.dueBy } : {}),
          createdAt: at,
        },
        'exploration',
        at,
      );
    }
    case 'MeetingScheduled': {
      const { meetingId, ...rest } = event.data;
      return { ...state, meetings: [...state.meetings, { id: meetingId, ...rest }] };
    }
    case 'MeetingRescheduled': {
      const { meetingId, at: moved, venue, sequence } = event.data;
      return {
        ...state,
        meetings: state.meetings.map((m) => (m.id === meetingId ? { ...m, at: moved, venue, sequence } : m)),
      };
    }
    case 'MeetingCancelled': {
      const { meetingId, reason, sequence } = event.data;
      return {
        ...state,
        meetings: state.meetings.map((m) => (m.id === meetingId ? { ...m, sequence, cancelled: { reason, at } } : m)),
      };
    }
    case 'SigningCancelled':
      return state.signing
        ? {
            ...state,
            signing: {
              ...state.signing,
              rescheduled: event.data.sequence,
              cancelled: { reason: event.data.reason, at },
            },
          }
        : state;
    case 'MinutesRecorded': {
      const { meetingId, ...minutes } = event.data;
      const scope = [...state.scope, ...minutes.agreedScope.filter((s) => !state.scope.includes(s))];
      return {
        ...state,
        scope,
        meetings: state.meetings.map((m) =>
          m.id === meetingId ? { ...m, minutes: { ...minutes, recordedAt: at } } : m,
        ),
      };
    }
    case 'FollowUpOpened':
      // Only the list grows: evolveAll relies on it, adding to a list of its own in place.
      return { ...state, followUps: [...state.followUps, openedFollowUp(event)] };
    case 'FollowUpCompleted':
      return updateFollowUp(state, event.data.followUpId, (f) => ({
        ...f,
        status: 'done',
        closedAt: at,
        ...(event.data.note ? { note: event.data.note } : {}),
      }));
    case 'FollowUpCancelled':
      return updateFollowUp(state, event.data.followUpId, (f) => ({
        ...f,
        status: 'cancelled',
        closedAt: at,
        ...(event.data.reason ? { note: event.data.reason } : {}),
      }));
    case 'FollowUpCommented':
      return updateFollowUp(state, event.data.followUpId, (f) => ({
        ...f,
        comments: [...(f.comments ?? []), { text: event.data.comment, at }],
      }));
    case 'FollowUpRescheduled': {
      const { due, remindOn, overdueOn, level2On } = event.data;
      // A new due date starts the reminders and escalations afresh; the old ones stay in the history.
      return updateFollowUp(state, event.data.followUpId, ({ remindedAt: _r, ...f }) => ({
        ...f,
        due,
        remindOn,
        overdueOn,
        escalations: [
          { level: 1, on: overdueOn },
          { level: 2, on: level2On },
        ],
        escalationLevel: 0,
      }));
    }
    case 'FollowUpReminderDue':
      return updateFollowUp(state, event.data.followUpId, (f) => ({ ...f, remindedAt: at }));
    case 'FollowUpEscalated':
      return updateFollowUp(state, event.data.followUpId, (f) => ({
        ...f,
        escalationLevel: Math.max(f.escalationLevel, event.data.level),
        escalations: f.escalations.map((e) => (e.level === event.data.level ? { ...e, firedAt: at } : e)),
      }));
    case 'DraftReviewReminderDue':
      return updateDraft(state, event.data.version, (d) => ({
        ...d,
        remindedParties: [...(d.remindedParties ?? []), ...event.data.partyIds],
      }));
    case 'DraftReviewOverdue':
      return updateDraft(state, event.data.version, (d) => ({
        ...d,
        overdueParties: [...(d.overdueParties ?? []), ...event.data.partyIds],
      }));
    case 'SigningReminderDue':
      return {
        ...state,
        signing: { ...state.signing!, remindersSent: [...(state.signing!.remindersSent ?? []), event.data.daysBefore] },
      };
    case 'SigningOverdue':
      return { ...state, signing: { ...state.signing!, overdueAt: at } };
    case 'DraftSubmitted': {
      const { version, ...rest } = event.data;
      return { ...state, drafts: [...state.drafts, { version, ...rest, submittedAt: at, reviews: [] }] };
    }
    case 'DraftReviewed': {
      const { version, ...review } = event.data;
      return updateDraft(state, version, (d) => ({ ...d, reviews: [...d.reviews, { ...review, at }] }));
    }
    case 'SigningScheduled': {
      const { runningNumbers: _running, numbersToTake: _toTake, ...data } = event.data;
      return { ...state, signing: { ...data, rescheduled: 0, scheduledAt: at } };
    }
    case 'SigningRescheduled': {
      // A new date cancels the old reminders: they are planned afresh from this one.
      const {
        previousAt: _previousAt,
        sequence,
        runningNumbers: _running,
        numbersToTake: _toTake,
        ...data
      } = event.data;
      return { ...state, signing: { ...data, rescheduled: sequence, scheduledAt: at } };
    }
    case 'ElectronicSigningStarted': {
      const { runningNumbers: _running, numbersToTake: _toTake, steps, ...data } = event.data;
      return {
        ...state,
        signing: {
          method: 'electronic',
          ...data,
          current: data.document,
          currentDocumentId: data.document.documentId,
          steps: steps.map((step, index) => ({ index, status: index === 0 ? 'current' : 'waiting', ...step })),
          rescheduled: 0,
          scheduledAt: at,
        },
      };
    }
    case 'SignedCopyAccepted': {
      const round = state.signing;
      if (round?.method !== 'electronic') return state;
      const { step, document, signature } = event.data;
      const steps = round.steps.map((s, i) =>
        i === step
          ? { ...s, status: 'done' as const, doneAt: at, signature, document }
          : i === step + 1
            ? { ...s, status: 'current' as const }
            : s,
      );
      return { ...state, signing: { ...round, steps, current: document, currentDocumentId: document.documentId } };
    }
    case 'SigningRecorded': {
      const { signedAt, documentNumbers, termStart, termEnd, documents } = event.data;
      return {
        ...state,
        signing: { ...state.signing!, signedAt, recordedAt: at, documentNumbers, ...(documents ? { documents } : {}) },
        term: { start: termStart, end: termEnd },
        termRecordedAt: at,
      };
    }
    case 'SigningReminderSent':
      return { ...state, remindedToSignAt: at };
    case 'StageChanged':
      return reach(state, event.data.to, at);
    case 'OperationalAgreementStarted': {
      const { childId, partyId, title, dueBy } = event.data;
      return {
        ...state,
        operationalAgreements: [
          ...state.operationalAgreements,
          { id: childId, partyId, title, ...(dueBy ? { dueBy } : {}) },
        ],
      };
    }
    case 'ReportRecorded': {
      const { reportId, ...report } = event.data;
      return { ...state, reports: [...state.reports, { id: reportId, ...report, at }] };
    }
    case 'ReportReminderDue':
      return { ...state, monev: { ...state.monev, remindedFor: [...state.monev.remindedFor, event.data.index] } };
    case 'ReportOverdue':
      return { ...state, monev: { ...state.monev, overdueFor: [...state.monev.overdueFor, event.data.index] } };
    case 'RenewalReminderDue':
      return { ...state, renewalRemindersSent: [...state.renewalRemindersSent, event.data.daysBefore] };
    case 'RenewalDecided': {
      const { decision, successorId } = event.data;
      return { ...state, renewal: { decision, ...(successorId ? { successorId } : {}), decidedAt: at } };
    }
    case 'PublicationChanged':
      return { ...state, published: event.data.public };
    case 'AgreementEnded': {
      const ended = reach(state, 'ended', at);
      const closedFollowUps = ended.followUps.map((f) =>
        f.status === 'open' ? { ...f, status: 'cancelled' as const, closedAt: at } : f,
      );
      return {
        ...ended,
        endReason: event.data.reason,
        ...(event.data.note ? { endNote: event.data.note } : {}),
        followUps: closedFollowUps,
      };
    }
    case 'NotificationSent': {
      const { followUpId, level, sentAt } = event.data;
      if (!followUpId || level === undefined) return state;
      return updateFollowUp(state, followUpId, (f) => ({
        ...f,
        escalations: f.escalations.map((e) => (e.level === level ? { ...e, sentAt } : e)),
      }));
    }
  }
}

/** Applies one stored event; the version counts every event, so it equals the stream's version. */
export function evolve(state: AgreementState, event: RecordedEvent): AgreementState {
  const next = apply(state, event);
  // Every change `apply` makes is a new object that nothing else holds yet: it is stamped in place rather than
  // copied a second time (a rebuild folds a million events).
  const stamped = next === state ? { ...state } : next;
  stamped.version = state.version + 1;
  stamped.updatedAt = event.meta.occurredAt;
  return stamped;
}

/**
 * The state after a run of events, as `events.reduce(evolve, state)` gives it, but follow-ups opened one after
 * another go into one copy of the list rather than each into a new one: a stream of hundreds of follow-ups folds in
 * linear time (a rebuild folds a million events). The states in between are never seen, so that copy is this
 * call's own to add to.
 */
export function evolveAll(state: AgreementState, events: readonly RecordedEvent[]): AgreementState {
  let own: FollowUp[] | undefined;
  for (const event of events) {
    if (event.type === 'FollowUpOpened' && own !== undefined && state.followUps === own) {
      own.push(openedFollowUp(event));
      state = { ...state, version: state.version + 1, updatedAt: event.meta.occurredAt };
      continue;
    }
    state = evolve(state, event);
    if (event.type === 'FollowUpOpened') own = state.followUps;
  }
  return state;
}

export function fold(id: string, events: RecordedEvent[]): AgreementState {
  return evolveAll(initialState(id), events);
}
