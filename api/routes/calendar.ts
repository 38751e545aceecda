// A party's calendar feed (iCalendar): its meetings, ceremonies and follow-up due dates, with the same UIDs as the
// e-mailed invitations, so an invitation and its feed entry are one event in Google Calendar or Outlook.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { Type } from 'typebox';
import { sql } from 'kysely';
import { addDays } from '../../domain/dates.js';
import { calendarEntries } from '../../domain/calendar-entries.js';
import type { AgreementView } from '../../domain/view.js';
import type { Cancellation } from '../../domain/types.js';
import { requireAccess } from '../auth.js';
import { HttpError } from '../errors.js';
import { createFeed, feedOpens, listFeeds, revokeFeeds } from '../../services/calendar-feeds.js';
import { ErrorBody, Id, Line, WRITE_ERRORS } from '../schemas/common.js';

const Params = Type.Object({ id: Id }, { additionalProperties: false });
const FeedQuery = Type.Object({ feed: Line(200, 10) }, { additionalProperties: false });
const ICalendar = { description: 'iCalendar (RFC 5545)', content: { 'text/calendar': { schema: Type.String() } } };
/** A called-off meeting or ceremony stays in the feed this long, cancelled, so subscribed calendars drop it. */
export const CANCELLED_KEPT_DAYS = 30;

export function partyCalendar(partyId: string, agreements: AgreementView[], now = Date.now()): string {
  const calendar = ical({
    name: `Sinergi — ${partyId}`,
    prodId: { company: 'Sinergi', product: 'sinergi', language: 'ID' },
    method: ICalCalendarMethod.PUBLISH,
  });
  const kept = (cancelled?: Cancellation) =>
    !cancelled || now - Date.parse(cancelled.at) <= CANCELLED_KEPT_DAYS * 86_400_000;
  for (const a of agreements) {
    const stamp = new Date(a.updatedAt);
    for (const e of calendarEntries(a, (owner) => owner === partyId)) {
      if (e.kind === 'follow_up') {
        const start = new Date(`${e.due}T00:00:00Z`);
        calendar.createEvent({
          id: e.uid,
          allDay: true,
          start,
          end: new Date(`${addDays(e.due, 1)}T00:00:00Z`),
          summary: e.summary,
          description: e.description,
          stamp,
        });
        continue;
      }
      if (!kept(e.cancelled)) continue;
      const start = new Date(e.start);
      calendar.createEvent({
        id: e.uid,
        sequence: e.sequence,
        start,
        end: new Date(start.getTime() + e.durationMinutes * 60_000),
        summary: e.summary,
        location: e.location,
        stamp,
        ...(e.cancelled ? { status: ICalEventStatus.CANCELLED } : {}),
      });
    }
  }
  return calendar.toString();
}

export const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  const FeedBody = Type.Object({
    id: Type.String(),
    url: Type.String(),
    expiresAt: Type.String({ format: 'date-time' }),
  });
  const created = {
    tags: ['parties'],
    summary: 'Buat tautan langganan kalender (berlaku SINERGI_FEED_DAYS hari)',
    params: Params,
    response: { 201: FeedBody, ...WRITE_ERRORS },
  };
  app.post('/v1/parties/:id/calendar-feeds', { schema: created }, async (request, reply) =>
    reply
      .status(201)
      .send(await createFeed(db, requireAccess(request, 'act'), request.params.id, app.publicUrl, app.feedDays)),
  );

  const FeedList = Type.Object({
    items: Type.Array(
      Type.Object({
        id: Type.String(),
        createdAt: Type.String({ format: 'date-time' }),
        createdBy: Type.Union([Type.String(), Type.Null()]),
        creatorKind: Type.Union([Type.Literal('token'), Type.Literal('person'), Type.Null()]),
        expiresAt: Type.String({ format: 'date-time' }),
        ageDays: Type.Integer(),
      }),
    ),
  });
  const listed = {
    tags: ['parties'],
    summary: 'Daftar tautan langganan kalender yang masih berlaku, dengan pembuat dan masa berlakunya',
    params: Params,
    response: { 200: FeedList, ...WRITE_ERRORS },
  };
  app.get('/v1/parties/:id/calendar-feeds', { schema: listed }, async (request) => ({
    items: await listFeeds(db, requireAccess(request, 'act'), request.params.id),
  }));

  const revoked = {
    tags: ['parties'],
    summary: 'Cabut semua tautan langganan kalender pihak ini',
    params: Params,
    response: { 200: Type.Object({ revoked: Type.Number() }), ...WRITE_ERRORS },
  };
  app.post('/v1/parties/:id/calendar-feeds/revoke', { schema: revoked }, async (request) => ({
    revoked: await revokeFeeds(db, requireAccess(request, 'act'), request.params.id),
  }));

  const FeedParams = Type.Object({ id: Id, feedId: Line(40) }, { additionalProperties: false });
  const revokedOne = {
    tags: ['parties'],
    summary: 'Cabut satu tautan langganan kalender',
    params: FeedParams,
    response: { 200: Type.Object({ revoked: Type.Number() }), ...WRITE_ERRORS },
  };
  app.post('/v1/parties/:id/calendar-feeds/:feedId/revoke', { schema: revokedOne }, async (request) => ({
    revoked: await revokeFeeds(db, requireAccess(request, 'act'), request.params.id, request.params.feedId),
  }));

  // No bearer header here: the feed token in the URL is the credential (checked, hashed, revocable).
  app.get(
    '/v1/parties/:id/calendar.ics',
    {
      config: { public: true },
      schema: {
        tags: ['parties'],
        summary: 'Umpan kalender (iCalendar) pihak',
        params: Params,
        querystring: FeedQuery,
        security: [],
        response: { 200: ICalendar, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      if (!(await feedOpens(db, request.query.feed, request.params.id))) {
        throw new HttpError(
          401,
          'unauthenticated',
          'Tautan kalender tidak dikenal, sudah dicabut, atau token pembuatnya sudah tidak berlaku.',
        );
      }
      // Ended agreements too, for a while: what they called off must reach subscribed calendars as cancelled.
      const rows = await db
        .selectFrom('agreements')
        .select('view')
        .where(sql<boolean>`${request.params.id} = any(party_ids)`)
        .where((eb) =>
          eb.or([
            eb('stage', '!=', 'ended'),
            eb('updated_at', '>', new Date(Date.now() - CANCELLED_KEPT_DAYS * 86_400_000)),
          ]),
        )
        .execute();
      return reply.type('text/calendar; charset=utf-8').send(
        partyCalendar(
          request.params.id,
          rows.map((r) => r.view),
        ),
      );
    },
  );
};
