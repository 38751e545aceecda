// Commands a person (or the engine) asks of an agreement. Field names follow API.md.
import type {
  AgreementParty, Attendee, FollowUpKind, Guest, Instrument, MeetingKind, MinutesOutcome, Policy, ReviewDecision, Signatory,
} from './types.js';

export interface FollowUpInput {
  title: string;
  ownerPartyId: string;
  ownerEmail?: string;
  due: string;
  kind?: FollowUpKind;
}

export type Command =
  | {
      type: 'startAgreement';
      title: string;
      instrument: Instrument;
      parties: AgreementParty[];
      scope: string[];
      termMonths: number;
      policy: Policy;
      parentId?: string;
      renewalOf?: string;
    }
  | { type: 'scheduleMeeting'; kind: MeetingKind; at: string; venue: string; agenda?: string; invitees?: string[] }
  | {
      type: 'recordMinutes';
      meetingId: string;
      attendees: Attendee[];
      summary: string;
      agreedScope?: string[];
      followUps?: FollowUpInput[];
      outcome?: MinutesOutcome;
    }
  | { type: 'submitDraft'; documentUrl: string; sha256?: string; note?: string }
  | { type: 'reviewDraft'; version: number; partyId: string; decision: ReviewDecision; comments?: string }
  | { type: 'scheduleSigning'; at: string; venue: string; signatories: Signatory[]; guests?: Guest[] }
  | { type: 'recordSigning'; signedAt: string; documentNumbers: Record<string, string> }
  | ({ type: 'openFollowUp' } & FollowUpInput)
  | { type: 'completeFollowUp'; followUpId: string; note?: string }
  | { type: 'cancelFollowUp'; followUpId: string; reason?: string }
  | { type: 'rescheduleFollowUp'; followUpId: string; due: string }
  /** The engine's own command: record every reminder and escalation that has fallen due. */
  | { type: 'fireDeadlines' }
  | { type: 'cancelAgreement'; reason: string };

export type CommandType = Command['type'];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

/** Who asked: a token (id and role) or, later, a contact acting through an e-mailed link. */
export interface Actor {
  kind: 'token' | 'contact' | 'system';
  id: string;
  role?: string;
  partyId?: string;
}
