// Signing in and out: the sign-in page with its own form token, sign-in by e-mailed link or by single sign-on,
// and signing out, which ends the session on the server.
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endSession } from '../../services/sessions.js';
import { hidden, SESSION_COOKIE, type PageKit } from './kit.js';
import { signInPage } from './pages/sign-in.js';
import { EmptyForm } from './schemas.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import type { SessionSettings } from '../../services/sessions.js';
import { emailSignInRoutes, type EmailSignInDeps } from './sign-in-by-email.js';
import { ssoRoutes, type SsoSettings } from './sign-in-sso.js';

/** The sign-in form's own token (see signInPage). */
const SIGN_IN_COOKIE = 'sinergi_masuk';

/** What signing in needs: the directory's database, the cookie rule, and the ways to sign in that are set up. */
export interface SignInDeps {
  db: Kysely<Database>;
  secureCookies: boolean;
  /** Signing in by e-mail link; without it the page offers single sign-on only, if set. */
  emailSignIn?: Pick<EmailSignInDeps, 'mailFrom' | 'publicUrl' | 'settings' | 'requestsPerMinute'>;
  /** Single sign-on with the organisation's OpenID provider. */
  sso?: SsoSettings & { publicUrl: string; settings: SessionSettings };
}

export function signInRoutes(kit: PageKit, deps: SignInDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { send } = kit;
    /** The sign-in form with a fresh form token, also set as a cookie (double submit: no sign-in from another site). */
    app.get('/masuk', { schema: hidden }, async (_request, reply) => {
      const formToken = randomBytes(18).toString('base64url');
      reply.setCookie(SIGN_IN_COOKIE, formToken, {
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.secureCookies,
        path: '/masuk',
        maxAge: 3600,
      });
      return send(
        reply,
        200,
        'Masuk',
        signInPage(formToken, { byEmail: deps.emailSignIn !== undefined, sso: deps.sso !== undefined }),
      );
    });

    if (deps.sso)
      await app.register(
        ssoRoutes({ ...deps.sso, db: deps.db, secureCookies: deps.secureCookies, sessionCookie: SESSION_COOKIE }),
      );
    if (deps.emailSignIn) {
      await app.register(
        emailSignInRoutes({
          ...deps.emailSignIn,
          db: deps.db,
          secureCookies: deps.secureCookies,
          sessionCookie: SESSION_COOKIE,
          formCookie: SIGN_IN_COOKIE,
        }),
      );
    }

    app.post('/keluar', { schema: { ...hidden, body: EmptyForm } }, async (request, reply) => {
      // Signing out ends the session on the server: the old cookie no longer works anywhere.
      const id = request.cookies[SESSION_COOKIE];
      if (id) await endSession(deps.db, id);
      request.log.info('signed out');
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/masuk', 303);
    });
  };
}
