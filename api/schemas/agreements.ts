import { Type, type Static } from 'typebox';
import {
  AGREEMENT_ROLES,
  FOLLOW_UP_KINDS,
  INSTRUMENTS,
  MEETING_KINDS,
  MINUTES_OUTCOMES,
  RENEWAL_DECISIONS,
  REVIEW_DECISIONS,
  SIGNING_ACTS,
  STAGES,
} from '../../domain/types.js';
import { MAX_PARTIES } from '../../domain/limits.js';
import { DateOnly, Email, Enum, Id, Instant, Line, LongText, Name, Sha256, Strict, Url, Uuid } from './common.js';

const WorkingDays = Type.Integer({ minimum: 0, maximum: 250 });

export const Policy = Type.Object(
  {
    reminderLeadDays: Type.Optional(WorkingDays),
    level2AfterDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 250 })),
    reviewDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 250 })),
    reportEveryMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  },
  Strict,
);

export const AgreementInput = Type.Object(
  {
    id: Type.Optional(Id),
    title: Name,
    instrument: Enum(INSTRUMENTS),
    parties: Type.Array(Type.Object({ partyId: Id, role: Enum(AGREEMENT_ROLES) }, Strict), {
      minItems: 2,
      maxItems: MAX_PARTIES,
    }),
    scope: Type.Array(Name, { maxItems: 100 }),
    termMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 360 })),
    parentId: Type.Optional(Id),
    renewalOf: Type.Optional(Id),
    policy: Type.Optional(Policy),
  },
  Strict,
);
export type AgreementInput = Static<typeof AgreementInput>;

export const ListQuery = Type.Object(
  {
    stage: Type.Optional(Enum(STAGES)),
    instrument: Type.Optional(Enum(INSTRUMENTS)),
    partyId: Type.Optional(Id),
    parentId: Type.Optional(Id),
    overdue: Type.Optional(Type.Boolean()),
    q: Type.Optional(Line(200)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    cursor: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{1,400}$',
        description: 'nextCursor of the previous page, as given; any other value is a 400 naming cursor',
      }),
    ),
  },
  Strict,
);
export type ListQuery = Static<typeof ListQuery>;

export const ViewBody = Type.Object({}, { additionalProperties: true, description: 'The agreement view (API.md)' });
export const SummaryBody = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    stage: Type.String(),
    followUpsOpen: Type.Integer(),
    followUpsOverdue: Type.Integer(),
  },
  {
    additionalProperties: true,
    description: 'One row of the list: the agreement without its meetings, drafts and follow-ups',
  },
);
export const EventsQuery = Type.Object(
  {
    after: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e9 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  Strict,
);
export const EventsBody = Type.Object({
  items: Type.Array(Type.Object({ version: Type.Integer() }, { additionalProperties: true })),
  nextAfter: Type.Union([Type.Integer(), Type.Null()], {
    description: 'pass as `after` for the next page; null on the last',
  }),
});

export const AgreementParams = Type.Object({ id: Id }, Strict);
export const ViewQuery = Type.Object({ live: Type.Optional(Type.Boolean()) }, Strict);

/** `late`: the due date has passed and the sender says so; the item is escalated once, now (never refused as past). */
const Late = Type.Optional(
  Type.Boolean({ description: 'The due date is already past and the item is recorded late on purpose.' }),
);
const FollowUpInput = Type.Object(
  { title: Name, ownerPartyId: Id, ownerEmail: Type.Optional(Email), due: DateOnly, late: Late },
  Strict,
);

export const MeetingInput = Type.Object(
  {
    kind: Enum(MEETING_KINDS),
    at: Instant,
    venue: Name,
    agenda: Type.Optional(LongText),
    invitees: Type.Optional(Type.Array(Id, { maxItems: 50 })),
  },
  Strict,
);
export const MinutesInput = Type.Object(
  {
    attendees: Type.Array(Type.Object({ name: Name, position: Name, partyId: Id }, Strict), {
      minItems: 1,
      maxItems: 200,
    }),
    summary: LongText,
    agreedScope: Type.Optional(Type.Array(Name, { maxItems: 100 })),
    followUps: Type.Optional(Type.Array(FollowUpInput, { maxItems: 100 })),
    outcome: Type.Optional(Enum(MINUTES_OUTCOMES)),
    documentIds: Type.Optional(
      Type.Array(Uuid, { maxItems: 20, description: 'attachments uploaded to /v1/agreements/{id}/documents' }),
    ),
  },
  Strict,
);
export const MeetingParams = Type.Object({ id: Id, meetingId: Uuid }, Strict);
/** A new time, a new place, or both. */
export const MeetingRescheduleInput = Type.Object(
  { at: Type.Optional(Instant), venue: Type.Optional(Name) },
  { ...Strict, minProperties: 1 },
);
export const MeetingCancelInput = Type.Object({ reason: LongText }, Strict);
/** A new draft version: a document kept in Sinergi (`documentId`), or one elsewhere (`documentUrl`); one of the two. */
export const DraftInput = Type.Object(
  {
    documentId: Type.Optional(
      Type.String({ format: 'uuid', description: 'a draft uploaded to /v1/agreements/{id}/documents' }),
    ),
    documentUrl: Type.Optional(Url),
    sha256: Type.Optional(Sha256),
    note: Type.Optional(LongText),
  },
  Strict,
);
export const DraftParams = Type.Object({ id: Id, version: Type.Integer({ minimum: 1, maximum: 100000 }) }, Strict);
export const ReviewInput = Type.Object(
  { partyId: Id, decision: Enum(REVIEW_DECISIONS), comments: Type.Optional(LongText) },
  Strict,
);
export const SigningInput = Type.Object(
  {
    method: Type.Optional(Type.Literal('ceremony', { description: 'a signing ceremony (the default)' })),
    at: Instant,
    venue: Name,
    signatories: Type.Array(Type.Object({ partyId: Id, name: Name, position: Name }, Strict), {
      minItems: 1,
      maxItems: 50,
    }),
    guests: Type.Optional(Type.Array(Type.Object({ name: Name, position: Name }, Strict), { maxItems: 200 })),
    documentNumbers: Type.Optional(
      Type.Record(Id, Line(200), {
        maxProperties: 50,
        description: 'a number written by hand; a party left out gets the next from its template',
      }),
    ),
  },
  Strict,
);
/** An electronic round (TTE): the final PDF, the order of initials and signatures, the due date (API.md). */
export const ElectronicSigningInput = Type.Object(
  {
    method: Type.Literal('electronic'),
    documentId: Type.String({ format: 'uuid', description: 'a PDF uploaded with kind "final"' }),
    order: Type.Array(Type.Object({ partyId: Id, email: Email, act: Enum(SIGNING_ACTS) }, Strict), {
      minItems: 1,
      maxItems: 50,
    }),
    dueBy: DateOnly,
    documentNumbers: Type.Optional(Type.Record(Id, Line(200), { maxProperties: 50 })),
    confirmTextDiffers: Type.Optional(
      Type.Boolean({ description: 'the final text differs from the approved draft, and the initiator goes on' }),
    ),
  },
  Strict,
);
// The electronic shape first: its required `method` tells a ceremony's body from it (api/errors.ts).
export const SigningPlanInput = Type.Union([ElectronicSigningInput, SigningInput]);
export const SigningRecordInput = Type.Object(
  {
    signedAt: Type.Union([DateOnly, Instant]),
    documentNumbers: Type.Record(Id, Line(200), { maxProperties: 50 }),
    documentIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, description: 'the signed copies, uploaded first' })),
  },
  Strict,
);
export const FollowUpCreateInput = Type.Object(
  {
    title: Name,
    ownerPartyId: Id,
    ownerEmail: Type.Optional(Email),
    due: DateOnly,
    kind: Type.Optional(Enum(FOLLOW_UP_KINDS)),
    late: Late,
  },
  Strict,
);
export const FollowUpRescheduleInput = Type.Object({ due: DateOnly }, Strict);
export const FollowUpCancelInput = Type.Object({ reason: Type.Optional(LongText) }, Strict);
export const FollowUpListQuery = Type.Object(
  {
    overdue: Type.Optional(Type.Boolean()),
    partyId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  Strict,
);
export const FollowUpParams = Type.Object({ id: Id, followUpId: Uuid }, Strict);
export const FollowUpCommentInput = Type.Object({ comment: LongText }, Strict);
export const FollowUpCompleteInput = Type.Object({ note: Type.Optional(LongText) }, Strict);
/** One OPD with the umbrella's initiator (`partyId`), or the PKS's own `parties` (the implementing UPT, OPDs, a
 * witness). */
export const OperationalAgreementInput = Type.Object(
  {
    id: Type.Optional(Id),
    partyId: Type.Optional(Id),
    parties: Type.Optional(
      Type.Array(Type.Object({ partyId: Id, role: Enum(AGREEMENT_ROLES) }, Strict), {
        minItems: 2,
        maxItems: MAX_PARTIES,
      }),
    ),
    title: Name,
    scope: Type.Array(Name, { maxItems: 100 }),
    dueBy: Type.Optional(DateOnly),
  },
  // One OPD (`partyId`) or the PKS's own parties: one of the two is needed.
  { ...Strict, anyOf: [{ required: ['partyId'] }, { required: ['parties'] }] },
);
/** Many PKS in one step (API.md "Many PKS and document numbers"); `{opd}` in the title is each OPD's name. */
export const OperationalAgreementBatchInput = Type.Object(
  {
    opdIds: Type.Array(Id, { minItems: 1, maxItems: 200, uniqueItems: true }),
    implementerId: Type.Optional(Id),
    title: Name,
    scope: Type.Array(Name, { maxItems: 100 }),
    dueBy: Type.Optional(DateOnly),
  },
  Strict,
);
export const OperationalAgreementBatchResult = Type.Object({
  started: Type.Array(Type.Object({ id: Type.String(), partyId: Type.String() })),
  existing: Type.Array(Type.Object({ id: Type.String(), partyId: Type.String() })),
});
export const SigningReminderInput = Type.Object({ note: Type.Optional(LongText) }, Strict);
export const OperationalAgreementReminderResult = Type.Object({
  reminded: Type.Array(Type.Object({ id: Type.String(), partyId: Type.String() })),
  skipped: Type.Array(Type.Object({ id: Type.String(), partyId: Type.String(), reason: Type.String() })),
});
export const ReportInput = Type.Object(
  { period: Line(100), summary: LongText, documentUrl: Type.Optional(Url), documentId: Type.Optional(Uuid) },
  Strict,
);
export const RenewalInput = Type.Object(
  { decision: Enum(RENEWAL_DECISIONS), termMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 360 })) },
  Strict,
);
export const CancelInput = Type.Object({ reason: LongText }, Strict);
/** `public: true` puts an active agreement, with its signed copies, on /publik; `false` takes it off. */
export const PublicationInput = Type.Object({ public: Type.Boolean() }, Strict);
