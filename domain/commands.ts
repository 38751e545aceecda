// Commands a person (or the engine) asks of an agreement. Field names follow API.md.
import type {
  AgreementParty, Attendee, EndReason, FollowUpKind, Guest, Instrument, MeetingKind, MinutesOutcome, Policy, RenewalDecision, ReviewDecision,
  Signatory, TimeZone,
} from './types.js';

export interface FollowUpInput {
  title: string;
  ownerPartyId: string;
  ownerEmail?: string;
  due: string;
  kind?: FollowUpKind;
  /** An owner that is not itself a party but an OPD under one (seed 001: work-plan items of 21 OPDs). */
  ownerParentId?: string;
  ownerTimeZone?: TimeZone;
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
      /** Operational agreements: the date by which it must be signed. */
      dueBy?: string;
      /** A renewal starts in drafting: the parties and scope are known. */
      startInDrafting?: boolean;
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
  | { type: 'commentOnFollowUp'; followUpId: string; comment: string }
  | { type: 'rescheduleFollowUp'; followUpId: string; due: string }
  | { type: 'startOperationalAgreement'; childId: string; party: { partyId: string; timeZone: TimeZone }; title: string; scope: string[]; dueBy?: string }
  | { type: 'recordReport'; period: string; summary: string; documentUrl?: string }
  | { type: 'decideRenewal'; decision: RenewalDecision; termMonths?: number }
  /** The engine's own command: record every reminder and escalation that has fallen due. */
  | { type: 'fireDeadlines' }
  /** The engine's own command: the umbrella agreement has ended, so this operational agreement ends too. */
  | { type: 'endWithUmbrella'; umbrellaId: string; umbrellaReason: EndReason }
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
