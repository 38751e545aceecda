// evolve(state, event) -> state: how each recorded fact changes the agreement.
import type { RecordedEvent } from './events.js';
import type { AgreementState, Stage } from './types.js';
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
    stageHistory: [],
    version: 0,
    createdAt: '',
    updatedAt: '',
  };
}

function reach(state: AgreementState, stage: Stage, at: string): AgreementState {
  return { ...state, stage, stageHistory: [...state.stageHistory, { stage, at }] };
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
    case 'MinutesRecorded': {
      const { meetingId, ...minutes } = event.data;
      const scope = [...state.scope, ...minutes.agreedScope.filter((s) => !state.scope.includes(s))];
      return {
        ...state,
        scope,
        meetings: state.meetings.map((m) => (m.id === meetingId ? { ...m, minutes: { ...minutes, recordedAt: at } } : m)),
      };
    }
    case 'FollowUpOpened': {
      const { followUpId, meetingId: _meetingId, ...rest } = event.data;
      return { ...state, followUps: [...state.followUps, { id: followUpId, ...rest, status: 'open', openedAt: at }] };
    }
    case 'FollowUpCompleted':
      return {
        ...state,
        followUps: state.followUps.map((f) =>
          f.id === event.data.followUpId ? { ...f, status: 'done', closedAt: at, ...(event.data.note ? { note: event.data.note } : {}) } : f,
        ),
      };
    case 'DraftSubmitted': {
      const { version, documentUrl, sha256, note } = event.data;
      const draft = { version, documentUrl, ...(sha256 ? { sha256 } : {}), ...(note ? { note } : {}), submittedAt: at, reviews: [] };
      return { ...state, drafts: [...state.drafts, draft] };
    }
    case 'DraftReviewed': {
      const { version, ...review } = event.data;
      return {
        ...state,
        drafts: state.drafts.map((d) => (d.version === version ? { ...d, reviews: [...d.reviews, { ...review, at }] } : d)),
      };
    }
    case 'SigningScheduled':
      return { ...state, signing: { ...event.data, rescheduled: 0 } };
    case 'SigningRescheduled': {
      const { previousAt: _previousAt, sequence, ...data } = event.data;
      return { ...state, signing: { ...data, rescheduled: sequence } };
    }
    case 'SigningRecorded': {
      const { signedAt, documentNumbers, termStart, termEnd } = event.data;
      return { ...state, signing: { ...state.signing!, signedAt, documentNumbers }, term: { start: termStart, end: termEnd } };
    }
    case 'StageChanged':
      return reach(state, event.data.to, at);
    case 'AgreementEnded': {
      const ended = reach(state, 'ended', at);
      const closedFollowUps = ended.followUps.map((f) => (f.status === 'open' ? { ...f, status: 'cancelled' as const, closedAt: at } : f));
      return { ...ended, endReason: event.data.reason, ...(event.data.note ? { endNote: event.data.note } : {}), followUps: closedFollowUps };
    }
    case 'NotificationSent':
      return state;
  }
}

/** Applies one stored event; the version counts every event, so it equals the stream's version. */
export function evolve(state: AgreementState, event: RecordedEvent): AgreementState {
  return { ...apply(state, event), version: state.version + 1, updatedAt: event.meta.occurredAt };
}

export function fold(id: string, events: RecordedEvent[]): AgreementState {
  return events.reduce(evolve, initialState(id));
}
