// The database as kysely sees it: one interface per table.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { EventMeta, EventType } from '../domain/events.js';
import type { Contact, Instrument, PartyKind, Stage, TimeZone } from '../domain/types.js';
import type { AgreementView } from '../domain/view.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface PartiesTable {
  id: string;
  name: string;
  kind: PartyKind;
  parent_id: string | null;
  time_zone: TimeZone;
  contacts: Json<Contact[]>;
  /** How the party numbers its documents: `{nomor}`, `{tahun}`, `{bulan}` in its own scheme. */
  number_template: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface StreamsTable {
  stream_id: string;
  version: number;
}

export interface EventsTable {
  global_position: Generated<string>;
  stream_id: string;
  version: number;
  event_id: string;
  type: EventType;
  /** The event's data, as its type in domain/events.ts names it. */
  data: Json<unknown>;
  metadata: Json<EventMeta>;
  transaction_id: Generated<string>;
  recorded_at: Generated<Date>;
}

/** Who takes part in which agreement, in the list's order (party, then newest first). */
export interface AgreementPartiesTable {
  party_id: string;
  created_at: Timestamp;
  agreement_id: string;
  /** The agreement's stage now, kept with each change: a party's agreements at one stage are an index range. */
  stage: string;
}

/** The agreement view, kept by the inline projection. */
export interface AgreementsTable {
  id: string;
  title: string;
  instrument: Instrument;
  stage: Stage;
  parent_id: string | null;
  renewal_of: string | null;
  party_ids: string[];
  view: Json<AgreementView>;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One recipient's copy of an e-mail: the same headers, its own link, delivered to this address alone. */
export interface MailCopy {
  to: string;
  text: string;
  html: string;
  messageId: string;
  sentAt?: string;
}

export interface NotificationsTable {
  id: string;
  agreement_id: string;
  template: string;
  to_addresses: string[];
  cc_addresses: string[];
  subject: string;
  text_body: string;
  html_body: string;
  ics: string | null;
  message_id: string;
  status: 'pending' | 'sent';
  /** Set when the e-mail carries an action link: one copy per recipient, each with a link of its own. */
  copies: Json<MailCopy[]> | null;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
}

export interface TokensTable {
  id: string;
  token_hash: string;
  role: string;
  party_id: string | null;
  label: string | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  created_at: Generated<Date>;
}

/** The first answer to a request sent with an Idempotency-Key, replayed to its retries. */
export interface IdempotencyKeysTable {
  principal_id: string;
  key: string;
  fingerprint: string;
  status: number;
  response: Json<unknown>;
  created_at: Generated<Date>;
}

/** A party's calendar subscription: calendar clients cannot send a bearer header, so the feed has its own token. */
export interface CalendarFeedsTable {
  id: string;
  party_id: string;
  token_hash: string;
  created_at: Generated<Date>;
  revoked_at: Date | null;
  /** Who created it: a token's id or a person's e-mail address (see creator_kind); older feeds may have none. */
  created_by: string | null;
  creator_kind: 'token' | 'person' | null;
  expires_at: Date;
}

/** Two kept documents compared once (a draft version and the one before it), read back by every door. */
export interface DocumentComparisonsTable {
  before_id: string;
  after_id: string;
  added: number;
  removed: number;
  hunks: Json<{ op: 'equal' | 'added' | 'removed'; text: string }[]>;
  note: string | null;
  created_at: Generated<Date>;
}

/** An admin moved an e-mail address from one party's contacts to another's (one address, one party). */
export interface ContactMovesTable {
  id: Generated<string>;
  email: string;
  from_party_id: string;
  to_party_id: string;
  moved_by: string;
  moved_at: Generated<Date>;
}

export interface OperatorsTable {
  email: string;
  name: string;
  role: 'admin' | 'viewer';
  created_at: Generated<Date>;
  disabled_at: Date | null;
}

export interface SignInLinksTable {
  token_hash: string;
  email: string;
  browser_hash: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Generated<Date>;
}

export interface SessionsTable {
  id_hash: string;
  email: string;
  user_agent: Generated<string>;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
  ended_at: Date | null;
}

export interface BlobsTable {
  sha256: string;
  size: number;
  bytes: Buffer;
  created_at: Generated<Date>;
}

/** Who uploaded a document, as an event's actor names them. */
export interface Uploader {
  kind: string;
  id: string;
  name?: string;
  email?: string;
  partyId?: string;
}

export interface DocumentsTable {
  id: string;
  agreement_id: string;
  kind: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_at: Generated<Date>;
  uploaded_by: Json<Uploader>;
  text: string | null;
  text_note: string | null;
  search: Generated<string>;
}

export interface AgreementFactsTable {
  id: string;
  title: string;
  instrument: string;
  stage: string;
  initiator_id: string;
  party_ids: string[];
  parent_id: string | null;
  first_audiensi_on: ColumnType<string | null, string | null, string | null>;
  draft1_on: ColumnType<string | null, string | null, string | null>;
  approved_on: ColumnType<string | null, string | null, string | null>;
  signed_on: ColumnType<string | null, string | null, string | null>;
  term_end: ColumnType<string | null, string | null, string | null>;
  renewal_decided: boolean;
  published: boolean;
  report_due_on: string[];
  report_received_on: string[];
  /** The due day of the first monev report not received by it. */
  first_missed_on: string | null;
  created_at: ColumnType<Date, string, string>;
}

export interface FollowUpFactsTable {
  follow_up_id: string;
  agreement_id: string;
  title: string;
  owner_party_id: string;
  status: string;
  due: string;
  overdue_on: string;
  escalation_level: number;
  level1_on: string | null;
  level2_on: string | null;
  /** The agreement's parties: a scope reads its follow-ups without the agreement. */
  party_ids: string[];
}

/** Agreements per scope ('*' or a party and those under it), day started, stage and instrument: kept by a trigger. */
export interface OverviewCountsTable {
  scope: string;
  day: string;
  stage: string;
  instrument: string;
  n: string;
}

/** Agreements per party that is a party to them, and stage: kept by the same trigger. */
export interface OverviewInstitutionsTable {
  party_id: string;
  stage: string;
  n: string;
}

/** Per scope and year signed, agreements per number of days to signing and to approval: kept by the same trigger. */
export interface OverviewDurationsTable {
  scope: string;
  year: number;
  measure: string;
  days: number;
  n: string;
}

/** Per umbrella, its PKS started and signed: kept by the same trigger. */
export interface PksCoverageTable {
  umbrella_id: string;
  party_ids: string[];
  started: string;
  signed: string;
}

/** A party's register of document numbers, kept from the events (a rebuild gives the same). */
export interface DocumentNumbersTable {
  party_id: string;
  year: number;
  number: string;
  running: number | null;
  agreement_id: string;
  taken_at: Timestamp;
  status: 'used' | 'batal';
}

export interface DocumentNumberCountersTable {
  party_id: string;
  year: number;
  last_running: number;
}

export interface Database {
  parties: PartiesTable;
  streams: StreamsTable;
  events: EventsTable;
  agreements: AgreementsTable;
  agreement_parties: AgreementPartiesTable;
  notifications: NotificationsTable;
  tokens: TokensTable;
  idempotency_keys: IdempotencyKeysTable;
  calendar_feeds: CalendarFeedsTable;
  contact_moves: ContactMovesTable;
  document_comparisons: DocumentComparisonsTable;
  operators: OperatorsTable;
  sign_in_links: SignInLinksTable;
  sessions: SessionsTable;
  blobs: BlobsTable;
  documents: DocumentsTable;
  agreement_facts: AgreementFactsTable;
  follow_up_facts: FollowUpFactsTable;
  overview_counts: OverviewCountsTable;
  overview_institutions: OverviewInstitutionsTable;
  overview_durations: OverviewDurationsTable;
  pks_coverage: PksCoverageTable;
  document_numbers: DocumentNumbersTable;
  document_number_counters: DocumentNumberCountersTable;
}

export type PartyRow = Selectable<PartiesTable>;
export type NewPartyRow = Insertable<PartiesTable>;
export type PartyUpdate = Updateable<PartiesTable>;
export type EventRow = Selectable<EventsTable>;
export type AgreementRow = Selectable<AgreementsTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type TokenRow = Selectable<TokensTable>;
