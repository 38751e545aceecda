// Building blocks shared by every resource's schema. Every text a client sends passes through one of them.
import { Type } from 'typebox';

// NUL and the other C0/C1 controls and DEL; PostgreSQL's jsonb refuses NUL. An unpaired surrogate, the other
// character jsonb refuses, can only arrive as a JSON escape: `refuseUnpairedSurrogates` below catches it for every
// body (a surrogate range here would make the pattern unusable to tools whose regex engines are UTF-8 only).
const CONTROLS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F';
/** Text on one line: no control character at all. */
export const LINE_PATTERN = `^[^\\u0009\\u000A\\u000D${CONTROLS}]*$`;
/** Text that may have lines: tab, newline and carriage return are allowed, no other control character. */
export const LINES_PATTERN = `^[^${CONTROLS}]*$`;
const TEXT_PATTERNS = new Set([LINE_PATTERN, LINES_PATTERN]);

/** True when a validation error is one of the text patterns above (the error names the characters). */
export const isTextPattern = (pattern: unknown): boolean => typeof pattern === 'string' && TEXT_PATTERNS.has(pattern);

/** A single-line text of 1 to `max` characters. */
export const Line = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max, pattern: LINE_PATTERN });
/** A text that may span lines, of 1 to `max` characters. */
export const Lines = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: LINES_PATTERN });

export const Id = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
  description: 'letters, digits, dot, dash, underscore; up to 64',
});
export const Uuid = Type.String({ format: 'uuid' });
export const Name = Line(200);
export const LongText = Lines(5000);
export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Url = Type.String({
  format: 'uri',
  maxLength: 2000,
  pattern: '^https?://[\\u0021-\\u007E]+$',
  description: 'http(s), printable ASCII',
});
export const DateOnly = Type.String({ format: 'date', description: "YYYY-MM-DD, a date in the party's own zone" });
export const Instant = Type.String({
  format: 'date-time',
  description: 'ISO-8601 with offset, e.g. 2026-02-06T09:00:00+07:00',
});
export const Sha256 = Type.String({ pattern: '^[A-Fa-f0-9]{64}$' });

export function Enum<T extends readonly string[]>(values: T, description?: string) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
}

export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }),
});

/** A signed copy refused: the error names its reason (API.md, "Electronic signing"). */
export const SignatureRejectedBody = Type.Object({
  error: Type.Object({
    code: Type.Literal('signature_rejected'),
    reason: Type.String(),
    message: Type.String(),
    field: Type.String(),
  }),
});

/** What any operation may answer besides its success: bad input, no or bad token, refused, unknown id, rate limit. */
export const READ_ERRORS = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody } as const;
/**
 * A write may also be refused by the state (409), be too large (413) or not JSON (415), or meet an agreement whose
 * run cannot take commands for now (503 agreement_unavailable, the operator's to mend).
 */
export const WRITE_ERRORS = { ...READ_ERRORS, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody, 503: ErrorBody } as const;

/** Objects refuse fields they do not know. */
export const Strict = { additionalProperties: false } as const;

/** The path (`attendees[0].name`) of the first key or string in a parsed body that holds an unpaired surrogate. */
export function unpairedSurrogateAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.isWellFormed() ? undefined : path || 'body';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unpairedSurrogateAt(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (!key.isWellFormed()) return at;
      const found = unpairedSurrogateAt(inner, at);
      if (found) return found;
    }
  }
  return undefined;
}
