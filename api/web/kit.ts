// What every dashboard page plugin is given: how to send a page, who is signed in, and the guard that asks for a
// sign-in; and the small shared pieces of a page (a refusal it can show, the not-found page).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Viewer } from '../../domain/allowed.js';
import type { Principal } from '../auth.js';
import { HttpError } from '../errors.js';
import { html, type Html } from './html.js';
import { inWords } from './refusals.js';

export const SESSION_COOKIE = 'sinergi_sesi';

/** A signed-in person; `label` is how the header names them (their name, and their party's or their role). */
export type Session = { token: string; principal: Principal; label: string };
export type Refused = { status: number; message: string; field?: string };

export interface PageKit {
  send(reply: FastifyReply, status: number, title: string, body: Html, who?: Principal): FastifyReply;
  sessionOf(request: FastifyRequest): Session;
  guarded: { onRequest: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> };
}

/** Dashboard routes are pages, not part of the OpenAPI document. */
export const hidden = { hide: true } as const;

/** A refusal a page can show; anything else is a fault and goes on to the error handler. */
export function refusalOf(err: unknown): Refused {
  if (!(err instanceof HttpError)) throw err;
  return {
    status: err.statusCode,
    message: inWords(err.message, err.field),
    ...(err.field ? { field: err.field } : {}),
  };
}

/** Runs a page's work: a refusal comes back as a value the page shows; anything else goes on to the error page. */
export async function attempt<T>(
  work: () => Promise<T> | T,
  refusal: (err: unknown) => Refused = refusalOf,
): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    return { ok: false, refused: refusal(err) };
  }
}
export type Attempt<T> = { ok: true; value: T } | { ok: false; refused: Refused };

export const viewerOf = (p: Principal): Viewer => ({ role: p.role, ...(p.partyId ? { partyId: p.partyId } : {}) });
export const notFoundPage = (): Html => html`<h1>Tidak ditemukan</h1>
<section><p>Kesepakatan ini tidak ditemukan, atau Anda tidak berhak melihatnya.</p><p>
<a href="/kesepakatan">Kembali ke daftar</a></p></section>`;
