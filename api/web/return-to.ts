// After signing in, a person lands on the page they were going to: a path on this site only, kept in a cookie
// for the sign-in pages, checked again when used (never an open redirect).
import type { FastifyReply, FastifyRequest } from 'fastify';

const RETURN_COOKIE = 'sinergi_ke';
const HOME = '/kesepakatan';

/** A relative path on this site ("/kesepakatan/x?y"), not "//host", "/\\host" or the sign-in pages themselves. */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 1000) return undefined;
  if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(value)) return undefined;
  return /^\/(masuk|keluar)(\/|\?|$)/.test(value) ? undefined : value;
}

/** Remembers the page a signed-out person asked for (a GET only: a form cannot be replayed). */
export function rememberReturn(request: FastifyRequest, reply: FastifyReply, secure: boolean): void {
  const path = request.method === 'GET' ? safeReturnPath(request.url) : undefined;
  if (path)
    reply.setCookie(RETURN_COOKIE, path, { httpOnly: true, sameSite: 'lax', secure, path: '/masuk', maxAge: 3600 });
}

/** Where a person who has just signed in goes: the remembered page, or the list. */
export function returnTarget(request: FastifyRequest, reply: FastifyReply): string {
  const path = safeReturnPath(request.cookies[RETURN_COOKIE]);
  reply.clearCookie(RETURN_COOKIE, { path: '/masuk' });
  return path ?? HOME;
}
