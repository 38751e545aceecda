// The dashboard at `/`: server-rendered pages in Indonesian that act through the same services as the /v1 API.
// Every route declares its params, query and form body; a form is then checked again as the /v1 route's body.
import { createHash, randomBytes } from 'node:crypto';
import { localDate } from '../../domain/dates.js';
import type {} from '@fastify/cookie';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { AgreementView } from '../../domain/view.js';
import type { StartInput } from '../../services/agreements.js';
import { decodeCursor, encodeCursor } from '../../services/agreement-reads.js';
import { createFeed, liveFeedsOf, revokeFeeds, type FeedItem } from '../../services/calendar-feeds.js';
import { monthEntries } from '../../services/calendar-month.js';
import { listParties, type Party } from '../../services/directory.js';
import { proposedNumbers as proposedNumbersFor } from '../../services/numbers.js';
import { principalOf } from '../../services/people.js';
import {
  DEFAULT_SESSION_SETTINGS,
  endSession,
  endSessionsOf,
  handleOf,
  listSessions,
  sessionPerson,
} from '../../services/sessions.js';
import { sessionsPage } from './pages/sessions.js';
import { emailSignInRoutes, type EmailSignInDeps } from './sign-in-by-email.js';
import { ssoRoutes, type SsoSettings } from './sign-in-sso.js';
import type { SessionSettings } from '../../services/sessions.js';
import { FORM_TOKEN_FIELD, formTokenFor, fromThisSite, sameToken, withFormTokens } from './csrf.js';
import { openFollowUps, type DeadlineItem } from '../../services/follow-ups.js';
import type { Principal } from '../auth.js';
import { HttpError } from '../errors.js';
import { formRefusal, inWords } from './refusals.js';
import { rememberReturn } from './return-to.js';
import { AgreementInput, FollowUpCompleteInput, FollowUpListQuery, ListQuery } from '../schemas/agreements.js';
import { FORMS, type Viewer } from './forms.js';
import { html, type Html } from './html.js';
import { page } from './layout.js';
import { linkRoutes, type LinkDeps } from './links.js';
import { validated } from './validate.js';
import { directoryRoutes } from './directory-routes.js';
import { pksRoutes } from './pks-routes.js';
import { reportPageRoutes } from './report-routes.js';
import { documentRoutes as documentPageRoutes } from './document-routes.js';
import { agreementPage, type AgreementPageData } from './pages/agreement.js';
import { listPage, type ListFilters, type StartRefusal } from './pages/agreements-list.js';
import { calendarsPage, type CalendarShown } from './pages/calendars.js';
import { monthView } from './pages/month.js';
import { deadlinesPage } from './pages/deadlines.js';
import { signInPage } from './pages/sign-in.js';
import {
  ActionParams,
  AgreementPageQuery,
  AgreementParams,
  CalendarQuery,
  CompleteFollowUpForm,
  DeadlinesQuery,
  EmptyForm,
  FollowUpParams,
  EndSessionsForm,
  FormBody,
  ListPageQuery,
  PartyParams,
  FeedParams,
  SessionParams,
  SessionsQuery,
} from './schemas.js';

export const SESSION_COOKIE = 'sinergi_sesi';
/** The sign-in form's own token (see signInPage). */
const SIGN_IN_COOKIE = 'sinergi_masuk';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the dashboard's sign-in check on the pages that need one. */
    dashboardSession?: { token: string; principal: Principal; label: string };
  }
}

export interface WebDeps extends LinkDeps {
  adminToken?: string;
  secureCookies: boolean;
  /** Signing in by e-mail link; without it the page offers single sign-on only, if set. */
  emailSignIn?: Pick<EmailSignInDeps, 'mailFrom' | 'publicUrl' | 'settings' | 'requestsPerMinute'>;
  /** The largest document upload from the dashboard. */
  maxUploadBytes?: number;
  /** Single sign-on with the organisation's OpenID provider. */
  sso?: SsoSettings & { publicUrl: string; settings: SessionSettings };
}

/** A signed-in person; `label` is how the header names them (their name, and their party's or their role). */
type Session = { token: string; principal: Principal; label: string };
type Refused = { status: number; message: string; field?: string };

const hidden = { hide: true } as const;
const ROLE_WORD: Record<Principal['role'], string> = { admin: 'Admin', viewer: 'Peninjau', party: 'Pihak' };

/** A refusal a page can show; anything else is a fault and goes on to the error handler. */
function refusalOf(err: unknown): Refused {
  if (!(err instanceof HttpError)) throw err;
  return {
    status: err.statusCode,
    message: inWords(err.message, err.field),
    ...(err.field ? { field: err.field } : {}),
  };
}

const viewerOf = (p: Principal): Viewer => ({ role: p.role, ...(p.partyId ? { partyId: p.partyId } : {}) });
const notFoundPage = (): Html => html`<h1>Tidak ditemukan</h1>
<section><p>Kesepakatan ini tidak ditemukan, atau Anda tidak berhak melihatnya.</p><p>
<a href="/kesepakatan">Kembali ke daftar</a></p></section>`;

/**
 * A form's key: the form and everything in it, on this day. The same form sent twice (Back, then again; a double
 * click) makes one change, even when the browser fetched the page anew and forgot any key the page carried.
 * The service adds who sent it.
 */
function sameFormKey(form: string, fields: FormBody): string {
  const entries = Object.entries(fields).sort(([a], [b]) => a.localeCompare(b));
  const day = localDate(Date.now(), 'Asia/Jakarta');
  return `form-${createHash('sha256')
    .update(JSON.stringify([form, day, entries]))
    .digest('base64url')
    .slice(0, 32)}`;
}

/** The list's filters as the list service takes them: an empty choice means no filter. */
function filtersOf(q: ListPageQuery): ListFilters {
  return {
    ...(q.stage ? { stage: q.stage } : {}),
    ...(q.partyId ? { partyId: q.partyId } : {}),
    ...(q.instrument ? { instrument: q.instrument } : {}),
    ...(q.overdue ? { overdue: true } : {}),
    ...(q.q ? { q: q.q } : {}),
  };
}

/** The new-agreement form as the /v1 body: the initiator chosen, and each partner ticked (`mitra-<id>`). */
function startBody(f: FormBody): unknown {
  const lines = (s: string | undefined) =>
    (s ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  const partners = Object.keys(f)
    .filter((k) => k.startsWith('mitra-'))
    .map((k) => k.slice('mitra-'.length));
  const initiator = f['initiator'] ?? '';
  return {
    title: f['title'] ?? '',
    instrument: f['instrument'] ?? '',
    parties: [
      { partyId: initiator, role: 'initiator' },
      ...partners.filter((id) => id !== initiator).map((partyId) => ({ partyId, role: 'counterpart' })),
    ],
    scope: lines(f['scope']),
  };
}

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
    // Each page's schemas, by page.
    const routes = {
      list: { ...guarded, schema: { ...hidden, querystring: ListPageQuery } },
      start: { ...guarded, schema: { ...hidden, body: FormBody } },
      agreement: { ...guarded, schema: { ...hidden, params: AgreementParams, querystring: AgreementPageQuery } },
      action: { ...guarded, schema: { ...hidden, params: ActionParams, body: FormBody } },
      complete: { ...guarded, schema: { ...hidden, params: FollowUpParams, body: CompleteFollowUpForm } },
      calendars: { ...guarded, schema: { ...hidden, querystring: CalendarQuery } },
      feed: { ...guarded, schema: { ...hidden, params: PartyParams, body: EmptyForm } },
      oneFeed: { ...guarded, schema: { ...hidden, params: FeedParams, body: EmptyForm } },
      deadlines: { ...guarded, schema: { ...hidden, querystring: DeadlinesQuery } },
      sessions: { ...guarded, schema: { ...hidden, querystring: SessionsQuery } },
      endSession: { ...guarded, schema: { ...hidden, params: SessionParams, body: EmptyForm } },
      endSessionsOf: { ...guarded, schema: { ...hidden, body: EndSessionsForm } },
    };
    const sessionOf = (request: FastifyRequest): Session => {
      if (!request.dashboardSession) throw new Error('a guarded page ran without a session');
      return request.dashboardSession;
    };

    const directory = async (): Promise<Party[]> => listParties(app.db);

    await app.register(linkRoutes(deps));

    app.get('/', { schema: hidden }, async (request, reply) =>
      reply.redirect((await signedIn(request)) ? '/kesepakatan' : '/masuk', 303),
    );

    /** The sign-in form with a fresh form token, also set as a cookie (double submit: no sign-in from another site). */
    app.get('/masuk', { schema: hidden }, async (_request, reply) => {
      const formToken = randomBytes(18).toString('base64url');
      reply.setCookie(SIGN_IN_COOKIE, formToken, {
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.secureCookies,
        path: '/masuk',
        maxAge: 3600,
      });
      return send(
        reply,
        200,
        'Masuk',
        signInPage(formToken, { byEmail: deps.emailSignIn !== undefined, sso: deps.sso !== undefined }),
      );
    });

    if (deps.sso)
      await app.register(
        ssoRoutes({ ...deps.sso, db: deps.db, secureCookies: deps.secureCookies, sessionCookie: SESSION_COOKIE }),
      );
    if (deps.emailSignIn) {
      await app.register(
        emailSignInRoutes({
          ...deps.emailSignIn,
          db: deps.db,
          secureCookies: deps.secureCookies,
          sessionCookie: SESSION_COOKIE,
          formCookie: SIGN_IN_COOKIE,
        }),
      );
    }

    app.post('/keluar', { schema: { ...hidden, body: EmptyForm } }, async (request, reply) => {
      // Signing out ends the session on the server: the old cookie no longer works anywhere.
      const id = request.cookies[SESSION_COOKIE];
      if (id) await endSession(deps.db, id);
      request.log.info('signed out');
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/masuk', 303);
    });

    async function renderList(
      reply: FastifyReply,
      session: Session,
      q: ListPageQuery,
      status = 200,
      createError?: StartRefusal,
    ) {
      const filters = filtersOf(q);
      const viewer = viewerOf(session.principal);
      const parties = await directory();
      const show = (s: number, data: Omit<Parameters<typeof listPage>[0], 'filters' | 'viewer' | 'parties'>) =>
        send(reply, s, 'Kesepakatan', listPage({ ...data, filters, viewer, parties }), session.principal);
      let found;
      try {
        const query = validated<Omit<ListQuery, 'cursor'>>(reply.request, ListQuery, filters);
        const cursor = q.cursor ? { cursor: decodeCursor(q.cursor) } : {};
        found = await app.agreements.list(session.principal, { ...query, limit: 20, ...cursor });
      } catch (err) {
        return show(refusalOf(err).status, { items: [], createError: refusalOf(err) });
      }
      const params = (cursor: string) =>
        new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, String(v)])), cursor });
      const nextUrl = found.next ? `/kesepakatan?${params(encodeCursor(found.next))}` : undefined;
      return show(status, {
        items: found.items,
        ...(nextUrl ? { nextUrl } : {}),
        ...(createError ? { createError } : {}),
      });
    }

    app.get('/kesepakatan', routes.list, async (request, reply) =>
      renderList(reply, sessionOf(request), request.query),
    );

    app.post('/kesepakatan', routes.start, async (request, reply) => {
      const session = sessionOf(request);
      const fields = request.body;
      try {
        const input = validated<StartInput>(request, AgreementInput, startBody(fields));
        // The same form sent again (Back, then once more) finds the agreement it started.
        const view = await app.agreements.start(session.principal, input, {
          idempotencyKey: sameFormKey('start', fields),
        });
        return reply.redirect(`/kesepakatan/${encodeURIComponent(view.id)}?ok=create`, 303);
      } catch (err) {
        const refused = refusalOf(err);
        return renderList(reply, session, {}, refused.status, { ...refused, values: request.body });
      }
    });

    async function renderAgreement(
      reply: FastifyReply,
      session: Session,
      id: string,
      extra: Pick<AgreementPageData, 'error' | 'done' | 'allHistory'> = {},
      status = 200,
    ) {
      const { principal } = session;
      let view: AgreementView;
      try {
        view = await app.agreements.read(principal, id);
      } catch (err) {
        const refused = refusalOf(err);
        return send(reply, refused.status === 400 ? 404 : refused.status, 'Tidak ditemukan', notFoundPage(), principal);
      }
      const [access, events, notifications, parties, documents, proposedNumbers] = await Promise.all([
        app.agreements.access(principal, id),
        app.agreements.events(principal, id, { limit: 1000 }),
        app.agreements.notifications(principal, id),
        directory(),
        app.documents.list(principal, id),
        view.stage === 'signing' ? proposedNumbersFor(app.db, view, new Date().toISOString()) : undefined,
      ]);
      const data: AgreementPageData = {
        view,
        events: events.items,
        notifications,
        parties: new Map(parties.map((p) => [p.id, p])),
        documents,
        viewer: { ...viewerOf(principal), ...(access.followUpsOnly ? { followUpsOnly: access.followUpsOnly } : {}) },
        ...(proposedNumbers ? { proposedNumbers } : {}),
        ...extra,
      };
      return send(reply, status, view.title, agreementPage(data), principal);
    }

    app.get('/kesepakatan/:id', routes.agreement, async (request, reply) => {
      const session = sessionOf(request);
      const { ok, riwayat } = request.query;
      const done = ok ? (ok === 'create' ? 'Kesepakatan dimulai.' : 'Tersimpan.') : undefined;
      return renderAgreement(reply, session, request.params.id, {
        ...(done ? { done } : {}),
        allHistory: riwayat === 'semua',
      });
    });

    app.post('/kesepakatan/:id/aksi/:form', routes.action, async (request, reply) => {
      const session = sessionOf(request);
      const { id, form: formId } = request.params;
      const form = FORMS.find((f) => f.id === formId);
      if (!form) throw new HttpError(404, 'not_found', 'Formulir tidak dikenal.');
      const { principal } = session;
      const fields = request.body;
      const sending = { updateId: sameFormKey(formId, fields) };
      try {
        const view = await app.agreements.read(principal, id);
        const parties = new Map((await directory()).map((p) => [p.id, p]));
        const body = validated<never>(request, form.input, form.body(view, fields, parties));
        if (form.command === 'startOperationalAgreement') {
          await app.agreements.startOperationalAgreement(principal, id, body, sending);
        } else {
          await app.agreements.command(principal, id, form.build(view, fields, body), sending);
        }
      } catch (err) {
        const refused = refusalOf(err);
        if (refused.status === 404) return send(reply, 404, 'Tidak ditemukan', notFoundPage(), principal);
        return renderAgreement(
          reply,
          session,
          id,
          { error: { form: formId, ...refused, values: request.body } },
          refused.status,
        );
      }
      return reply.redirect(`/kesepakatan/${encodeURIComponent(id)}?ok=${formId}`, 303);
    });

    app.post('/kesepakatan/:id/tindak-lanjut/:followUpId/selesai', routes.complete, async (request, reply) => {
      const session = sessionOf(request);
      const { id, followUpId } = request.params;
      const note = request.body.note?.trim();
      try {
        const body = validated<{ note?: string }>(request, FollowUpCompleteInput, note ? { note } : {});
        await app.agreements.command(session.principal, id, { type: 'completeFollowUp', followUpId, ...body });
      } catch (err) {
        const refused = refusalOf(err);
        return renderAgreement(
          reply,
          session,
          id,
          { error: { form: 'follow-up', message: refused.message } },
          refused.status,
        );
      }
      return reply.redirect(`/kesepakatan/${encodeURIComponent(id)}?ok=follow-up-done`, 303);
    });

    async function renderCalendars(
      reply: FastifyReply,
      session: Session,
      shown?: Omit<CalendarShown, 'partyName'>,
      month?: string,
    ) {
      const p = session.principal;
      const parties = await directory();
      const mine = parties.filter(
        (x) => p.role === 'admin' || (p.role === 'party' && (x.id === p.partyId || x.parentId === p.partyId)),
      );
      const named = shown
        ? { ...shown, partyName: parties.find((x) => x.id === shown.partyId)?.name ?? shown.partyId }
        : undefined;
      const today = localDate(Date.now(), 'Asia/Jakarta');
      const shownMonth = month ?? today.slice(0, 7);
      const [feeds, entries] = await Promise.all([
        p.role === 'viewer'
          ? new Map<string, FeedItem[]>()
          : liveFeedsOf(
              app.db,
              mine.map((x) => x.id),
            ),
        monthEntries(app.db, p, shownMonth),
      ]);
      const grid = monthView(shownMonth, entries.items, today, entries.capped);
      return send(reply, 200, 'Kalender', calendarsPage(mine, feeds, p.role === 'viewer', named, grid), p);
    }

    app.get('/kalender', routes.calendars, async (request, reply) =>
      renderCalendars(reply, sessionOf(request), undefined, request.query.bulan),
    );

    app.post('/kalender/:partyId', routes.feed, async (request, reply) => {
      const session = sessionOf(request);
      const { partyId } = request.params;
      let feed;
      try {
        feed = await createFeed(app.db, session.principal, partyId, app.publicUrl, app.feedDays);
      } catch (err) {
        const refused = refusalOf(err);
        const body = html`<h1>Tidak dapat membuat tautan</h1><section><p>${refused.message}</p></section>`;
        return send(reply, refused.status, 'Kalender', body, session.principal);
      }
      const url = feed.url.startsWith('/') ? `${request.protocol}://${request.host}${feed.url}` : feed.url;
      return renderCalendars(reply, session, { partyId, url });
    });

    app.post('/kalender/:partyId/cabut', routes.feed, async (request, reply) => {
      const session = sessionOf(request);
      const { partyId } = request.params;
      const revoked = await revokeFeeds(app.db, session.principal, partyId).catch(
        (err: unknown) => (refusalOf(err), 0),
      );
      return renderCalendars(reply, session, { partyId, revoked });
    });

    app.post('/kalender/:partyId/:feedId/cabut', routes.oneFeed, async (request, reply) => {
      const session = sessionOf(request);
      const { partyId, feedId } = request.params;
      const revoked = await revokeFeeds(app.db, session.principal, partyId, feedId).catch(
        (err: unknown) => (refusalOf(err), 0),
      );
      return renderCalendars(reply, session, { partyId, revoked });
    });

    await app.register(directoryRoutes({ send, sessionOf, guarded }));
    await app.register(pksRoutes({ send, sessionOf, guarded }));
    await app.register(reportPageRoutes({ send, sessionOf, guarded }));
    await app.register(documentPageRoutes({ send, sessionOf, guarded }, deps.maxUploadBytes ?? 25 * 1024 * 1024));

    app.get('/sesi', routes.sessions, async (request, reply) => {
      const { principal } = sessionOf(request);
      const person = principal.kind === 'person';
      const id = request.cookies[SESSION_COOKIE];
      const items = person ? await listSessions(app.db, principal.id) : [];
      const opts = {
        admin: principal.role === 'admin',
        person,
        ...(request.query.ended !== undefined ? { ended: request.query.ended } : {}),
      };
      return send(reply, 200, 'Sesi aktif', sessionsPage(items, id ? handleOf(id) : undefined, opts), principal);
    });

    app.post('/sesi/:handle/akhiri', routes.endSession, async (request, reply) => {
      const { principal } = sessionOf(request);
      const ended = principal.kind === 'person' ? await endSessionsOf(app.db, principal.id, request.params.handle) : 0;
      request.log.info({ email: principal.id, ended }, 'session ended by its owner');
      const id = request.cookies[SESSION_COOKIE];
      if (id && handleOf(id) === request.params.handle) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.redirect('/masuk', 303);
      }
      return reply.redirect(`/sesi?ended=${ended}`, 303);
    });

    app.post('/sesi/orang', routes.endSessionsOf, async (request, reply) => {
      const { principal } = sessionOf(request);
      if (principal.role !== 'admin')
        throw new HttpError(403, 'forbidden', 'Hanya admin yang boleh mengakhiri sesi orang lain.');
      const ended = await endSessionsOf(app.db, request.body.email);
      request.log.info(
        { by: principal.id, email: request.body.email.toLowerCase(), ended },
        'sessions of a person ended by an admin',
      );
      return reply.redirect(`/sesi?ended=${ended}`, 303);
    });

    app.get('/tenggat', routes.deadlines, async (request, reply) => {
      const session = sessionOf(request);
      const partyId = request.query.partyId || undefined;
      const parties = await directory();
      let items: DeadlineItem[] = [];
      try {
        const query = validated<{ partyId?: string }>(request, FollowUpListQuery, partyId ? { partyId } : {});
        items = await openFollowUps(app.db, session.principal, { ...query, limit: 500 });
      } catch (err) {
        return send(reply, refusalOf(err).status, 'Tenggat', deadlinesPage([], partyId, parties), session.principal);
      }
      return send(reply, 200, 'Tenggat', deadlinesPage(items, partyId, parties), session.principal);
    });
  };
}
