// Starting agreements and reading them back: the view, the list, the audit trail, the e-mails.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { CommandOf } from '../../domain/commands.js';
import { localDate } from '../../domain/dates.js';
import { EMPTY_CALENDAR, WorkingCalendar } from '../../domain/calendar.js';
import { decide } from '../../domain/decide.js';
import { initialState } from '../../domain/evolve.js';
import { DEFAULT_POLICY, DEFAULT_TERM_MONTHS, type TimeZone } from '../../domain/types.js';
import { toSummary } from '../../domain/view.js';
import { TASK_QUEUE, startedUpdate, viewQuery, workflowIdFor } from '../../workflows/messages.js';
import type { AgreementWorkflowInput } from '../../workflows/messages.js';
import type { AppDeps } from '../app.js';
import { readView, listViews, withChildren } from '../../services/agreement-reads.js';
import { requireAccess } from '../auth.js';
import { idFromKey, idempotencyKeyOf } from '../idempotency.js';
import { HttpError, fromTemporal } from '../errors.js';
import { AgreementInput, AgreementParams, ListQuery, ViewQuery } from '../schemas/agreements.js';
import { READ_ERRORS, WRITE_ERRORS } from '../schemas/common.js';
import { loadVisibleAgreement, visibleParties } from '../../services/access.js';

export const ViewBody = Type.Object({}, { additionalProperties: true, description: 'The agreement view (API.md)' });
const SummaryBody = Type.Object(
  { id: Type.String(), title: Type.String(), stage: Type.String(), followUpsOpen: Type.Integer(), followUpsOverdue: Type.Integer() },
  { additionalProperties: true, description: 'One row of the list: the agreement without its meetings, drafts and follow-ups' },
);
const EventsQuery = Type.Object(
  { after: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e9 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
  { additionalProperties: false },
);
const EventsBody = Type.Object({
  items: Type.Array(Type.Object({ version: Type.Integer() }, { additionalProperties: true })),
  nextAfter: Type.Union([Type.Integer(), Type.Null()], { description: 'pass as `after` for the next page; null on the last' }),
});

function encodeCursor(c: { createdAt: string; id: string }): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');
}

function decodeCursor(raw: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(createdAt))) return { createdAt, id };
  } catch {
    // fall through
  }
  throw new HttpError(400, 'invalid_input', 'cursor tidak dikenal; gunakan nilai nextCursor dari halaman sebelumnya.', 'cursor');
}

export const agreementRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  const { db, temporal } = deps;

  app.post('/v1/agreements', { schema: { tags: ['agreements'], body: AgreementInput, response: { 201: ViewBody, ...WRITE_ERRORS } } }, async (request, reply) => {
    const principal = requireAccess(request, 'act');
    const body = request.body;
    const key = idempotencyKeyOf(request);
    // With an Idempotency-Key and no id, the id comes from the key: a retried or doubled create finds the same agreement.
    const id = body.id ?? (key ? idFromKey(principal.id, key) : randomUUID());
    const partyIds = body.parties.map((p) => p.partyId);
    if (principal.role === 'party') {
      const visible = (await visibleParties(db, principal)) ?? [];
      if (!partyIds.some((p) => visible.includes(p))) throw new HttpError(403, 'forbidden', 'Token ini hanya boleh memulai kesepakatan yang melibatkan pihaknya sendiri.', 'parties');
    }
    const known = await db.selectFrom('parties').select(['id', 'time_zone']).where('id', 'in', partyIds).execute();
    const zone = new Map(known.map((k) => [k.id, k.time_zone as TimeZone]));
    body.parties.forEach((p, i) => {
      if (!zone.has(p.partyId)) throw new HttpError(400, 'unknown_party', `Pihak "${p.partyId}" tidak terdaftar.`, `parties[${i}].partyId`);
    });
    for (const field of ['parentId', 'renewalOf'] as const) {
      const ref = body[field];
      if (ref && !(await db.selectFrom('agreements').select('id').where('id', '=', ref).executeTakeFirst())) {
        throw new HttpError(400, 'unknown_agreement', `Kesepakatan "${ref}" tidak ada.`, field);
      }
    }
    const start: CommandOf<'startAgreement'> = {
      type: 'startAgreement',
      title: body.title,
      instrument: body.instrument,
      parties: body.parties.map((p) => ({ partyId: p.partyId, role: p.role, timeZone: zone.get(p.partyId)! })),
      scope: body.scope,
      termMonths: body.termMonths ?? DEFAULT_TERM_MONTHS,
      policy: { ...DEFAULT_POLICY, ...body.policy },
      ...(body.parentId ? { parentId: body.parentId } : {}),
      ...(body.renewalOf ? { renewalOf: body.renewalOf } : {}),
    };
    try {
      decide(initialState(id), start, { now: new Date().toISOString(), newId: () => 'check', calendar: new WorkingCalendar(EMPTY_CALENDAR) });
    } catch (err) {
      throw fromTemporal(err);
    }
    const keyed = key !== undefined && body.id === undefined;
    if (!keyed && (await db.selectFrom('agreements').select('id').where('id', '=', id).executeTakeFirst())) {
      throw new HttpError(409, 'id_taken', `Kesepakatan dengan id "${id}" sudah ada.`, 'id');
    }
    const input: AgreementWorkflowInput = { agreementId: id, start, actor: principal };
    try {
      const handle = await temporal.workflow.start('agreementWorkflow', {
        workflowId: workflowIdFor(id),
        taskQueue: TASK_QUEUE,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      const view = await handle.executeUpdate(startedUpdate);
      request.log.info({ agreementId: id, workflowId: handle.workflowId }, 'agreement started');
      return reply.status(201).send(view);
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError && keyed) {
        // The same create, already on its way: answer with that agreement.
        return reply.status(201).send(await temporal.workflow.getHandle(workflowIdFor(id)).executeUpdate(startedUpdate));
      }
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new HttpError(409, 'id_taken', `Kesepakatan dengan id "${id}" sudah ada.`, 'id');
      throw fromTemporal(err);
    }
  });

  const listBody = Type.Object({ items: Type.Array(SummaryBody), nextCursor: Type.Union([Type.String(), Type.Null()]) });
  app.get('/v1/agreements', { schema: { tags: ['agreements'], querystring: ListQuery, response: { 200: listBody, ...READ_ERRORS } } }, async (request) => {
    const principal = requireAccess(request, 'read');
    const q = request.query;
    const today = localDate(Date.now(), 'Asia/Jakarta');
    const page = await listViews(db, {
      ...(q.stage ? { stage: q.stage } : {}),
      ...(q.instrument ? { instrument: q.instrument } : {}),
      ...(q.partyId ? { partyIds: [q.partyId] } : {}),
      visiblePartyIds: await visibleParties(db, principal),
      ...(q.parentId ? { parentId: q.parentId } : {}),
      ...(q.overdue ? { overdueOn: today } : {}),
      ...(q.q ? { q: q.q } : {}),
      limit: q.limit ?? 50,
      ...(q.cursor ? { cursor: decodeCursor(q.cursor) } : {}),
    });
    return { items: page.items.map((v) => toSummary(v, today)), nextCursor: page.next ? encodeCursor(page.next) : null };
  });

  app.get('/v1/agreements/:id', { schema: { tags: ['agreements'], params: AgreementParams, querystring: ViewQuery, response: { 200: ViewBody, ...READ_ERRORS } } }, async (request) => {
    const principal = requireAccess(request, 'read');
    await loadVisibleAgreement(db, principal, request.params.id);
    if (request.query.live) {
      try {
        return await withChildren(db, await temporal.workflow.getHandle(workflowIdFor(request.params.id)).query(viewQuery));
      } catch (err) {
        request.log.warn({ agreementId: request.params.id, err: (err as Error).message }, 'live view unavailable; answering from the projection');
      }
    }
    return readView(db, request.params.id);
  });

  const eventsSchema = { tags: ['agreements'], params: AgreementParams, querystring: EventsQuery, response: { 200: EventsBody, ...READ_ERRORS } };
  app.get('/v1/agreements/:id/events', { schema: eventsSchema }, async (request) => {
    const principal = requireAccess(request, 'read');
    await loadVisibleAgreement(db, principal, request.params.id);
    const limit = request.query.limit ?? 500;
    const rows = await db
      .selectFrom('events')
      .select(['version', 'type', 'data', 'metadata', 'recorded_at'])
      .where('stream_id', '=', request.params.id)
      .where('version', '>', request.query.after ?? 0)
      .orderBy('version')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        version: r.version, type: r.type, data: r.data, actor: (r.metadata as { actor?: unknown }).actor, recordedAt: r.recorded_at.toISOString(),
      })),
      nextAfter: rows.length > limit ? page.at(-1)!.version : null,
    };
  });

  app.get('/v1/agreements/:id/notifications', { schema: { tags: ['agreements'], params: AgreementParams, response: { 200: Type.Object({ items: Type.Array(Type.Object({}, { additionalProperties: true })) }), ...READ_ERRORS } } }, async (request) => {
    const principal = requireAccess(request, 'read');
    await loadVisibleAgreement(db, principal, request.params.id);
    const rows = await db.selectFrom('notifications').selectAll().where('agreement_id', '=', request.params.id).orderBy('created_at').orderBy('id').execute();
    return {
      items: rows.map((r) => ({
        id: r.id,
        template: r.template,
        to: r.to_addresses,
        cc: r.cc_addresses,
        subject: r.subject,
        status: r.status,
        messageId: r.message_id,
        attempts: r.attempts,
        ...(r.sent_at ? { sentAt: r.sent_at.toISOString() } : {}),
      })),
    };
  });
};
