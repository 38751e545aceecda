// Signing in as oneself: a person asks for a link by e-mail, opens it in the same browser, and gets a session.
// The answer never says whether an address is known; the link works once, for a short time, in that browser.
import { returnTarget } from './return-to.js';
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { messageIdDomain } from '../../infra/connections.js';
import type { Database } from '../../schema/database.js';
import {
  requestSignInLink,
  startSession,
  useSignInLink,
  type LinkUse,
  type SessionSettings,
} from '../../services/sessions.js';
import { FailureWindow } from '../auth-failures.js';
import { html, type Html } from './html.js';
import { page } from './layout.js';
import { confirmSignInPage, linkSentPage } from './pages/sign-in.js';
import { sameToken } from './csrf.js';
import { EmptyForm, SignInLinkForm, SignInLinkParams } from './schemas.js';

export interface EmailSignInDeps {
  db: Kysely<Database>;
  mailFrom: string;
  publicUrl: string;
  settings: SessionSettings;
  secureCookies: boolean;
  /** Link requests a minute per address and per client address. */
  requestsPerMinute: number;
  sessionCookie: string;
  formCookie: string;
}

/** The browser's own nonce: a link works only where this cookie is. */
const BROWSER_COOKIE = 'sinergi_peramban';

const REFUSED: Record<Exclude<LinkUse, { ok: true }>['reason'], [number, string, string]> = {
  unknown: [400, 'Tautan tidak sah', 'Tautan ini tidak dikenal. Minta tautan baru dari halaman masuk.'],
  used: [409, 'Tautan sudah dipakai', 'Tautan masuk hanya berlaku sekali. Minta tautan baru dari halaman masuk.'],
  expired: [410, 'Tautan kedaluwarsa', 'Masa berlaku tautan ini sudah habis. Minta tautan baru dari halaman masuk.'],
  other_browser: [
    403,
    'Peramban lain',
    'Tautan ini hanya berlaku di peramban tempat Anda memintanya. Buka di sana, atau minta tautan baru di sini.',
  ],
};

export function emailSignInRoutes(deps: EmailSignInDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const hidden = { hide: true } as const;
    const perAddress = new FailureWindow(deps.requestsPerMinute);
    const perClient = new FailureWindow(deps.requestsPerMinute);
    const show = (reply: FastifyReply, status: number, title: string, body: Html) =>
      reply.status(status).type('text/html; charset=utf-8').send(page(title, body));
    const cookie = { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies } as const;

    app.post('/masuk/tautan', { schema: { ...hidden, body: SignInLinkForm } }, async (request, reply) => {
      const { email, formToken } = request.body;
      // The sign-in page's double-submit token: the cookie it set must come back in the form.
      if (!request.cookies[deps.formCookie] || !sameToken(request.cookies[deps.formCookie]!, formToken)) {
        return show(
          reply,
          403,
          'Masuk',
          html`<h1>Formulir tidak dikenali</h1><section><p role="alert">Formulir masuk tidak berasal
dari halaman ini atau sudah kedaluwarsa.</p><p><a href="/masuk">Buka halaman masuk lagi</a></p></section>`,
        );
      }
      const address = email.trim().toLowerCase();
      const wait = Math.max(perAddress.retryAfter(address), perClient.retryAfter(request.ip));
      if (wait > 0) {
        void reply.header('retry-after', String(wait));
        return show(
          reply,
          429,
          'Terlalu sering',
          html`<h1>Terlalu sering</h1><section><p>Coba lagi dalam ${wait} detik.</p></section>`,
        );
      }
      perAddress.record(address);
      perClient.record(request.ip);
      const nonce = request.cookies[BROWSER_COOKIE] ?? randomBytes(24).toString('base64url');
      reply.setCookie(BROWSER_COOKIE, nonce, { ...cookie, path: '/masuk', maxAge: deps.settings.linkMinutes * 60 });
      // The link and its e-mail go into the outbox; the worker sends it. Known or not, the same answer.
      await requestSignInLink(deps.db, address, nonce, deps.settings, {
        from: deps.mailFrom,
        publicUrl: deps.publicUrl,
        messageIdDomain: messageIdDomain(deps.mailFrom),
      });
      request.log.info('sign-in link requested');
      return show(reply, 200, 'Periksa e-mail', linkSentPage(deps.settings.linkMinutes));
    });

    app.get('/masuk/tautan/:token', { schema: { ...hidden, params: SignInLinkParams } }, async (request, reply) =>
      show(reply, 200, 'Masuk', confirmSignInPage(request.params.token)),
    );

    app.post(
      '/masuk/tautan/:token',
      { schema: { ...hidden, params: SignInLinkParams, body: EmptyForm } },
      async (request, reply) => {
        const used = await useSignInLink(deps.db, request.params.token, request.cookies[BROWSER_COOKIE]);
        if (!used.ok) {
          request.log.info({ reason: used.reason }, 'sign-in link refused');
          const [status, title, message] = REFUSED[used.reason];
          return show(
            reply,
            status,
            title,
            html`<h1>${title}</h1><section><p>${message}</p><p><a href="/masuk">Halaman masuk</a></p></section>`,
          );
        }
        const id = await startSession(deps.db, used.email, String(request.headers['user-agent'] ?? ''), deps.settings);
        reply.clearCookie(BROWSER_COOKIE, { path: '/masuk' });
        reply.setCookie(deps.sessionCookie, id, { ...cookie, path: '/', maxAge: deps.settings.lifetimeDays * 86_400 });
        request.log.info({ email: used.email }, 'signed in');
        return reply.redirect(returnTarget(request, reply), 303);
      },
    );
  };
}
