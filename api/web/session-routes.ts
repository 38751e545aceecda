// Sesi aktif: where a person is signed in, ending one of their sessions, and an admin ending all of someone's.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { hidden, type PageKit } from './kit.js';
import { endSessionsOf, handleOf, listSessions } from '../../services/sessions.js';
import { HttpError } from '../errors.js';
import { sessionsPage } from './pages/sessions.js';
import { EmptyForm, EndSessionsForm, SessionParams, SessionsQuery } from './schemas.js';
import { SESSION_COOKIE } from './kit.js';

export function sessionPageRoutes(kit: PageKit): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { send, sessionOf, guarded } = kit;
    const routes = {
      sessions: { ...guarded, schema: { ...hidden, querystring: SessionsQuery } },
      endSession: { ...guarded, schema: { ...hidden, params: SessionParams, body: EmptyForm } },
      endSessionsOf: { ...guarded, schema: { ...hidden, body: EndSessionsForm } },
    };

    app.get('/sesi', routes.sessions, async (request, reply) => {
      const { principal } = sessionOf(request);
      const person = principal.kind === 'person';
      const id = request.cookies[SESSION_COOKIE];
      const items = person ? await listSessions(app.db, principal.id) : [];
      const opts = {
        admin: principal.role === 'admin',
        person,
        ...(request.query.ended !== undefined ? { ended: request.query.ended } : {}),
      };
      return send(reply, 200, 'Sesi aktif', sessionsPage(items, id ? handleOf(id) : undefined, opts), principal);
    });

    app.post('/sesi/:handle/akhiri', routes.endSession, async (request, reply) => {
      const { principal } = sessionOf(request);
      const ended = principal.kind === 'person' ? await endSessionsOf(app.db, principal.id, request.params.handle) : 0;
      request.log.info({ email: principal.id, ended }, 'session ended by its owner');
      const id = request.cookies[SESSION_COOKIE];
      if (id && handleOf(id) === request.params.handle) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.redirect('/masuk', 303);
      }
      return reply.redirect(`/sesi?ended=${ended}`, 303);
    });

    app.post('/sesi/orang', routes.endSessionsOf, async (request, reply) => {
      const { principal } = sessionOf(request);
      if (principal.role !== 'admin')
        throw new HttpError(403, 'forbidden', 'Hanya admin yang boleh mengakhiri sesi orang lain.');
      const ended = await endSessionsOf(app.db, request.body.email);
      request.log.info(
        { by: principal.id, email: request.body.email.toLowerCase(), ended },
        'sessions of a person ended by an admin',
      );
      return reply.redirect(`/sesi?ended=${ended}`, 303);
    });
  };
}
