import { Type, type Static } from 'typebox';
import { CONTACT_ROLES, PARTY_KINDS, TIME_ZONES } from '../../domain/types.js';
import { Email, Enum, Id, Name, Strict } from './common.js';

export const Contact = Type.Object({ name: Name, position: Name, email: Email, role: Enum(CONTACT_ROLES) }, Strict);
/**
 * A contact as written: with the NIK a signatory's TTE certificate carries, which a signed copy must match. Never
 * answered back (a contact as read has no `nik`): it is personal data the directory only needs to compare.
 */
export const ContactInput = Type.Object(
  {
    ...Contact.properties,
    nik: Type.Optional(Type.String({ pattern: '^[0-9]{16}$', description: 'the 16-digit NIK, for TTE; write-only' })),
  },
  Strict,
);
/** A party's contacts as one list, as the directory page sends them. */
export const ContactList = Type.Object({ contacts: Type.Array(ContactInput, { maxItems: 50 }) }, Strict);

/** `{nomor}` (the running number), `{tahun}`, `{bulan}` (Roman), around the office's own codes. */
const NumberTemplate = Type.String({
  // No white space; control characters and the placeholders are checked by the directory service
  // (domain/numbering.ts), which names what is wrong. (A simple pattern keeps the seeded fuzzer's run as it was.)
  minLength: 7,
  maxLength: 120,
  pattern: '^\\S+$',
  description: 'e.g. W.11.PAS.PAS.10-HM.05.02-{nomor} or 000.8.3.3/{nomor}/Bag.Kerjasama/{tahun}',
});

export const PartyInput = Type.Object(
  {
    id: Type.Optional(Id),
    name: Name,
    kind: Enum(PARTY_KINDS),
    parentId: Type.Optional(Id),
    timeZone: Type.Optional(Enum(TIME_ZONES)),
    contacts: Type.Array(ContactInput, { maxItems: 50 }),
    numberTemplate: Type.Optional(NumberTemplate),
  },
  Strict,
);
export type PartyInput = Static<typeof PartyInput>;

export const PartyPatch = Type.Object(
  {
    name: Type.Optional(Name),
    // An empty string, as a form sends a cleared field, removes it like null.
    parentId: Type.Optional(Type.Union([Id, Type.Literal(''), Type.Null()], { description: 'null or "" removes it' })),
    timeZone: Type.Optional(Enum(TIME_ZONES)),
    contacts: Type.Optional(Type.Array(ContactInput, { maxItems: 50 })),
    numberTemplate: Type.Optional(
      Type.Union([NumberTemplate, Type.Literal(''), Type.Null()], { description: 'null or "" removes it' }),
    ),
  },
  { ...Strict, minProperties: 1 },
);
export type PartyPatch = Static<typeof PartyPatch>;

export const Party = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  parentId: Type.Optional(Type.String()),
  timeZone: Type.String(),
  contacts: Type.Array(Contact),
  numberTemplate: Type.Optional(Type.String()),
});
