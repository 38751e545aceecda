// Act-from-e-mail links: a signed, expiring secret bound to one agreement, one party, one action (and, for a
// review, one draft version; for a signed copy, one step of the round). Signed with HMAC-SHA256 under a key from
// the environment.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface LinkClaims {
  /** agreement id */
  a: string;
  /** the party the link acts for */
  p: string;
  act: 'review' | 'complete' | 'sign';
  /** draft version, for a review */
  v?: number;
  /** follow-up id, for a completion */
  f?: string;
  /** the step of an electronic signing round, for a signed copy */
  s?: number;
  /** the contact it was sent to: the actor of what it does */
  e: string;
  /** expiry, seconds since the epoch */
  exp: number;
}

export interface LinkSettings {
  secret: string;
  ttlDays: number;
}

const mac = (secret: string, payload: string): Buffer => createHmac('sha256', secret).update(payload).digest();

export function signLink(secret: string, claims: LinkClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'tampered' | 'expired' };

export function verifyLink(secret: string, token: string, nowMs = Date.now()): LinkCheck {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'tampered' };
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'tampered' };
  let claims: LinkClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkClaims;
  } catch {
    return { ok: false, reason: 'tampered' };
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
