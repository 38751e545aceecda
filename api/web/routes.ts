// The dashboard at `/`: server-rendered pages in Indonesian that act through the same services as the /v1 API.
// Every route declares its params, query and form body; a form is then checked again as the /v1 route's body.
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { principalOf } from '../../services/people.js';
import { DEFAULT_SESSION_SETTINGS, sessionPerson } from '../../services/sessions.js';
import { FORM_TOKEN_FIELD, formTokenFor, fromThisSite, sameToken, withFormTokens } from './csrf.js';
import type { Principal } from '../auth.js';
import { HttpError } from '../errors.js';
import { formRefusal, inWords } from './refusals.js';
import { rememberReturn } from './return-to.js';
import { html, type Html } from './html.js';
import { page } from './layout.js';
import { linkRoutes, type LinkDeps } from './links.js';
import { directoryRoutes } from './directory-routes.js';
import { pksRoutes } from './pks-routes.js';
import { reportPageRoutes } from './report-routes.js';
import { documentRoutes as documentPageRoutes } from './document-routes.js';
import { agreementPageRoutes } from './agreement-routes.js';
import { signingRoutes } from './signing-routes.js';
import { calendarPageRoutes } from './calendar-routes.js';
import { hidden, SESSION_COOKIE, type PageKit, type Session } from './kit.js';
import { sessionPageRoutes } from './session-routes.js';
import { signInRoutes, type SignInDeps } from './sign-in-routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the dashboard's sign-in check on the pages that need one. */
    dashboardSession?: { token: string; principal: Principal; label: string };
  }
}

export interface WebDeps extends LinkDeps, SignInDeps {
  adminToken?: string;
  /** The largest document upload from the dashboard. */
  maxUploadBytes?: number;
}

const ROLE_WORD: Record<Principal['role'], string> = { admin: 'Admin', viewer: 'Peninjau', party: 'Pihak' };

export function webRoutes(deps: WebDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Forms post urlencoded bodies, read as flat objects that each route's schema checks (names and text rule).
    // This parser exists only inside the dashboard's routes, not under /v1.
    // 1 MB: an OPD import's preview posts its rows back; every field is still capped by its route's schema.
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 * 1024 },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    // File forms (the OPD import): read whole into the body before the form token is checked, and bounded.
    await app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: 2 * 1024 * 1024, files: 1, fields: 5, parts: 6 },
      // A file field becomes its name and bytes (read whole, within the route's limit).
      onFile: async (part) => {
        (part as unknown as { value: unknown }).value = { filename: part.filename, bytes: await part.toBuffer() };
      },
    });
    // A button-only form may arrive with no body at all: that is an empty form.
    app.addHook('preValidation', async (request) => {
      if (request.method === 'POST' && request.body === undefined) request.body = {};
    });

    /** Requests whose form was read whole (past the multipart reader): their faults are ours, not the sender's. */
    const formsRead = new WeakSet<FastifyRequest>();
    const send = (reply: FastifyReply, status: number, title: string, body: Html, who?: Principal) => {
      const label = reply.request.dashboardSession?.label ?? ROLE_WORD[who?.role ?? 'viewer'];
      const html = page(title, body, who ? { signedIn: { label } } : {});
      const session = reply.request.cookies[SESSION_COOKIE];
      return reply
        .status(status)
        .type('text/html; charset=utf-8')
        .send(who && session ? withFormTokens(html, session) : html);
    };

    // After the session check (onRequest) and before the form is read: this site's forms only.
    app.addHook('preValidation', async (request, reply) => {
      if (request.method !== 'POST') return;
      formsRead.add(request);
      const refuse = (why: string) => {
        request.log.info({ route: request.routeOptions.url, why }, 'form refused: not from this site');
        return send(
          reply,
          403,
          'Permintaan ditolak',
          html`<h1>Permintaan ditolak</h1>
<section><p role="alert">Formulir ini tidak dikirim dari halaman Sinergi. Buka halamannya lagi, lalu kirim dari
sana.</p></section>`,
        );
      };
      if (!fromThisSite(request)) return refuse('origin');
      // Sign-in and e-mailed links carry credentials of their own.
      const url = request.routeOptions.url ?? '';
      const session = request.cookies[SESSION_COOKIE];
      if (url.startsWith('/masuk') || url.startsWith('/tautan') || !session) return;
      const body = request.body as Record<string, unknown>;
      if (!sameToken(formTokenFor(session), body[FORM_TOKEN_FIELD])) return refuse('form token');
      delete body[FORM_TOKEN_FIELD];
    });

    // A refused request is a page a person can read, not JSON.
    app.setErrorHandler((error: FastifyError, request, reply) => {
      // A file form the multipart reader could not read (cut short, malformed) is the sender's fault.
      if (request.isMultipart() && !formsRead.has(request) && (error.statusCode ?? 500) >= 500) {
        error = Object.assign(new Error('file: formulir berkas tidak dapat dibaca; kirim ulang dari halamannya.'), {
          statusCode: 400,
        }) as FastifyError;
      }
      if (error.code === 'FST_REQ_FILE_TOO_LARGE') {
        error = Object.assign(new Error('file: berkas melebihi batas ukuran unggahan.'), {
          statusCode: 413,
        }) as FastifyError;
      }
      const refused = error.validation ? formRefusal(error.validation) : error;
      const status = refused.statusCode ?? 500;
      if (status >= 500) {
        request.log.error({ err: error }, 'page failed');
        return send(
          reply,
          500,
          'Kesalahan',
          html`<h1>Terjadi kesalahan</h1><section><p>Silakan coba lagi.</p></section>`,
        );
      }
      const message = refused instanceof HttpError ? inWords(refused.message, refused.field) : refused.message;
      return send(
        reply,
        status,
        'Permintaan ditolak',
        html`<h1>Permintaan ditolak</h1>
<section><p role="alert">${message}</p></section>`,
      );
    });

    async function signedIn(request: FastifyRequest): Promise<Session | undefined> {
      const id = request.cookies[SESSION_COOKIE];
      if (!id) return undefined;
      // People sign in as themselves; bearer tokens are for /v1 and the CLI, never a dashboard cookie.
      const person = await sessionPerson(deps.db, id, deps.emailSignIn?.settings ?? DEFAULT_SESSION_SETTINGS);
      return person
        ? {
            token: id,
            principal: principalOf(person),
            label: `${person.name} · ${person.partyName ?? ROLE_WORD[person.role]}`,
          }
        : undefined;
    }

    /** Pages for signed-in people: anyone else goes to the sign-in page, before their input is even read. */
    app.decorateRequest('dashboardSession', undefined);
    const onlySignedIn = async (request: FastifyRequest, reply: FastifyReply) => {
      const session = await signedIn(request);
      if (!session) {
        rememberReturn(request, reply, deps.secureCookies);
        return reply.redirect('/masuk', 303);
      }
      request.dashboardSession = session;
    };
    const guarded = { onRequest: onlySignedIn } as const;
    const sessionOf = (request: FastifyRequest): Session => {
      if (!request.dashboardSession) throw new Error('a guarded page ran without a session');
      return request.dashboardSession;
    };

    await app.register(linkRoutes(deps));

    app.get('/', { schema: hidden }, async (request, reply) =>
      reply.redirect((await signedIn(request)) ? '/kesepakatan' : '/masuk', 303),
    );

    const kit: PageKit = { send, sessionOf, guarded };
    await app.register(signInRoutes(kit, deps));
    await app.register(agreementPageRoutes(kit));
    await app.register(calendarPageRoutes(kit));
    await app.register(sessionPageRoutes(kit));
    await app.register(directoryRoutes(kit));
    await app.register(pksRoutes(kit));
    await app.register(reportPageRoutes(kit));
    await app.register(documentPageRoutes(kit, deps.maxUploadBytes ?? 25 * 1024 * 1024));
    await app.register(signingRoutes(kit, deps.maxUploadBytes ?? 25 * 1024 * 1024));
  };
}
