// The schemas of the dashboard's routes: params, query and form body, checked by Fastify as under /v1.
// A form's fields are then turned into the /v1 route's body and checked again by that route's own schema.
import { Type, type Static } from 'typebox';
import { Enum, Id, Line, LINES_PATTERN, Strict } from '../schemas/common.js';
export { AgreementParams, FollowUpParams } from '../schemas/agreements.js';
import { INSTRUMENTS, STAGES } from '../../domain/types.js';

/** A form field's name: a word, or a word and a party id (`sig-lapas-garut`). */
const FIELD_NAME = '^[A-Za-z][A-Za-z0-9._-]{0,99}$';

/** A posted form: named fields of text, each under the shared text rule (no NUL, no control character). */
export const FormBody = Type.Unsafe<Partial<Record<string, string>>>({
  type: 'object',
  patternProperties: { [FIELD_NAME]: Type.String({ maxLength: 20_000, pattern: LINES_PATTERN }) },
  additionalProperties: false,
  maxProperties: 200,
});
export type FormBody = Static<typeof FormBody>;

const FormToken = Type.String({ maxLength: 100, pattern: '^[A-Za-z0-9_-]*$' });
export const SignInLinkForm = Type.Object(
  { email: Type.String({ format: 'email', maxLength: 254 }), formToken: FormToken },
  Strict,
);
export const SignInLinkParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$' }) }, Strict);

export const SessionParams = Type.Object({ handle: Type.String({ pattern: '^[0-9a-f]{16}$' }) }, Strict);
export const EndSessionsForm = Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) }, Strict);
export const SessionsQuery = Type.Object(
  { ended: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })) },
  Strict,
);

export const ContactsForm = Type.Object(
  { contacts: Type.String({ maxLength: 20_000, pattern: LINES_PATTERN }) },
  Strict,
);
export const DirectoryQuery = Type.Object(
  { saved: Type.Optional(Enum(['kontak', 'pihak', 'impor', 'nomor'] as const)) },
  Strict,
);
/** A party's number template; an empty one removes it (the PATCH schema checks the rest). */
export const NumberTemplateForm = Type.Object({ numberTemplate: Type.Optional(Line(200, 0)) }, Strict);
/** A party as the directory's forms send it; an empty select sends an empty value. */
export const PartyForm = Type.Object(
  {
    id: Type.Optional(Line(64, 0)),
    name: Type.Optional(Line(200, 0)),
    kind: Type.Optional(Line(20, 0)),
    parentId: Type.Optional(Line(64, 0)),
    timeZone: Type.Optional(Line(40, 0)),
  },
  Strict,
);
export type PartyForm = Static<typeof PartyForm>;
/** The spreadsheet, as a multipart form gives it (checked for content by the import itself). */
export const ImportUpload = Type.Object({ file: Type.Optional(Type.Unsafe<unknown>({})) }, Strict);
/** The previewed rows, posted back to be applied (up to the import's row limit). */
export const ImportApplyForm = Type.Object({ rows: Type.String({ minLength: 2, maxLength: 900_000 }) }, Strict);

/** Forms that carry nothing but the button. */
export const EmptyForm = Type.Object({}, Strict);

export const ActionParams = Type.Object({ id: Id, form: Type.String({ pattern: '^[a-z-]{1,40}$' }) }, Strict);
export const PartyParams = Type.Object({ partyId: Id }, Strict);
export const FeedParams = Type.Object({ partyId: Id, feedId: Id }, Strict);
/** Any token: a forged or altered one gets the link page's own refusal, not a schema error. */
export const LinkParams = Type.Object({ token: Line(4000) }, Strict);

/** An empty select (`Semua`) sends an empty value: it means no filter. */
const Filter = <T extends ReturnType<typeof Enum> | typeof Id>(schema: T) =>
  Type.Optional(Type.Union([Type.Literal(''), schema]));

export const ListPageQuery = Type.Object(
  {
    stage: Filter(Enum(STAGES)),
    instrument: Filter(Enum(INSTRUMENTS)),
    partyId: Filter(Id),
    overdue: Type.Optional(Type.Literal('true')),
    q: Type.Optional(Line(200, 0)),
    cursor: Type.Optional(Line(200)),
  },
  Strict,
);
export type ListPageQuery = Static<typeof ListPageQuery>;

export const AgreementPageQuery = Type.Object(
  { ok: Type.Optional(Type.String({ pattern: '^[a-z-]{1,40}$' })), riwayat: Type.Optional(Type.Literal('semua')) },
  Strict,
);
/** The month shown on /kalender, "YYYY-MM"; this month when absent. */
export const CalendarQuery = Type.Object(
  { bulan: Type.Optional(Type.String({ pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])$' })) },
  Strict,
);
export const DeadlinesQuery = Type.Object({ partyId: Filter(Id) }, Strict);

/** A signed copy as the multipart reader gives it (the dashboard's form and a step's e-mailed link). */
export const SignedCopyForm = Type.Object(
  { file: Type.Optional(Type.Unsafe<{ filename: string; bytes: Buffer }>({})) },
  Strict,
);

export const LinkActionForm = Type.Object(
  {
    decision: Type.Optional(Type.Union([Type.Literal('approve'), Type.Literal('request_changes')])),
    comments: Type.Optional(Type.String({ maxLength: 5000, pattern: LINES_PATTERN })),
    note: Type.Optional(Type.String({ maxLength: 5000, pattern: LINES_PATTERN })),
  },
  Strict,
);

/** An empty note box sends `note=`: it means no note. */
export const CompleteFollowUpForm = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 5000, pattern: LINES_PATTERN })) },
  Strict,
);
