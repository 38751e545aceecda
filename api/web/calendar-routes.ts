// The calendar on the dashboard: a month of meetings, ceremonies and due dates, and each party's subscription
// links, made, listed and revoked.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { listParties, type Party } from '../../services/directory.js';
import { attempt, hidden, refusalOf, type PageKit, type Session } from './kit.js';
import { localDate } from '../../domain/dates.js';
import { createFeed, liveFeedsOf, revokeFeeds, type FeedItem } from '../../services/calendar-feeds.js';
import { monthEntries } from '../../services/calendar-month.js';
import { html } from './html.js';
import { calendarsPage, type CalendarShown } from './pages/calendars.js';
import { monthView } from './pages/month.js';
import { CalendarQuery, EmptyForm, FeedParams, PartyParams } from './schemas.js';

export function calendarPageRoutes(kit: PageKit): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { send, sessionOf, guarded } = kit;
    const routes = {
      calendars: { ...guarded, schema: { ...hidden, querystring: CalendarQuery } },
      feed: { ...guarded, schema: { ...hidden, params: PartyParams, body: EmptyForm } },
      oneFeed: { ...guarded, schema: { ...hidden, params: FeedParams, body: EmptyForm } },
    };
    const directory = async (): Promise<Party[]> => listParties(app.db);

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
      const made = await attempt(() => createFeed(app.db, session.principal, partyId, app.publicUrl, app.feedDays));
      if (!made.ok) {
        const body = html`<h1>Tidak dapat membuat tautan</h1><section><p>${made.refused.message}</p></section>`;
        return send(reply, made.refused.status, 'Kalender', body, session.principal);
      }
      const feed = made.value;
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
  };
}
