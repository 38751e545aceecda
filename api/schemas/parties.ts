import { Type, type Static } from 'typebox';
import { CONTACT_ROLES, PARTY_KINDS, TIME_ZONES } from '../../domain/types.js';
import { Email, Enum, Id, Name, Strict } from './common.js';

export const Contact = Type.Object(
  { name: Name, position: Name, email: Email, role: Enum(CONTACT_ROLES) },
  Strict,
);
/** A party's contacts as one list, as the directory page sends them. */
export const ContactList = Type.Object({ contacts: Type.Array(Contact, { maxItems: 50 }) }, Strict);

export const PartyInput = Type.Object(
  {
    id: Type.Optional(Id),
    name: Name,
    kind: Enum(PARTY_KINDS),
    parentId: Type.Optional(Id),
    timeZone: Type.Optional(Enum(TIME_ZONES)),
    contacts: Type.Array(Contact, { maxItems: 50 }),
  },
  Strict,
);
export type PartyInput = Static<typeof PartyInput>;

export const PartyPatch = Type.Object(
  {
    name: Type.Optional(Name),
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    timeZone: Type.Optional(Enum(TIME_ZONES)),
    contacts: Type.Optional(Type.Array(Contact, { maxItems: 50 })),
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
});
