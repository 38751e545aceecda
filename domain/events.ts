// Facts recorded in an agreement's stream. Once stored an event's shape never changes:
// add a new type (or an optional field) instead of editing one.
import type {
  AgreementRole,
  DocumentRef,
  DraftChanges,
  AgreementTerms,
  Attendee,
  EndReason,
  FollowUpKind,
  Guest,
  MeetingKind,
  MinutesOutcome,
  ReviewDecision,
  RenewalDecision,
  Signatory,
  SigningAct,
  SigningMethod,
  Stage,
  StepSignature,
  TimeZone,
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

/** A fact: its name and its data, as Emmett's `Event<Type, Data>`. */
type Fact<T extends string, D extends object> = { type: T; data: D };

export type AgreementStarted = Fact<'AgreementStarted', AgreementTerms & { agreementId: string }>;
export type MeetingScheduled = Fact<
  'MeetingScheduled',
  {
    meetingId: string;
    kind: MeetingKind;
    at: string;
    venue: string;
    agenda?: string;
    invitees: string[];
  }
>;
export type MeetingRescheduled = Fact<
  'MeetingRescheduled',
  {
    meetingId: string;
    at: string;
    venue: string;
    previousAt: string;
    sequence: number;
  }
>;
export type MeetingCancelled = Fact<'MeetingCancelled', { meetingId: string; reason: string; sequence: number }>;
export type SigningCancelled = Fact<'SigningCancelled', { reason: string; sequence: number }>;
export type MinutesRecorded = Fact<
  'MinutesRecorded',
  {
    meetingId: string;
    attendees: Attendee[];
    summary: string;
    agreedScope: string[];
    outcome?: MinutesOutcome;
    documents?: DocumentRef[];
  }
>;
export type FollowUpOpened = Fact<'FollowUpOpened', FollowUpOpenedData>;
export type FollowUpCompleted = Fact<'FollowUpCompleted', { followUpId: string; note?: string }>;
export type FollowUpCancelled = Fact<'FollowUpCancelled', { followUpId: string; reason?: string }>;
export type FollowUpCommented = Fact<'FollowUpCommented', { followUpId: string; comment: string }>;
export type FollowUpRescheduled = Fact<
  'FollowUpRescheduled',
  {
    followUpId: string;
    due: string;
    previousDue: string;
    remindOn: string;
    overdueOn: string;
    level2On: string;
  }
>;
export type FollowUpReminderDue = Fact<'FollowUpReminderDue', { followUpId: string }>;
export type FollowUpEscalated = Fact<'FollowUpEscalated', { followUpId: string; level: number }>;
export type DraftSubmitted = Fact<
  'DraftSubmitted',
  {
    version: number;
    documentUrl: string;
    sha256?: string;
    note?: string;
    reviewRemindOn?: string;
    reviewDueOn?: string;
    documentId?: string;
    changes?: DraftChanges;
  }
>;
export type DraftReviewReminderDue = Fact<'DraftReviewReminderDue', { version: number; partyIds: string[] }>;
export type DraftReviewOverdue = Fact<'DraftReviewOverdue', { version: number; partyIds: string[] }>;
export type SigningReminderDue = Fact<
  'SigningReminderDue',
  { daysBefore: number; ceremonyAt: string; skipped?: boolean }
>;
export type SigningOverdue = Fact<'SigningOverdue', { ceremonyAt: string }>;
export type DraftReviewed = Fact<
  'DraftReviewed',
  {
    version: number;
    partyId: string;
    decision: ReviewDecision;
    comments?: string;
  }
>;
export type SigningScheduled = Fact<
  'SigningScheduled',
  {
    at: string;
    venue: string;
    signatories: Signatory[];
    guests: Guest[];
    /** Each party's number on the document: given by the person, kept from before, or taken from its template. */
    documentNumbers?: Record<string, string>;
    /** The running number of each number taken from a party's template (its register counts on from it). */
    runningNumbers?: Record<string, number>;
    /**
     * As decided only, never stored: the parties whose next number the append takes from their template, in the
     * same transaction as the event (so two agreements numbered at once get consecutive numbers).
     */
    numbersToTake?: string[];
  }
>;
export type SigningRescheduled = Fact<
  'SigningRescheduled',
  SigningScheduled['data'] & {
    previousAt: string;
    sequence: number;
  }
>;
/** An electronic round began: its steps in order, the final PDF, the due date and the numbers. */
export type ElectronicSigningStarted = Fact<
  'ElectronicSigningStarted',
  {
    dueBy: string;
    approvedVersion: number;
    document: DocumentRef;
    steps: { partyId: string; email: string; name: string; act: SigningAct }[];
    textDiffers?: { added: number; removed: number };
    documentNumbers?: Record<string, string>;
    runningNumbers?: Record<string, number>;
    /** As decided only, never stored (as SigningScheduled's). */
    numbersToTake?: string[];
  }
>;
/** The current step's signed copy verified and kept: the next step's person downloads it. */
export type SignedCopyAccepted = Fact<
  'SignedCopyAccepted',
  { step: number; document: DocumentRef; signature: StepSignature }
>;
export type SigningRecorded = Fact<
  'SigningRecorded',
  {
    signedAt: string;
    documentNumbers: Record<string, string>;
    termStart: string;
    termEnd: string;
    documents?: DocumentRef[];
    /** Absent: at a ceremony. */
    method?: SigningMethod;
  }
>;
export type StageChanged = Fact<'StageChanged', { from: Stage; to: Stage }>;
/** Someone reminded the other parties that this agreement still waits for them. */
export type SigningReminderSent = Fact<'SigningReminderSent', { partyIds: string[]; stage: Stage; note?: string }>;
export type OperationalAgreementStarted = Fact<
  'OperationalAgreementStarted',
  {
    childId: string;
    partyId: string;
    title: string;
    scope: string[];
    dueBy?: string;
    parties?: { partyId: string; role: AgreementRole }[];
  }
>;
export type ReportRecorded = Fact<
  'ReportRecorded',
  {
    reportId: string;
    period: string;
    summary: string;
    documentUrl?: string;
    documentId?: string;
  }
>;
export type ReportReminderDue = Fact<'ReportReminderDue', { index: number; dueOn: string; skipped?: boolean }>;
export type ReportOverdue = Fact<'ReportOverdue', { index: number; dueOn: string }>;
export type RenewalReminderDue = Fact<'RenewalReminderDue', { daysBefore: number; termEnd: string; skipped?: boolean }>;
export type RenewalDecided = Fact<
  'RenewalDecided',
  {
    decision: RenewalDecision;
    successorId?: string;
    termMonths?: number;
  }
>;
export type PublicationChanged = Fact<'PublicationChanged', { public: boolean }>;
export type AgreementEnded = Fact<'AgreementEnded', { reason: EndReason; note?: string }>;
export type NotificationSent = Fact<
  'NotificationSent',
  {
    notificationId: string;
    template: string;
    to: string[];
    messageId: string;
    sentAt: string;
    followUpId?: string;
    level?: number;
  }
>;

export type DomainEvent =
  | PublicationChanged
  | AgreementStarted
  | MeetingScheduled
  | MeetingRescheduled
  | MeetingCancelled
  | MinutesRecorded
  | FollowUpOpened
  | FollowUpCompleted
  | FollowUpCancelled
  | FollowUpCommented
  | FollowUpRescheduled
  | FollowUpReminderDue
  | FollowUpEscalated
  | DraftSubmitted
  | DraftReviewReminderDue
  | DraftReviewOverdue
  | SigningReminderDue
  | SigningOverdue
  | DraftReviewed
  | SigningScheduled
  | SigningRescheduled
  | ElectronicSigningStarted
  | SignedCopyAccepted
  | SigningRecorded
  | SigningCancelled
  | SigningReminderSent
  | StageChanged
  | OperationalAgreementStarted
  | ReportRecorded
  | ReportReminderDue
  | ReportOverdue
  | RenewalReminderDue
  | RenewalDecided
  | AgreementEnded
  | NotificationSent;

export type EventType = DomainEvent['type'];

/** Who did it and when; kept beside the event's data. */
export interface EventMeta {
  actor: { kind: string; id: string; role?: string; partyId?: string; name?: string; email?: string };
  occurredAt: string;
  workflowId?: string;
  updateId?: string;
}

/** An event as stored: a deterministic id minted by the workflow, plus its metadata. */
export type RecordedEvent = DomainEvent & { id: string; meta: EventMeta };
