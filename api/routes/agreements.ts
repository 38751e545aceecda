// Starting agreements and reading them back: the view, the list, the audit trail, the e-mails.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireAccess } from '../auth.js';
import { decodeCursor, encodeCursor } from '../../services/agreement-reads.js';
import { idempotencyKeyOf } from '../idempotency.js';
import {
  AgreementInput,
  AgreementParams,
  EventsBody,
  EventsQuery,
  ListQuery,
  SummaryBody,
  ViewBody,
  ViewQuery,
} from '../schemas/agreements.js';
import { READ_ERRORS, WRITE_ERRORS } from '../schemas/common.js';

const Items = Type.Object({ items: Type.Array(Type.Object({}, { additionalProperties: true })) });
const ListBody = Type.Object({ items: Type.Array(SummaryBody), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const agreementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/agreements',
    { schema: { tags: ['agreements'], body: AgreementInput, response: { 201: ViewBody, ...WRITE_ERRORS } } },
    async (request, reply) => {
      const key = idempotencyKeyOf(request);
      const view = await app.agreements.start(
        requireAccess(request, 'act'),
        request.body,
        key ? { idempotencyKey: key } : {},
      );
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/v1/agreements',
    { schema: { tags: ['agreements'], querystring: ListQuery, response: { 200: ListBody, ...READ_ERRORS } } },
    async (request) => {
      const { cursor, limit, ...filters } = request.query;
      const page = await app.agreements.list(requireAccess(request, 'read'), {
        ...filters,
        limit: limit ?? 50,
        ...(cursor ? { cursor: decodeCursor(cursor) } : {}),
      });
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  const one = { tags: ['agreements'], params: AgreementParams };
  app.get(
    '/v1/agreements/:id',
    { schema: { ...one, querystring: ViewQuery, response: { 200: ViewBody, ...READ_ERRORS } } },
    async (request) =>
      app.agreements.read(requireAccess(request, 'read'), request.params.id, { live: request.query.live ?? false }),
  );

  app.get(
    '/v1/agreements/:id/events',
    { schema: { ...one, querystring: EventsQuery, response: { 200: EventsBody, ...READ_ERRORS } } },
    async (request) =>
      app.agreements.events(requireAccess(request, 'read'), request.params.id, {
        ...request.query,
        limit: request.query.limit ?? 500,
      }),
  );

  app.get(
    '/v1/agreements/:id/notifications',
    { schema: { ...one, response: { 200: Items, ...READ_ERRORS } } },
    async (request) => ({
      items: await app.agreements.notifications(requireAccess(request, 'read'), request.params.id),
    }),
  );
};
