// Building blocks shared by every resource's schema.
import { Type } from 'typebox';

export const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'letters, digits, dot, dash, underscore; up to 64' });
export const Name = Type.String({ minLength: 1, maxLength: 200 });
export const LongText = Type.String({ minLength: 1, maxLength: 5000 });
export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Url = Type.String({ format: 'uri', maxLength: 2000, pattern: '^https?://' });
export const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD, a date in the party\'s own zone' });
export const Instant = Type.String({ format: 'date-time', description: 'ISO-8601 with offset, e.g. 2026-02-06T09:00:00+07:00' });
export const Sha256 = Type.String({ pattern: '^[A-Fa-f0-9]{64}$' });

export function Enum<T extends readonly string[]>(values: T, description?: string) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
}

export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }),
});

/** Objects refuse fields they do not know. */
export const Strict = { additionalProperties: false } as const;
