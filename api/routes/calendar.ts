// A party's calendar feed (iCalendar): its meetings, ceremonies and follow-up due dates, with the same UIDs as the
// e-mailed invitations, so an invitation and its feed entry are one event in Google Calendar or Outlook.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { randomBytes, randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import { sql } from 'kysely';
import { addDays } from '../../domain/dates.js';
import { MEETING_KIND_LABEL } from '../../domain/labels.js';
import { meetingUid, signingUid } from '../../domain/notifications.js';
import type { AgreementView } from '../../domain/view.js';
import type { AppDeps } from '../app.js';
import { hashToken, requireAccess } from '../auth.js';
import { HttpError, notFound } from '../errors.js';
import { ErrorBody, Id, Line, WRITE_ERRORS } from '../schemas/common.js';
import { visibleParties } from '../../services/access.js';

const Params = Type.Object({ id: Id }, { additionalProperties: false });
const FeedQuery = Type.Object({ feed: Line(200, 10) }, { additionalProperties: false });
const ICalendar = { description: 'iCalendar (RFC 5545)', content: { 'text/calendar': { schema: Type.String() } } };
export const followUpUid = (followUpId: string): string => `followup-${followUpId}@sinergi`;

export function partyCalendar(partyId: string, agreements: AgreementView[]): string {
  const calendar = ical({ name: `Sinergi — ${partyId}`, prodId: { company: 'Sinergi', product: 'sinergi', language: 'ID' }, method: ICalCalendarMethod.PUBLISH });
  for (const a of agreements) {
    for (const m of a.meetings) {
      const start = new Date(m.at);
      calendar.createEvent({ id: meetingUid(m.id), sequence: 0, start, end: new Date(start.getTime() + 2 * 3_600_000), summary: `${MEETING_KIND_LABEL[m.kind]}: ${a.title}`, location: m.venue, stamp: new Date(a.updatedAt) });
    }
    if (a.signing && !a.signing.signedAt) {
      const start = new Date(a.signing.at);
      calendar.createEvent({ id: signingUid(a.id), sequence: a.signing.rescheduled, start, end: new Date(start.getTime() + 3 * 3_600_000), summary: `Penandatanganan: ${a.title}`, location: a.signing.venue, stamp: new Date(a.updatedAt) });
    }
    for (const f of a.followUps) {
      if (f.status !== 'open' || f.ownerPartyId !== partyId) continue;
      calendar.createEvent({ id: followUpUid(f.id), allDay: true, start: new Date(`${f.due}T00:00:00Z`), end: new Date(`${addDays(f.due, 1)}T00:00:00Z`), summary: `Batas tindak lanjut: ${f.title}`, description: a.title, stamp: new Date(a.updatedAt) });
    }
  }
  return calendar.toString();
}

export const calendarRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  const { db } = deps;

  async function requireOwnOrAdmin(request: Parameters<typeof requireAccess>[0], partyId: string) {
    const principal = requireAccess(request, 'act');
    const visible = await visibleParties(db, principal);
    if (visible && !visible.includes(partyId)) throw new HttpError(403, 'forbidden', 'Token ini tidak boleh mengelola kalender pihak lain.');
    if (!(await db.selectFrom('parties').select('id').where('id', '=', partyId).executeTakeFirst())) throw notFound(`Pihak "${partyId}"`);
  }

  app.post('/v1/parties/:id/calendar-feeds', { schema: { tags: ['parties'], summary: 'Buat tautan langganan kalender', params: Params, response: { 201: Type.Object({ id: Type.String(), url: Type.String() }), ...WRITE_ERRORS } } }, async (request, reply) => {
    await requireOwnOrAdmin(request, request.params.id);
    const token = `cal_${randomBytes(24).toString('base64url')}`;
    const id = `feed_${randomUUID().slice(0, 8)}`;
    await db.insertInto('calendar_feeds').values({ id, party_id: request.params.id, token_hash: hashToken(token), revoked_at: null }).execute();
    const base = deps.publicUrl ?? '';
    return reply.status(201).send({ id, url: `${base}/v1/parties/${encodeURIComponent(request.params.id)}/calendar.ics?feed=${token}` });
  });

  app.post('/v1/parties/:id/calendar-feeds/revoke', { schema: { tags: ['parties'], summary: 'Cabut semua tautan langganan kalender pihak ini', params: Params, response: { 200: Type.Object({ revoked: Type.Number() }), ...WRITE_ERRORS } } }, async (request) => {
    await requireOwnOrAdmin(request, request.params.id);
    const result = await db.updateTable('calendar_feeds').set({ revoked_at: new Date() }).where('party_id', '=', request.params.id).where('revoked_at', 'is', null).executeTakeFirst();
    return { revoked: Number(result.numUpdatedRows) };
  });

  // No bearer header here: the feed token in the URL is the credential (checked, hashed, revocable).
  app.get('/v1/parties/:id/calendar.ics', { schema: { tags: ['parties'], summary: 'Umpan kalender (iCalendar) pihak', params: Params, querystring: FeedQuery, security: [], response: { 200: ICalendar, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody } } }, async (request, reply) => {
    const feed = await db.selectFrom('calendar_feeds').select(['party_id', 'revoked_at']).where('token_hash', '=', hashToken(request.query.feed)).executeTakeFirst();
    if (!feed || feed.revoked_at || feed.party_id !== request.params.id) throw new HttpError(401, 'unauthenticated', 'Tautan kalender tidak dikenal atau sudah dicabut.');
    const rows = await db.selectFrom('agreements').select('view').where(sql<boolean>`${request.params.id} = any(party_ids)`).where('stage', '!=', 'ended').execute();
    return reply.type('text/calendar; charset=utf-8').send(partyCalendar(request.params.id, rows.map((r) => r.view as AgreementView)));
  });
};
