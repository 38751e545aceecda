// Open follow-ups across agreements, overdue first: the "tenggat" list, answered from the projections.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sql } from 'kysely';
import { localDate } from '../../domain/dates.js';
import type { AppDeps } from '../app.js';
import { requireAccess } from '../auth.js';
import { READ_ERRORS } from '../schemas/common.js';
import { FollowUpListQuery } from '../schemas/agreements.js';
import { visibleParties } from '../../services/access.js';

const Item = Type.Object({}, { additionalProperties: true });

export const followUpRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  const { db } = deps;
  app.get('/v1/follow-ups', { schema: { tags: ['follow-ups'], querystring: FollowUpListQuery, response: { 200: Type.Object({ items: Type.Array(Item) }), ...READ_ERRORS } } }, async (request) => {
    const principal = requireAccess(request, 'read');
    const q = request.query;
    const visible = await visibleParties(db, principal);
    // Overdue means the level-1 escalation day has come: the first working day after the due date.
    const today = localDate(Date.now(), 'Asia/Jakarta');
    let query = db
      .selectFrom(sql<{ agreement_id: string; title: string; stage: string; party_ids: string[]; fu: Record<string, unknown> }>`(
        select a.id as agreement_id, a.title, a.stage, a.party_ids, fu
        from agreements a, jsonb_array_elements(a.view->'followUps') fu
        where fu->>'status' = 'open'
      )`.as('f'))
      .selectAll();
    if (q.overdue) query = query.where(sql<boolean>`fu->>'overdueOn' <= ${today}`);
    if (q.partyId) query = query.where(sql<boolean>`(fu->>'ownerPartyId' = ${q.partyId} or ${q.partyId} = any(party_ids))`);
    if (visible) query = query.where(sql<boolean>`party_ids && ${visible}::text[]`);
    const rows = await query
      .orderBy(sql`(fu->>'overdueOn' <= ${today})`, 'desc')
      .orderBy(sql`fu->>'due'`)
      .orderBy('agreement_id')
      .limit(q.limit ?? 200)
      .execute();
    return {
      items: rows.map((r) => ({
        agreementId: r.agreement_id,
        agreementTitle: r.title,
        stage: r.stage,
        ...r.fu,
        overdue: String(r.fu.overdueOn) <= today,
      })),
    };
  });
};
