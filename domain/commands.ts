// Commands a person (or the engine) asks of an agreement. Field names follow API.md.
import type {
  AgreementParty,
  DocumentRef,
  DraftChanges,
  AgreementTerms,
  Attendee,
  EndReason,
  FollowUpKind,
  Guest,
  MeetingKind,
  MinutesOutcome,
  RenewalDecision,
  ReviewDecision,
  Signatory,
  SigningAct,
  StepSignature,
  TimeZone,
} from './types.js';

export interface FollowUpInput {
  title: string;
  ownerPartyId: string;
  ownerEmail?: string;
  due: string;
  kind?: FollowUpKind;
  /** The due date has passed already and the sender knows it (a follow-up written down late): level 1 goes now. */
  late?: boolean;
  /** An owner that is not itself a party but an OPD under one (seed 001: work-plan items of 21 OPDs). */
  ownerParentId?: string;
  ownerTimeZone?: TimeZone;
}

/** A command: its name and its payload, as Emmett names them. */
type Named<T extends string, P extends object = object> = { type: T } & P;

/** From the directory: the umbrella's parties and every party under them, the only ones a PKS may bind. */
export interface UnderUmbrella {
  underUmbrella?: string[];
}

export type StartAgreement = Named<
  'startAgreement',
  AgreementTerms &
    UnderUmbrella & {
      /** A renewal starts in drafting: the parties and scope are known. */
      startInDrafting?: boolean;
    }
>;
export type ScheduleMeeting = Named<
  'scheduleMeeting',
  {
    kind: MeetingKind;
    at: string;
    venue: string;
    agenda?: string;
    invitees?: string[];
  }
>;
export type RecordMinutes = Named<
  'recordMinutes',
  {
    meetingId: string;
    attendees: Attendee[];
    summary: string;
    agreedScope?: string[];
    followUps?: FollowUpInput[];
    outcome?: MinutesOutcome;
    documents?: DocumentRef[];
  }
>;
export type RescheduleMeeting = Named<'rescheduleMeeting', { meetingId: string; at?: string; venue?: string }>;
export type CancelMeeting = Named<'cancelMeeting', { meetingId: string; reason: string }>;
export type SubmitDraft = Named<
  'submitDraft',
  {
    documentUrl: string;
    sha256?: string;
    note?: string;
    documentId?: string;
    changes?: DraftChanges;
  }
>;
export type ReviewDraft = Named<
  'reviewDraft',
  {
    version: number;
    partyId: string;
    decision: ReviewDecision;
    comments?: string;
  }
>;
/** A ceremony: a time, a place, the signatories and guests. */
export interface CeremonyPlan {
  method?: 'ceremony';
  at: string;
  venue: string;
  signatories: Signatory[];
  guests?: Guest[];
  /** A number written by hand (a register kept elsewhere); the others come from each party's template. */
  documentNumbers?: Record<string, string>;
}

/**
 * An electronic round: the final PDF, the order of initials and signatures, the due date. The service names each
 * step's contact from the directory and compares the final PDF's text with the approved draft before sending it.
 */
export interface ElectronicPlan {
  method: 'electronic';
  document: DocumentRef;
  steps: { partyId: string; email: string; name: string; act: SigningAct }[];
  dueBy: string;
  documentNumbers?: Record<string, string>;
  approvedVersion: number;
  /** The final text against the approved draft's, in words; absent when they are the same. */
  textDiffers?: { added: number; removed: number };
  /** The initiator has seen the differences and goes on. */
  confirmTextDiffers?: boolean;
}

export type ScheduleSigning = Named<'scheduleSigning', CeremonyPlan | ElectronicPlan>;
/** The current step's signed copy, verified by the service before it is sent: its file and what it holds. */
export type RecordSignedCopy = Named<
  'recordSignedCopy',
  { step: number; document: DocumentRef; signature: StepSignature }
>;
export type RecordSigning = Named<
  'recordSigning',
  { signedAt: string; documentNumbers: Record<string, string>; documents?: DocumentRef[] }
>;
/** A nudge to the other parties of an agreement not signed yet (the umbrella's "remind every OPD"). */
export type RemindToSign = Named<'remindToSign', { note?: string }>;
export type OpenFollowUp = Named<'openFollowUp', FollowUpInput>;
export type CompleteFollowUp = Named<'completeFollowUp', { followUpId: string; note?: string }>;
export type CancelFollowUp = Named<'cancelFollowUp', { followUpId: string; reason?: string }>;
export type CommentOnFollowUp = Named<'commentOnFollowUp', { followUpId: string; comment: string }>;
export type RescheduleFollowUp = Named<'rescheduleFollowUp', { followUpId: string; due: string }>;
export type StartOperationalAgreement = Named<
  'startOperationalAgreement',
  UnderUmbrella & {
    childId: string;
    party: { partyId: string; timeZone: TimeZone };
    /** Its own parties, when not the umbrella's initiator and `party`; `party` is then the OPD among them. */
    parties?: AgreementParty[];
    title: string;
    scope: string[];
    dueBy?: string;
  }
>;
/** Many PKS under one umbrella in one step, each as `startOperationalAgreement` starts one; those it has are left. */
export type StartOperationalAgreements = Named<
  'startOperationalAgreements',
  UnderUmbrella & {
    items: Omit<StartOperationalAgreement, 'type' | 'underUmbrella'>[];
  }
>;
export type RecordReport = Named<
  'recordReport',
  { period: string; summary: string; documentUrl?: string; documentId?: string }
>;
export type DecideRenewal = Named<'decideRenewal', { decision: RenewalDecision; termMonths?: number }>;
/** The engine's own command: record every reminder and escalation that has fallen due. */
export type FireDeadlines = Named<'fireDeadlines'>;
/** The engine's own command: the umbrella agreement has ended, so this operational agreement ends too. */
export type EndWithUmbrella = Named<'endWithUmbrella', { umbrellaId: string; umbrellaReason: EndReason }>;
export type CancelAgreement = Named<'cancelAgreement', { reason: string }>;
/** Shown on the public list (/publik) or taken off it; its signed copies go with it. */
export type SetPublication = Named<'setPublication', { public: boolean }>;

export type Command =
  | StartAgreement
  | ScheduleMeeting
  | RecordMinutes
  | RescheduleMeeting
  | CancelMeeting
  | SubmitDraft
  | ReviewDraft
  | ScheduleSigning
  | RecordSignedCopy
  | RecordSigning
  | RemindToSign
  | OpenFollowUp
  | CompleteFollowUp
  | CancelFollowUp
  | CommentOnFollowUp
  | RescheduleFollowUp
  | StartOperationalAgreement
  | StartOperationalAgreements
  | RecordReport
  | DecideRenewal
  | FireDeadlines
  | EndWithUmbrella
  | CancelAgreement
  | SetPublication;

export type CommandType = Command['type'];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

/**
 * Who asked: a token (id and role), a person signed in to the dashboard (id is their e-mail), a contact acting
 * through an e-mailed link, or the engine.
 */
export interface Actor {
  kind: 'token' | 'person' | 'contact' | 'system';
  id: string;
  role?: string;
  partyId?: string;
  /** A person's name and e-mail, as the directory listed them when they acted. */
  name?: string;
  email?: string;
}
