// Single sign-on for a Pemda or the Kementerian with its own identity provider: OpenID Connect's code flow with
// PKCE, through openid-client, which checks state, nonce and the ID token's signature, issuer, audience and
// expiry. The verified e-mail must belong to a directory contact or an operator.
import { returnTarget } from './return-to.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import * as oidc from 'openid-client';
import { Type } from 'typebox';
import type { Database } from '../../schema/database.js';
import { findPerson } from '../../services/people.js';
import { startSession, type SessionSettings } from '../../services/sessions.js';
import { html, type Html } from './html.js';
import { page } from './layout.js';
import { attempt } from './kit.js';

export interface SsoSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Operators (admins, viewers) who may sign in through the provider; any other operator uses the e-mail link. */
  operators?: string[];
}

export interface SsoDeps extends SsoSettings {
  db: Kysely<Database>;
  /** The dashboard's public address; without it, the address the request came to. */
  publicUrl: string;
  settings: SessionSettings;
  secureCookies: boolean;
  sessionCookie: string;
}

/** What the browser keeps between leaving for the provider and coming back: this flow's own secrets. */
const FLOW_COOKIE = 'sinergi_sso';
const FlowQuery = Type.Object({}, { additionalProperties: true });

interface Flow {
  verifier: string;
  state: string;
  nonce: string;
}

/** The flow the sign-in started with, from its cookie; none when the cookie is missing or not ours. */
function flowOf(cookie: string | undefined): Flow | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cookie ?? '', 'base64url').toString());
    const f = value as Partial<Flow> | null;
    return f && typeof f.verifier === 'string' && typeof f.state === 'string' && typeof f.nonce === 'string'
      ? { verifier: f.verifier, state: f.state, nonce: f.nonce }
      : undefined;
  } catch {
    return undefined;
  }
}

export function ssoRoutes(deps: SsoDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const hidden = { hide: true } as const;
    let discovered: Promise<oidc.Configuration> | undefined;
    // Discovered at the first sign-in, not at start-up: the API starts even while the provider is away.
    const configuration = () => {
      const insecure = deps.issuer.startsWith('http://') ? { execute: [oidc.allowInsecureRequests] } : undefined;
      discovered ??= oidc
        .discovery(new URL(deps.issuer), deps.clientId, deps.clientSecret, undefined, insecure)
        .catch((err: unknown) => {
          discovered = undefined;
          throw err;
        });
      return discovered;
    };
    const base = (request: FastifyRequest) =>
      deps.publicUrl || `${request.protocol}://${request.headers.host ?? 'localhost'}`;
    const redirectUri = (request: FastifyRequest) => `${base(request)}/masuk/sso/kembali`;
    const show = (reply: FastifyReply, status: number, title: string, body: Html) =>
      reply.status(status).type('text/html; charset=utf-8').send(page(title, body));
    const cookie = { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, path: '/masuk/sso' } as const;

    app.get('/masuk/sso', { schema: hidden }, async (request, reply) => {
      const config = await configuration();
      const flow: Flow = {
        verifier: oidc.randomPKCECodeVerifier(),
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri(request),
        scope: 'openid email',
        code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      reply.setCookie(FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), { ...cookie, maxAge: 600 });
      return reply.redirect(url.href, 303);
    });

    app.get('/masuk/sso/kembali', { schema: { ...hidden, querystring: FlowQuery } }, async (request, reply) => {
      const refuse = (status: number, title: string, message: string) =>
        show(
          reply,
          status,
          title,
          html`<h1>${title}</h1><section><p role="alert">${message}</p><p><a href="/masuk">Halaman masuk</a></p>
</section>`,
        );
      const flow = flowOf(request.cookies[FLOW_COOKIE]);
      if (!flow) return refuse(400, 'Masuk dengan SSO gagal', 'Mulai lagi dari halaman masuk, di peramban yang sama.');
      reply.clearCookie(FLOW_COOKIE, { path: '/masuk/sso' });
      // The provider's answer checked (state, nonce, PKCE) and its claims read; a bad answer is the sender's fault.
      const answered = await attempt(
        async () => {
          const config = await configuration();
          const tokens = await oidc.authorizationCodeGrant(config, new URL(request.url, base(request)), {
            pkceCodeVerifier: flow.verifier,
            expectedState: flow.state,
            expectedNonce: flow.nonce,
            idTokenExpected: true,
          });
          const idToken = tokens.claims()!;
          // Many providers put the e-mail in the UserInfo answer, not the ID token: ask for it, for the same subject.
          return typeof idToken['email'] === 'string'
            ? idToken
            : await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
        },
        (err) => {
          request.log.info({ err: (err as Error).message }, 'single sign-on refused');
          return { status: 400, message: 'Jawaban penyedia identitas tidak sah atau sudah kedaluwarsa.' };
        },
      );
      if (!answered.ok) {
        return refuse(
          400,
          'Masuk dengan SSO gagal',
          'Jawaban penyedia identitas tidak sah atau sudah kedaluwarsa. Mulai lagi dari halaman masuk.',
        );
      }
      const claims: Record<string, unknown> = answered.value;
      const email =
        typeof claims['email'] === 'string' && claims['email_verified'] === true ? claims['email'] : undefined;
      const person = email ? await findPerson(deps.db, email) : undefined;
      if (!person) {
        request.log.info('single sign-on for an address not in the directory');
        return refuse(
          403,
          'Alamat tidak terdaftar',
          `Alamat ${email ?? '(tanpa e-mail terverifikasi)'} tidak terdaftar di Sinergi. Minta admin atau Bagian ` +
            `Kerja Sama menambahkannya ke direktori.`,
        );
      }
      // Whoever runs the provider can vouch for any address: an operator's only where the operator listed it.
      if (person.role !== 'party' && !(deps.operators ?? []).includes(person.email)) {
        request.log.warn('single sign-on refused for an operator not listed in SINERGI_OIDC_OPERATORS');
        return refuse(
          403,
          'Masuk dengan SSO tidak diizinkan',
          'Akun operator tidak dapat masuk lewat SSO. Masuklah dengan tautan e-mail.',
        );
      }
      const id = await startSession(deps.db, person.email, String(request.headers['user-agent'] ?? ''), deps.settings);
      reply.setCookie(deps.sessionCookie, id, {
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.secureCookies,
        path: '/',
        maxAge: deps.settings.lifetimeDays * 86_400,
      });
      request.log.info({ email: person.email }, 'signed in with single sign-on');
      return reply.redirect(returnTarget(request, reply), 303);
    });
  };
}
