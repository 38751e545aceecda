// Open follow-ups across agreements, overdue first: the "tenggat" list.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { openFollowUps } from '../../services/follow-ups.js';
import { requireAccess } from '../auth.js';
import { FollowUpListQuery } from '../schemas/agreements.js';
import { READ_ERRORS } from '../schemas/common.js';

const Item = Type.Object({}, { additionalProperties: true });

export const followUpRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const schema = {
    tags: ['follow-ups'],
    querystring: FollowUpListQuery,
    response: { 200: Type.Object({ items: Type.Array(Item) }), ...READ_ERRORS },
  };
  app.get('/v1/follow-ups', { schema }, async (request) => ({
    items: await openFollowUps(app.db, requireAccess(request, 'read'), {
      ...request.query,
      limit: request.query.limit ?? 200,
    }),
  }));
};
