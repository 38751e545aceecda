// The dashboard at `/`: server-rendered pages in Indonesian that act through the same services as the /v1 API.
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import type { AgreementView } from '../../domain/view.js';
import type { StartInput } from '../../services/agreements.js';
import { decodeCursor, encodeCursor } from '../../services/agreement-reads.js';
import { createFeed, revokeFeeds } from '../../services/calendar-feeds.js';
import { listParties } from '../../services/directory.js';
import { openFollowUps, type DeadlineItem } from '../../services/follow-ups.js';
import { authenticate, type Principal } from '../auth.js';
import { HttpError, validationRefusal } from '../errors.js';
import { AgreementInput, FollowUpCompleteInput, FollowUpListQuery, ListQuery } from '../schemas/agreements.js';
import { isAllowedText } from '../schemas/common.js';
import { FORMS, type Viewer } from './forms.js';
import { linkRoutes, type LinkDeps } from './links.js';
import { html } from './html.js';
import { page } from './layout.js';
import { agreementPage, calendarsPage, deadlinesPage, listPage, signInPage, type AgreementPageData, type ListFilters } from './views.js';

export const SESSION_COOKIE = 'sinergi_sesi';

export interface WebDeps extends LinkDeps {
  adminToken?: string;
  secureCookies: boolean;
}

type Form = URLSearchParams;
type Session = { token: string; principal: Principal };
type ListQueryInput = { stage?: string; instrument?: string; partyId?: string; overdue?: boolean; q?: string; cursor?: string };
type AgreementInputBody = StartInput;
type OperationalAgreementBody = { id?: string; partyId: string; title: string; scope: string[]; dueBy?: string };

export function webRoutes(deps: WebDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    // Forms post urlencoded bodies; this parser exists only inside the dashboard's routes, not under /v1.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
      const form = new URLSearchParams(body as string);
      // The shared text rule, for every field of every form (dashboard and e-mail links) before anything reads it.
      for (const [name, value] of form) {
        if (!isAllowedText(name) || !isAllowedText(value)) {
          done(new HttpError(400, 'invalid_input', `${isAllowedText(name) ? name : 'form'}: berisi karakter yang tidak diizinkan (NUL, karakter kendali, atau surrogate UTF-16 tanpa pasangan).`, isAllowedText(name) ? name : 'form'), undefined);
          return;
        }
      }
      done(null, form);
    });
    // A refused form is a page a person can read, not JSON.
    app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
      const status = error.statusCode ?? 500;
      if (status >= 500) {
        request.log.error({ err: error }, 'page failed');
        return send(reply, 500, 'Kesalahan', html`<h1>Terjadi kesalahan</h1><section><p>Silakan coba lagi.</p></section>`);
      }
      const field = error instanceof HttpError && error.field ? error.field : undefined;
      return send(reply, status, 'Permintaan ditolak', html`<h1>Permintaan ditolak</h1><section><p role="alert">${error.message}</p>${field ? html`<p>Kolom: <code>${field}</code></p>` : ''}</section>`);
    });

    async function signedIn(request: FastifyRequest): Promise<{ token: string; principal: Principal } | undefined> {
      const token = request.cookies[SESSION_COOKIE];
      if (!token) return undefined;
      try {
        return { token, principal: await authenticate(deps.db, deps.adminToken, `Bearer ${token}`) };
      } catch {
        return undefined;
      }
    }

    const viewerOf = (p: Principal): Viewer => ({ role: p.role, ...(p.partyId ? { partyId: p.partyId } : {}) });
    const send = (reply: FastifyReply, status: number, title: string, body: Parameters<typeof page>[1], who?: Principal) =>
      reply.status(status).type('text/html; charset=utf-8').send(page(title, body, who ? { signedIn: viewerOf(who) } : {}));

    /** Runs a page handler for a signed-in person; anyone else goes to the sign-in page. */
    const guarded =
      (handler: (request: FastifyRequest, reply: FastifyReply, session: { token: string; principal: Principal }) => Promise<unknown>) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        const session = await signedIn(request);
        if (!session) return reply.redirect('/masuk', 303);
        return handler(request, reply, session);
      };

    await app.register(linkRoutes(deps));

    app.get('/', { schema: { hide: true } }, async (request, reply) => reply.redirect((await signedIn(request)) ? '/kesepakatan' : '/masuk', 303));

    app.get('/masuk', { schema: { hide: true } }, async (_request, reply) => send(reply, 200, 'Masuk', signInPage()));

    app.post('/masuk', { schema: { hide: true } }, async (request, reply) => {
      const token = (request.body as Form | undefined)?.get('token')?.trim() ?? '';
      try {
        await authenticate(deps.db, deps.adminToken, `Bearer ${token}`);
      } catch {
        return send(reply, 401, 'Masuk', signInPage('Token tidak dikenal, sudah dicabut, atau kedaluwarsa.'));
      }
      reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: deps.secureCookies, path: '/', maxAge: 12 * 3600 });
      return reply.redirect('/kesepakatan', 303);
    });

    app.post('/keluar', { schema: { hide: true } }, async (_request, reply) => {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/masuk', 303);
    });

    /** The form's body checked against the /v1 route's own schema: the same 400, naming the same field. */
    function validated(request: FastifyRequest, schema: TSchema, body: unknown): unknown {
      const check = request.compileValidationSchema(schema as unknown as Record<string, unknown>);
      if (!check(body)) throw validationRefusal(check.errors ?? [], 'body');
      return body;
    }

    const refusalOf = (err: unknown): { status: number; message: string; field?: string } => {
      if (!(err instanceof HttpError)) throw err;
      return { status: err.statusCode, message: err.message, ...(err.field ? { field: err.field } : {}) };
    };

    async function renderList(request: FastifyRequest, reply: FastifyReply, session: Session, status = 200, createError?: { message: string; field?: string }) {
      const q = request.query as Record<string, string | undefined>;
      const filters: ListFilters = {
        ...(q.stage ? { stage: q.stage } : {}),
        ...(q.partyId ? { partyId: q.partyId } : {}),
        ...(q.instrument ? { instrument: q.instrument } : {}),
        ...(q.overdue === 'true' ? { overdue: true } : {}),
        ...(q.q ? { q: q.q } : {}),
      };
      const viewer = viewerOf(session.principal);
      let page;
      try {
        const { cursor, ...query } = validated(request, ListQuery, { ...filters, ...(q.cursor ? { cursor: q.cursor } : {}) }) as ListQueryInput;
        page = await app.agreements.list(session.principal, { ...query, limit: 20, ...(cursor ? { cursor: decodeCursor(cursor) } : {}) });
      } catch (err) {
        const refused = refusalOf(err);
        return send(reply, refused.status, 'Kesepakatan', listPage([], filters, undefined, viewer, refused), session.principal);
      }
      const nextQuery = (cursor: string) => new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, String(v)])), cursor });
      const next = page.next ? `/kesepakatan?${nextQuery(encodeCursor(page.next))}` : undefined;
      return send(reply, status, 'Kesepakatan', listPage(page.items, filters, next, viewer, createError), session.principal);
    }

    app.get('/kesepakatan', { schema: { hide: true } }, guarded((request, reply, session) => renderList(request, reply, session)));

    app.post('/kesepakatan', { schema: { hide: true } }, guarded(async (request, reply, session) => {
      const f = (request.body as Form | undefined) ?? new URLSearchParams();
      const lines = (s: string | null) => (s ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
      const body = {
        title: f.get('title') ?? '',
        instrument: f.get('instrument') ?? '',
        parties: [
          { partyId: f.get('initiator')?.trim() ?? '', role: 'initiator' },
          ...lines(f.get('counterparts')).map((partyId) => ({ partyId, role: 'counterpart' })),
        ],
        scope: lines(f.get('scope')),
      };
      try {
        const view = await app.agreements.start(session.principal, validated(request, AgreementInput, body) as AgreementInputBody);
        return reply.redirect(`/kesepakatan/${encodeURIComponent(view.id)}?ok=create`, 303);
      } catch (err) {
        const refused = refusalOf(err);
        return renderList(request, reply, session, refused.status, refused);
      }
    }));

    async function renderAgreement(reply: FastifyReply, session: Session, id: string, extra: Pick<AgreementPageData, 'error' | 'done'> = {}, status = 200) {
      const { principal } = session;
      let view: AgreementView;
      try {
        view = await app.agreements.read(principal, id);
      } catch (err) {
        return send(reply, refusalOf(err).status === 400 ? 404 : refusalOf(err).status, 'Tidak ditemukan', page404(), principal);
      }
      const [events, notifications, parties] = await Promise.all([
        app.agreements.events(principal, id, { limit: 1000 }),
        app.agreements.notifications(principal, id),
        listParties(app.db),
      ]);
      const data: AgreementPageData = {
        view, events: events.items as AgreementPageData['events'], notifications, parties: new Map(parties.map((p) => [p.id, p])),
        viewer: viewerOf(principal), ...extra,
      };
      return send(reply, status, view.title, agreementPage(data), principal);
    }

    app.get('/kesepakatan/:id', { schema: { hide: true } }, guarded(async (request, reply, session) => {
      const ok = (request.query as { ok?: string }).ok;
      const done = ok ? (ok === 'create' ? 'Kesepakatan dimulai.' : 'Tersimpan.') : undefined;
      return renderAgreement(reply, session, (request.params as { id: string }).id, done ? { done } : {});
    }));

    app.post('/kesepakatan/:id/aksi/:form', { schema: { hide: true } }, guarded(async (request, reply, session) => {
      const { id, form: formId } = request.params as { id: string; form: string };
      const form = FORMS.find((f) => f.id === formId);
      if (!form) throw new HttpError(404, 'not_found', 'Formulir tidak dikenal.');
      const { principal } = session;
      try {
        const view = await app.agreements.read(principal, id);
        const f = (request.body as Form | undefined) ?? new URLSearchParams();
        const directory = new Map((await listParties(app.db)).map((p) => [p.id, p]));
        const body = validated(request, form.input, form.body(view, f, directory));
        if (form.command === 'startOperationalAgreement') {
          await app.agreements.startOperationalAgreement(principal, id, body as OperationalAgreementBody);
        } else {
          await app.agreements.command(principal, id, form.build(view, f, body as never));
        }
      } catch (err) {
        const refused = refusalOf(err);
        if (refused.status === 404) return send(reply, 404, 'Tidak ditemukan', page404(), principal);
        return renderAgreement(reply, session, id, { error: { form: formId, ...refused } }, refused.status);
      }
      return reply.redirect(`/kesepakatan/${encodeURIComponent(id)}?ok=${formId}`, 303);
    }));

    app.post('/kesepakatan/:id/tindak-lanjut/:followUpId/selesai', { schema: { hide: true } }, guarded(async (request, reply, session) => {
      const { id, followUpId } = request.params as { id: string; followUpId: string };
      const note = (request.body as Form | undefined)?.get('note')?.trim();
      try {
        const body = validated(request, FollowUpCompleteInput, note ? { note } : {}) as { note?: string };
        await app.agreements.command(session.principal, id, { type: 'completeFollowUp', followUpId, ...body });
      } catch (err) {
        const refused = refusalOf(err);
        return renderAgreement(reply, session, id, { error: { form: 'follow-up', message: refused.message } }, refused.status);
      }
      return reply.redirect(`/kesepakatan/${encodeURIComponent(id)}?ok=follow-up-done`, 303);
    }));

    async function renderCalendars(reply: FastifyReply, session: Session, shown?: { partyId: string; url?: string; revoked?: number }) {
      const p = session.principal;
      const mine = (await listParties(app.db)).filter((x) => p.role === 'admin' || (p.role === 'party' && (x.id === p.partyId || x.parentId === p.partyId)));
      return send(reply, 200, 'Kalender', calendarsPage(mine, p.role === 'viewer', shown), p);
    }

    app.get('/kalender', { schema: { hide: true } }, guarded((_request, reply, session) => renderCalendars(reply, session)));

    app.post('/kalender/:partyId', { schema: { hide: true } }, guarded(async (request, reply, session) => {
      const { partyId } = request.params as { partyId: string };
      let feed;
      try {
        feed = await createFeed(app.db, session.principal, partyId, app.publicUrl);
      } catch (err) {
        const refused = refusalOf(err);
        return send(reply, refused.status, 'Kalender', html`<h1>Tidak dapat membuat tautan</h1><section><p>${refused.message}</p></section>`, session.principal);
      }
      const url = feed.url.startsWith('/') ? `${request.protocol}://${request.host}${feed.url}` : feed.url;
      return renderCalendars(reply, session, { partyId, url });
    }));

    app.post('/kalender/:partyId/cabut', { schema: { hide: true } }, guarded(async (request, reply, session) => {
      const { partyId } = request.params as { partyId: string };
      const revoked = await revokeFeeds(app.db, session.principal, partyId).catch((err: unknown) => (refusalOf(err), 0));
      return renderCalendars(reply, session, { partyId, revoked });
    }));

    app.get('/tenggat', { schema: { hide: true } }, guarded(async (request, reply, session) => {
      const partyId = (request.query as { partyId?: string }).partyId || undefined;
      let items: DeadlineItem[] = [];
      try {
        const query = validated(request, FollowUpListQuery, partyId ? { partyId } : {}) as { partyId?: string };
        items = await openFollowUps(app.db, session.principal, { ...query, limit: 500 });
      } catch (err) {
        return send(reply, refusalOf(err).status, 'Tenggat', deadlinesPage([], partyId), session.principal);
      }
      return send(reply, 200, 'Tenggat', deadlinesPage(items, partyId), session.principal);
    }));
  };
}

function page404() {
  return html`<h1>Tidak ditemukan</h1><section><p>Kesepakatan ini tidak ditemukan, atau Anda tidak berhak melihatnya.</p><p><a href="/kesepakatan">Kembali ke daftar</a></p></section>`;
}
