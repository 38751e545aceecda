import { Type, type Static } from 'typebox';
import { CONTACT_ROLES, PARTY_KINDS, TIME_ZONES } from '../../domain/types.js';
import { Email, Enum, Id, Name, Strict } from './common.js';

export const Contact = Type.Object({ name: Name, position: Name, email: Email, role: Enum(CONTACT_ROLES) }, Strict);
/** A party's contacts as one list, as the directory page sends them. */
export const ContactList = Type.Object({ contacts: Type.Array(Contact, { maxItems: 50 }) }, Strict);

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
    contacts: Type.Array(Contact, { maxItems: 50 }),
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
    contacts: Type.Optional(Type.Array(Contact, { maxItems: 50 })),
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
