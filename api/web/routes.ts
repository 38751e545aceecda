// The dashboard at `/`: server-rendered pages in Indonesian that act through the /v1 API with the signed-in token.
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AgreementSummary, AgreementView } from '../../domain/view.js';
import { authenticate, type Principal } from '../auth.js';
import { HttpError } from '../errors.js';
import { isAllowedText } from '../schemas/common.js';
import { callApi } from './api-client.js';
import { FORMS, type Viewer } from './forms.js';
import { linkRoutes, type LinkDeps } from './links.js';
import { html } from './html.js';
import { page } from './layout.js';
import { agreementPage, calendarsPage, deadlinesPage, listPage, signInPage, type AgreementPageData, type DeadlineItem, type ListFilters } from './views.js';

export const SESSION_COOKIE = 'sinergi_sesi';

export interface WebDeps extends LinkDeps {
  adminToken?: string;
  secureCookies: boolean;
}

type Form = URLSearchParams;

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

    async function renderList(request: FastifyRequest, reply: FastifyReply, session: { token: string; principal: Principal }, status = 200, createError?: { message: string; field?: string }) {
      const q = request.query as Record<string, string | undefined>;
      const filters: ListFilters = {
        ...(q.stage ? { stage: q.stage } : {}),
        ...(q.partyId ? { partyId: q.partyId } : {}),
        ...(q.instrument ? { instrument: q.instrument } : {}),
        ...(q.overdue === 'true' ? { overdue: true } : {}),
        ...(q.q ? { q: q.q } : {}),
      };
      const params = new URLSearchParams({ limit: '20', ...(filters.stage ? { stage: filters.stage } : {}), ...(filters.instrument ? { instrument: filters.instrument } : {}), ...(filters.partyId ? { partyId: filters.partyId } : {}), ...(filters.overdue ? { overdue: 'true' } : {}), ...(filters.q ? { q: filters.q } : {}), ...(q.cursor ? { cursor: q.cursor } : {}) });
      const res = await callApi<{ items: AgreementSummary[]; nextCursor: string | null; error?: { message: string } }>(app, session.token, 'GET', `/v1/agreements?${params}`);
      if (res.status !== 200) return send(reply, res.status, 'Kesepakatan', listPage([], filters, undefined, viewerOf(session.principal), { message: res.body.error?.message ?? 'Permintaan tidak valid.' }), session.principal);
      const items = res.body.items;
      const next = res.body.nextCursor ? `/kesepakatan?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, String(v)])), cursor: res.body.nextCursor })}` : undefined;
      return send(reply, status, 'Kesepakatan', listPage(items, filters, next, viewerOf(session.principal), createError), session.principal);
    }

    app.get('/kesepakatan', { schema: { hide: true } }, guarded((request, reply, session) => renderList(request, reply, session)));

    app.post('/kesepakatan', { schema: { hide: true } }, guarded(async (request, reply, session) => {
      const f = (request.body as Form | undefined) ?? new URLSearchParams();
      const lines = (s: string | null) => (s ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
      const body = {
        title: f.get('title') ?? '',
        instrument: f.get('instrument') ?? '',
        parties: [{ partyId: f.get('initiator')?.trim() ?? '', role: 'initiator' }, ...lines(f.get('counterparts')).map((partyId) => ({ partyId, role: 'counterpart' }))],
        scope: lines(f.get('scope')),
      };
      const res = await callApi(app, session.token, 'POST', '/v1/agreements', body);
      if (res.status === 201) return reply.redirect(`/kesepakatan/${encodeURIComponent(res.body.id)}?ok=create`, 303);
      return renderList(request, reply, session, res.status, { message: res.body.error.message, ...(res.body.error.field ? { field: res.body.error.field } : {}) });
    }));

    async function renderAgreement(reply: FastifyReply, session: { token: string; principal: Principal }, id: string, extra: Pick<AgreementPageData, 'error' | 'done'> = {}, status = 200) {
      const path = `/v1/agreements/${encodeURIComponent(id)}`;
      const viewRes = await callApi<AgreementView & { error?: { message: string } }>(app, session.token, 'GET', path);
      if (viewRes.status !== 200) return send(reply, viewRes.status === 400 ? 404 : viewRes.status, 'Tidak ditemukan', page404(), session.principal);
      const [events, notifications, parties] = await Promise.all([
        callApi(app, session.token, 'GET', `${path}/events?limit=1000`),
        callApi(app, session.token, 'GET', `${path}/notifications`),
        callApi(app, session.token, 'GET', '/v1/parties'),
      ]);
      const partyMap = new Map((parties.body.items as { id: string; name: string; contacts: [] }[]).map((p) => [p.id, p]));
      return send(reply, status, viewRes.body.title, agreementPage({ view: viewRes.body, events: events.body.items, notifications: notifications.body.items, parties: partyMap, viewer: viewerOf(session.principal), ...extra }), session.principal);
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
      const current = await callApi<AgreementView>(app, session.token, 'GET', `/v1/agreements/${encodeURIComponent(id)}`);
      if (current.status !== 200) return send(reply, 404, 'Tidak ditemukan', page404(), session.principal);
      const f = (request.body as Form | undefined) ?? new URLSearchParams();
      const res = await callApi(app, session.token, 'POST', form.path(current.body, f), form.body(current.body, f));
      if (res.status < 300) return reply.redirect(`/kesepakatan/${encodeURIComponent(id)}?ok=${formId}`, 303);
      const error = { form: formId, message: res.body?.error?.message ?? 'Permintaan ditolak.', ...(res.body?.error?.field ? { field: res.body.error.field } : {}) };
      return renderAgreement(reply, session, id, { error }, res.status);
    }));

    app.post('/kesepakatan/:id/tindak-lanjut/:followUpId/selesai', { schema: { hide: true } }, guarded(async (request, reply, session) => {
      const { id, followUpId } = request.params as { id: string; followUpId: string };
      const note = (request.body as Form | undefined)?.get('note')?.trim();
      const res = await callApi(app, session.token, 'POST', `/v1/agreements/${encodeURIComponent(id)}/follow-ups/${encodeURIComponent(followUpId)}/complete`, note ? { note } : {});
      if (res.status < 300) return reply.redirect(`/kesepakatan/${encodeURIComponent(id)}?ok=follow-up-done`, 303);
      return renderAgreement(reply, session, id, { error: { form: 'follow-up', message: res.body?.error?.message ?? 'Permintaan ditolak.' } }, res.status);
    }));

    async function renderCalendars(reply: FastifyReply, session: { token: string; principal: Principal }, shown?: { partyId: string; url?: string; revoked?: number }) {
      const res = await callApi<{ items: { id: string; name: string; parentId?: string }[] }>(app, session.token, 'GET', '/v1/parties');
      const p = session.principal;
      const mine = res.body.items.filter((x) => p.role === 'admin' || (p.role === 'party' && (x.id === p.partyId || x.parentId === p.partyId)));
      return send(reply, 200, 'Kalender', calendarsPage(mine, p.role === 'viewer', shown), p);
    }

    app.get('/kalender', { schema: { hide: true } }, guarded((_request, reply, session) => renderCalendars(reply, session)));

    app.post('/kalender/:partyId', { schema: { hide: true } }, guarded(async (request, reply, session) => {
      const { partyId } = request.params as { partyId: string };
      const res = await callApi<{ url: string }>(app, session.token, 'POST', `/v1/parties/${encodeURIComponent(partyId)}/calendar-feeds`);
      if (res.status !== 201) return send(reply, res.status, 'Kalender', html`<h1>Tidak dapat membuat tautan</h1><section><p>${(res.body as { error?: { message: string } }).error?.message ?? ''}</p></section>`, session.principal);
      const url = res.body.url.startsWith('/') ? `${request.protocol}://${request.host}${res.body.url}` : res.body.url;
      return renderCalendars(reply, session, { partyId, url });
    }));

    app.post('/kalender/:partyId/cabut', { schema: { hide: true } }, guarded(async (request, reply, session) => {
      const { partyId } = request.params as { partyId: string };
      const res = await callApi<{ revoked: number }>(app, session.token, 'POST', `/v1/parties/${encodeURIComponent(partyId)}/calendar-feeds/revoke`);
      return renderCalendars(reply, session, { partyId, revoked: res.body.revoked ?? 0 });
    }));

    app.get('/tenggat', { schema: { hide: true } }, guarded(async (request, reply, session) => {
      const partyId = (request.query as { partyId?: string }).partyId || undefined;
      const res = await callApi<{ items: DeadlineItem[] }>(app, session.token, 'GET', `/v1/follow-ups?limit=500${partyId ? `&partyId=${encodeURIComponent(partyId)}` : ''}`);
      return send(reply, res.status === 200 ? 200 : res.status, 'Tenggat', deadlinesPage(res.status === 200 ? res.body.items : [], partyId), session.principal);
    }));
  };
}

function page404() {
  return html`<h1>Tidak ditemukan</h1><section><p>Kesepakatan ini tidak ditemukan, atau Anda tidak berhak melihatnya.</p><p><a href="/kesepakatan">Kembali ke daftar</a></p></section>`;
}
