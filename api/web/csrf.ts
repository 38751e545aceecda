// Every dashboard form carries a token tied to its session, and a form posted from another origin is refused:
// a page elsewhere cannot make a signed-in person act (cross-site request forgery).
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { hashToken } from '../../infra/secrets.js';

export const FORM_TOKEN_FIELD = 'csrf';

/** Derived from the session id, which only the session's own browser holds (an HttpOnly cookie). */
export const formTokenFor = (sessionId: string): string => hashToken(`form\n${sessionId}`);

/** Puts the session's token into every POST form of a page. */
export function withFormTokens(page: string, sessionId: string): string {
  const field = `<input type="hidden" name="${FORM_TOKEN_FIELD}" value="${formTokenFor(sessionId)}">`;
  return page.replace(/(<form\b[^>]*\bmethod="post"[^>]*>)/g, `$1${field}`);
}

export function sameToken(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given === '') return false;
  const [a, b] = [Buffer.from(expected), Buffer.from(given)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A browser names the page a form came from in `Origin`; it must be this site. No header: not a browser form. */
export function fromThisSite(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
