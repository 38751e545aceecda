// Shapes of the domain. Dates are `YYYY-MM-DD` in a party's own zone; instants are ISO-8601 strings.

export const STAGES = ['exploration', 'drafting', 'signing', 'active', 'ended'] as const;
export type Stage = (typeof STAGES)[number];

export const INSTRUMENTS = [
  'nota_kesepahaman',
  'nota_kesepakatan',
  'kesepakatan_bersama',
  'perjanjian_kerja_sama',
] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

export const PARTY_KINDS = ['upt', 'kanwil', 'pemda', 'opd', 'kelurahan', 'other'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export const TIME_ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const;
export type TimeZone = (typeof TIME_ZONES)[number];
export const DEFAULT_TIME_ZONE: TimeZone = 'Asia/Jakarta';

export const CONTACT_ROLES = ['liaison', 'signatory', 'supervisor'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export const AGREEMENT_ROLES = ['initiator', 'counterpart', 'witness'] as const;
export type AgreementRole = (typeof AGREEMENT_ROLES)[number];

export const MEETING_KINDS = ['audiensi', 'coordination', 'work_plan'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export const MINUTES_OUTCOMES = ['proceed_to_drafting', 'another_meeting', 'withdrawn'] as const;
export type MinutesOutcome = (typeof MINUTES_OUTCOMES)[number];

export const REVIEW_DECISIONS = ['approve', 'request_changes'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const END_REASONS = ['expired', 'renewed', 'terminated', 'withdrawn', 'cancelled'] as const;
export type EndReason = (typeof END_REASONS)[number];

export interface Contact {
  name: string;
  position: string;
  email: string;
  role: ContactRole;
  /** The NIK a signatory's TTE certificate carries (its subject's serialNumber); never shown, only compared. */
  nik?: string;
}

export interface Party {
  id: string;
  name: string;
  kind: PartyKind;
  parentId?: string;
  timeZone: TimeZone;
  contacts: Contact[];
  /** How it numbers its documents (domain/numbering.ts), e.g. `000.8.3.3/{nomor}/Bag.Kerjasama/{tahun}`. */
  numberTemplate?: string;
}

export interface AgreementParty {
  partyId: string;
  role: AgreementRole;
  timeZone: TimeZone;
}

export interface Policy {
  reminderLeadDays: number;
  level2AfterDays: number;
  reviewDays: number;
  reportEveryMonths: number;
}

export const DEFAULT_POLICY: Policy = { reminderLeadDays: 2, level2AfterDays: 5, reviewDays: 10, reportEveryMonths: 6 };
export const DEFAULT_TERM_MONTHS = 60;

export interface Attendee {
  name: string;
  position: string;
  partyId: string;
}

/** A document kept in Sinergi, as an event refers to it. */
export interface DocumentRef {
  documentId: string;
  filename: string;
  sha256: string;
}

/** How much a draft changed from the version before it, in words. */
export interface DraftChanges {
  added: number;
  removed: number;
}

export interface Minutes {
  attendees: Attendee[];
  /** Attachments kept in Sinergi. */
  documents?: DocumentRef[];
  summary: string;
  agreedScope: string[];
  outcome?: MinutesOutcome;
  recordedAt: string;
}

/** A meeting or ceremony called off, and when: the calendar feed keeps it, cancelled, for 30 days. */
export interface Cancellation {
  reason: string;
  at: string;
}

export interface Meeting {
  id: string;
  kind: MeetingKind;
  at: string;
  venue: string;
  agenda?: string;
  invitees: string[];
  minutes?: Minutes;
  /** How often it was moved or called off: the SEQUENCE of its calendar entry. */
  sequence?: number;
  cancelled?: Cancellation;
}

export interface Review {
  partyId: string;
  decision: ReviewDecision;
  comments?: string;
  at: string;
}

export interface Draft {
  version: number;
  documentUrl: string;
  sha256?: string;
  /** The draft kept in Sinergi, when it was uploaded. */
  documentId?: string;
  changes?: DraftChanges;
  note?: string;
  submittedAt: string;
  reviews: Review[];
  /** Half of the review period, in working days: a reminder to parties that have not reviewed. */
  reviewRemindOn?: string;
  /** The end of the review period: escalation to the supervisors of parties that have not reviewed. */
  reviewDueOn?: string;
  remindedParties?: string[];
  overdueParties?: string[];
}

export interface Signatory {
  partyId: string;
  name: string;
  position: string;
}

export interface Guest {
  name: string;
  position: string;
}

/** How an agreement is signed: at a ceremony, or by certified electronic signatures (TTE) in order. */
export const SIGNING_METHODS = ['ceremony', 'electronic'] as const;
export type SigningMethod = (typeof SIGNING_METHODS)[number];
/** Initials (paraf) come before the signatures, as on paper. */
export const SIGNING_ACTS = ['paraf', 'sign'] as const;
export type SigningAct = (typeof SIGNING_ACTS)[number];

/** What Sinergi verified of one signature in a signed copy. */
export interface StepSignature {
  subject: string;
  issuer: string;
  serial: string;
  signedAt: string;
  timestamped: boolean;
}

/** One person's turn in an electronic round, as API.md shows it. */
export interface SigningStep {
  index: number;
  status: 'waiting' | 'current' | 'done';
  partyId: string;
  email: string;
  name: string;
  act: SigningAct;
  doneAt?: string;
  signature?: StepSignature;
  /** The copy they uploaded, with their signature. */
  document?: DocumentRef;
}

/** What both ways of signing keep. */
interface SigningRecord {
  rescheduled: number;
  /** When this date was set: reminders already past then are never sent. */
  scheduledAt?: string;
  /** Days before the ceremony (or the due date) whose reminder went out (7, 1). */
  remindersSent?: number[];
  overdueAt?: string;
  signedAt?: string;
  /** When Sinergi recorded the signing (API.md's signing.recordedAt); signedAt is when it was signed. */
  recordedAt?: string;
  documentNumbers?: Record<string, string>;
  /** The signed copies kept in Sinergi. */
  documents?: DocumentRef[];
  /** Called off because the agreement ended before it was signed. */
  cancelled?: Cancellation;
}

export interface CeremonySigning extends SigningRecord {
  method?: 'ceremony';
  at: string;
  venue: string;
  signatories: Signatory[];
  guests: Guest[];
}

export interface ElectronicSigning extends SigningRecord {
  method: 'electronic';
  /** When the round began: the document numbers count in its year. */
  scheduledAt: string;
  dueBy: string;
  /** The approved draft version the final PDF was compared with. */
  approvedVersion: number;
  /** The final PDF as the round began with it. */
  document: DocumentRef;
  /** The copy with every signature so far: what the current step downloads and signs. */
  current: DocumentRef;
  currentDocumentId: string;
  /** Where the final text differs from the approved one (the initiator confirmed it), in words. */
  textDiffers?: { added: number; removed: number };
  steps: SigningStep[];
}

export type Signing = CeremonySigning | ElectronicSigning;

export const FOLLOW_UP_KINDS = ['follow_up', 'work_plan'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];
export type FollowUpStatus = 'open' | 'done' | 'cancelled';

export interface Escalation {
  level: number;
  /** The working day it is due, in the owner's zone. */
  on: string;
  firedAt?: string;
  sentAt?: string;
}

export interface FollowUp {
  id: string;
  title: string;
  kind: FollowUpKind;
  ownerPartyId: string;
  ownerEmail?: string;
  /** Set when the owner is an OPD under a party rather than a party itself. */
  ownerTimeZone?: TimeZone;
  due: string;
  status: FollowUpStatus;
  /** The working day of the reminder to the owner. */
  remindOn: string;
  remindedAt?: string;
  /** The first working day after the due date: level-1 escalation. */
  overdueOn: string;
  escalations: Escalation[];
  escalationLevel: number;
  note?: string;
  /** What people said about it along the way, oldest first. */
  comments?: { text: string; at: string }[];
  /** Set on the follow-up the engine opens itself: 'signing' closes when the signing is recorded. */
  purpose?: 'signing';
  openedAt: string;
  closedAt?: string;
}

export interface Report {
  id: string;
  period: string;
  summary: string;
  documentUrl?: string;
  documentId?: string;
  at: string;
}

export interface OperationalAgreementRef {
  id: string;
  partyId: string;
  title: string;
  dueBy?: string;
}

export const RENEWAL_DECISIONS = ['renew', 'end'] as const;
export type RenewalDecision = (typeof RENEWAL_DECISIONS)[number];
export const RENEWAL_REMINDER_DAYS = [90, 30] as const;
export const MONEV_REMINDER_DAYS = 14;

export interface StageReached {
  stage: Stage;
  at: string;
}

export interface AgreementState {
  id: string;
  title: string;
  instrument: Instrument;
  stage: Stage;
  endReason?: EndReason;
  endNote?: string;
  parties: AgreementParty[];
  scope: string[];
  termMonths: number;
  policy: Policy;
  parentId?: string;
  renewalOf?: string;
  /** When the other parties were last reminded to sign. */
  remindedToSignAt?: string;
  meetings: Meeting[];
  drafts: Draft[];
  signing?: Signing;
  followUps: FollowUp[];
  term?: { start: string; end: string };
  /** When the signing was recorded: reminders already past then are never sent. */
  termRecordedAt?: string;
  /** An operational agreement (PKS) must be signed by this date. */
  dueBy?: string;
  operationalAgreements: OperationalAgreementRef[];
  reports: Report[];
  monev: { remindedFor: number[]; overdueFor: number[] };
  renewal?: { decision: RenewalDecision; successorId?: string; decidedAt: string };
  renewalRemindersSent: number[];
  /** On the public list (/publik), by the initiator's choice. */
  published?: boolean;
  stageHistory: StageReached[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What an agreement is started with: the command asks for it and AgreementStarted stores it, so only add optional
 * fields. */
export type AgreementTerms = Pick<
  AgreementState,
  'title' | 'instrument' | 'parties' | 'scope' | 'termMonths' | 'policy' | 'parentId' | 'renewalOf' | 'dueBy'
>;

/** When a signing is dated: the ceremony's time, or the start of an electronic round. */
export const signingInstant = (s: Signing): string => (s.method === 'electronic' ? s.scheduledAt : s.at);

/** The ceremony of a signing, if it is signed at one (an electronic round has no date, place or guests). */
export const ceremonyOf = (s: Signing | undefined): CeremonySigning | undefined =>
  s !== undefined && s.method !== 'electronic' ? s : undefined;
