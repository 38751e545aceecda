// The agreements on the dashboard: the list with its filters and the start form, one agreement's page with its
// forms, and the deadlines across agreements. Each form goes through the same service as /v1.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { listParties, type Party } from '../../services/directory.js';
import { attempt, hidden, notFoundPage, viewerOf, type PageKit, type Session } from './kit.js';
import { createHash } from 'node:crypto';
import { localDate } from '../../domain/dates.js';
import type { StartInput } from '../../services/agreements.js';
import { decodeCursor, encodeCursor } from '../../services/agreement-reads.js';
import { openFollowUps } from '../../services/follow-ups.js';
import { proposedNumbers as proposedNumbersFor } from '../../services/numbers.js';
import { HttpError } from '../errors.js';
import {
  AgreementInput,
  FollowUpCompleteInput,
  FollowUpListQuery,
  ListQuery,
  OperationalAgreementInput,
} from '../schemas/agreements.js';
import { FORMS, inputOf } from './forms.js';
import { commandFrom } from '../catalogue.js';
import type { OperationalAgreementRequest } from '../../services/agreements.js';
import { agreementPage, type AgreementPageData } from './pages/agreement.js';
import { listPage, type ListFilters, type StartRefusal } from './pages/agreements-list.js';
import { deadlinesPage } from './pages/deadlines.js';
import {
  ActionParams,
  AgreementPageQuery,
  AgreementParams,
  CompleteFollowUpForm,
  DeadlinesQuery,
  FollowUpParams,
  FormBody,
  ListPageQuery,
} from './schemas.js';
import { validated } from './validate.js';

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

/** What the page says after a form went through, where "Tersimpan." says too little. */
const DONE: Record<string, string> = {
  create: 'Kesepakatan dimulai.',
  'signing-electronic': 'Penandatanganan elektronik dimulai; orang pertama dalam urutan sudah dikirimi e-mail.',
  tte: 'Salinan bertanda tangan diterima dan terverifikasi; orang berikutnya sudah dikirimi e-mail.',
  'tte-selesai': 'Tanda tangan terakhir terverifikasi: kesepakatan tercatat ditandatangani secara elektronik.',
};

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

export function agreementPageRoutes(kit: PageKit): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { send, sessionOf, guarded } = kit;
    const routes = {
      list: { ...guarded, schema: { ...hidden, querystring: ListPageQuery } },
      start: { ...guarded, schema: { ...hidden, body: FormBody } },
      agreement: { ...guarded, schema: { ...hidden, params: AgreementParams, querystring: AgreementPageQuery } },
      action: { ...guarded, schema: { ...hidden, params: ActionParams, body: FormBody } },
      complete: { ...guarded, schema: { ...hidden, params: FollowUpParams, body: CompleteFollowUpForm } },
      deadlines: { ...guarded, schema: { ...hidden, querystring: DeadlinesQuery } },
    };
    const directory = async (): Promise<Party[]> => listParties(app.db);

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
      const got = await attempt(async () => {
        const query = validated<Omit<ListQuery, 'cursor'>>(reply.request, ListQuery, filters);
        const cursor = q.cursor ? { cursor: decodeCursor(q.cursor) } : {};
        return app.agreements.list(session.principal, { ...query, limit: 20, ...cursor });
      });
      if (!got.ok) return show(got.refused.status, { items: [], createError: got.refused });
      const found = got.value;
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
      const started = await attempt(() =>
        // The same form sent again (Back, then once more) finds the agreement it started.
        app.agreements.start(session.principal, validated<StartInput>(request, AgreementInput, startBody(fields)), {
          idempotencyKey: sameFormKey('start', fields),
        }),
      );
      if (!started.ok) {
        const { refused } = started;
        return renderList(reply, session, {}, refused.status, { ...refused, values: request.body });
      }
      return reply.redirect(`/kesepakatan/${encodeURIComponent(started.value.id)}?ok=create`, 303);
    });

    async function renderAgreement(
      reply: FastifyReply,
      session: Session,
      id: string,
      extra: Pick<AgreementPageData, 'error' | 'done' | 'allHistory'> = {},
      status = 200,
    ) {
      const { principal } = session;
      const read = await attempt(() => app.agreements.read(principal, id));
      if (!read.ok) {
        const status = read.refused.status === 400 ? 404 : read.refused.status;
        return send(reply, status, 'Tidak ditemukan', notFoundPage(), principal);
      }
      const view = read.value;
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
      const done = ok ? (DONE[ok] ?? 'Tersimpan.') : undefined;
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
      const sent = await attempt(async () => {
        const view = await app.agreements.read(principal, id);
        const parties = new Map((await directory()).map((p) => [p.id, p]));
        const raw = form.body(view, fields, parties);
        if (form.command === 'startOperationalAgreement') {
          const pks = validated<OperationalAgreementRequest>(request, OperationalAgreementInput, raw);
          return app.agreements.startOperationalAgreement(principal, id, pks, sending);
        }
        // The schema's refusal names the field in the form's words; the catalogue then makes the command.
        validated<unknown>(request, inputOf(form), raw);
        const params = { id, ...form.params?.(view, fields) };
        return app.agreements.command(principal, id, commandFrom(form.command, params, raw), sending);
      });
      if (!sent.ok) {
        const { refused } = sent;
        if (refused.status === 404) return send(reply, 404, 'Tidak ditemukan', notFoundPage(), principal);
        const error = { form: formId, ...refused, values: request.body };
        return renderAgreement(reply, session, id, { error }, refused.status);
      }
      return reply.redirect(`/kesepakatan/${encodeURIComponent(id)}?ok=${formId}`, 303);
    });

    app.post('/kesepakatan/:id/tindak-lanjut/:followUpId/selesai', routes.complete, async (request, reply) => {
      const session = sessionOf(request);
      const { id, followUpId } = request.params;
      const note = request.body.note?.trim();
      const done = await attempt(() => {
        const body = validated<unknown>(request, FollowUpCompleteInput, note ? { note } : {});
        return app.agreements.command(session.principal, id, commandFrom('completeFollowUp', { id, followUpId }, body));
      });
      if (!done.ok) {
        const error = { form: 'follow-up', message: done.refused.message };
        return renderAgreement(reply, session, id, { error }, done.refused.status);
      }
      return reply.redirect(`/kesepakatan/${encodeURIComponent(id)}?ok=follow-up-done`, 303);
    });

    app.get('/tenggat', routes.deadlines, async (request, reply) => {
      const session = sessionOf(request);
      const partyId = request.query.partyId || undefined;
      const parties = await directory();
      const found = await attempt(() => {
        const query = validated<{ partyId?: string }>(request, FollowUpListQuery, partyId ? { partyId } : {});
        return openFollowUps(app.db, session.principal, { ...query, limit: 500 });
      });
      if (!found.ok) {
        return send(reply, found.refused.status, 'Tenggat', deadlinesPage([], partyId, parties), session.principal);
      }
      const items = found.value;
      return send(reply, 200, 'Tenggat', deadlinesPage(items, partyId, parties), session.principal);
    });
  };
}
