// Facts recorded in an agreement's stream. Once stored an event's shape never changes:
// add a new type (or an optional field) instead of editing one.
import type {
  AgreementParty, Attendee, EndReason, FollowUpKind, Guest, Instrument, MeetingKind, MinutesOutcome, Policy, ReviewDecision,
  RenewalDecision, Signatory, Stage, TimeZone,
} from './types.js';

export interface FollowUpOpenedData {
  followUpId: string;
  title: string;
  kind: FollowUpKind;
  ownerPartyId: string;
  ownerEmail?: string;
  ownerTimeZone?: TimeZone;
  due: string;
  meetingId?: string;
  purpose?: 'signing';
  remindOn: string;
  overdueOn: string;
  level2On: string;
}

export type DomainEvent =
  | {
      type: 'AgreementStarted';
      data: {
        agreementId: string;
        title: string;
        instrument: Instrument;
        parties: AgreementParty[];
        scope: string[];
        termMonths: number;
        policy: Policy;
        parentId?: string;
        renewalOf?: string;
        dueBy?: string;
      };
    }
  | {
      type: 'MeetingScheduled';
      data: { meetingId: string; kind: MeetingKind; at: string; venue: string; agenda?: string; invitees: string[] };
    }
  | {
      type: 'MinutesRecorded';
      data: { meetingId: string; attendees: Attendee[]; summary: string; agreedScope: string[]; outcome?: MinutesOutcome };
    }
  | { type: 'FollowUpOpened'; data: FollowUpOpenedData }
  | { type: 'FollowUpCompleted'; data: { followUpId: string; note?: string } }
  | { type: 'FollowUpCancelled'; data: { followUpId: string; reason?: string } }
  | { type: 'FollowUpCommented'; data: { followUpId: string; comment: string } }
  | { type: 'FollowUpRescheduled'; data: { followUpId: string; due: string; previousDue: string; remindOn: string; overdueOn: string; level2On: string } }
  | { type: 'FollowUpReminderDue'; data: { followUpId: string } }
  | { type: 'FollowUpEscalated'; data: { followUpId: string; level: number } }
  | {
      type: 'DraftSubmitted';
      data: { version: number; documentUrl: string; sha256?: string; note?: string; reviewRemindOn?: string; reviewDueOn?: string };
    }
  | { type: 'DraftReviewReminderDue'; data: { version: number; partyIds: string[] } }
  | { type: 'DraftReviewOverdue'; data: { version: number; partyIds: string[] } }
  | { type: 'SigningReminderDue'; data: { daysBefore: number; ceremonyAt: string; skipped?: boolean } }
  | { type: 'SigningOverdue'; data: { ceremonyAt: string } }
  | { type: 'DraftReviewed'; data: { version: number; partyId: string; decision: ReviewDecision; comments?: string } }
  | { type: 'SigningScheduled'; data: { at: string; venue: string; signatories: Signatory[]; guests: Guest[] } }
  | {
      type: 'SigningRescheduled';
      data: { at: string; venue: string; signatories: Signatory[]; guests: Guest[]; previousAt: string; sequence: number };
    }
  | {
      type: 'SigningRecorded';
      data: { signedAt: string; documentNumbers: Record<string, string>; termStart: string; termEnd: string };
    }
  | { type: 'StageChanged'; data: { from: Stage; to: Stage } }
  | { type: 'OperationalAgreementStarted'; data: { childId: string; partyId: string; title: string; scope: string[]; dueBy?: string } }
  | { type: 'ReportRecorded'; data: { reportId: string; period: string; summary: string; documentUrl?: string } }
  | { type: 'ReportReminderDue'; data: { index: number; dueOn: string; skipped?: boolean } }
  | { type: 'ReportOverdue'; data: { index: number; dueOn: string } }
  | { type: 'RenewalReminderDue'; data: { daysBefore: number; termEnd: string; skipped?: boolean } }
  | { type: 'RenewalDecided'; data: { decision: RenewalDecision; successorId?: string; termMonths?: number } }
  | { type: 'AgreementEnded'; data: { reason: EndReason; note?: string } }
  | {
      type: 'NotificationSent';
      data: { notificationId: string; template: string; to: string[]; messageId: string; sentAt: string; followUpId?: string; level?: number };
    };

export type EventType = DomainEvent['type'];

/** Who did it and when; kept beside the event's data. */
export interface EventMeta {
  actor: { kind: string; id: string; role?: string; partyId?: string };
  occurredAt: string;
  workflowId?: string;
  updateId?: string;
}

/** An event as stored: a deterministic id minted by the workflow, plus its metadata. */
export type RecordedEvent = DomainEvent & { id: string; meta: EventMeta };
