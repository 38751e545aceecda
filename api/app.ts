// The HTTP API: fastify with schema validation, OpenAPI, one error handler, bearer auth.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../schema/database.js';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { installAuth } from './auth.js';
import { DEFAULT_IDEMPOTENCY_HOURS, installIdempotency } from './idempotency.js';
import { installSessionSweep } from './session-sweep.js';
import { documentRoutes } from './routes/documents.js';
import { reportRoutes } from './routes/reports.js';
import type { MetricsSource } from '../infra/metrics.js';
import { installMetrics } from './metrics.js';
import { Registry } from 'prom-client';
import { HttpError, UNPAIRED_SURROGATE, installErrorHandler } from './errors.js';
import { unpairedSurrogateAt } from './schemas/common.js';
import { withLinks } from './openapi-links.js';
import { installServices } from './services.js';
import { agreementRoutes } from './routes/agreements.js';
import { calendarRoutes } from './routes/calendar.js';
import { commandRoutes } from './routes/commands.js';
import { devMailRoutes } from './routes/dev-mail.js';
import { followUpRoutes } from './routes/follow-ups.js';
import { healthRoutes } from './routes/health.js';
import { partyRoutes } from './routes/parties.js';
import { webRoutes } from './web/routes.js';
import { STYLE_HASH } from './web/layout.js';
import type { SsoSettings } from './web/sign-in-sso.js';
import type { ReadingLimits } from '../services/documents/reading/pool.js';
import { DEFAULT_SESSION_SETTINGS, type SessionSettings } from '../services/sessions.js';

/** The only page that may apply inline styles; no page runs an inline script. */
const DOCS_CSP = {
  'default-src': "'self'",
  'base-uri': "'self'",
  'font-src': "'self' data:",
  'frame-ancestors': "'self'",
  'img-src': "'self' data:",
  'object-src': "'none'",
  'script-src': "'self'",
  'script-src-attr': "'none'",
  'style-src': "'self' 'unsafe-inline'",
  'form-action': "'self'",
};

export interface AppDeps {
  db: Kysely<Database>;
  temporal: Client;
  adminToken?: string;
  log: Logger;
  bodyLimit?: number;
  /** Set by the local stack: the folder whose .eml files GET /dev/mail lists. */
  devMailDir?: string;
  /** Requests per minute per token; 0 or unset: no limit. */
  rateLimitPerMinute?: number;
  /** Refused tokens a minute per client address before 429; 0 or unset: not counted. */
  authFailuresPerMinute?: number;
  /** The sender of e-mail (SMTP is configured): people may ask for a sign-in link, which the worker sends. */
  mailFrom?: string;
  sessions?: SessionSettings;
  /** Single sign-on (OpenID Connect); the sign-in page offers it when set. */
  sso?: SsoSettings;
  /** Sign-in link requests a minute per address and per client address (default 5). */
  signInRequestsPerMinute?: number;
  /** How long a first answer is replayed to retries with the same Idempotency-Key (default 24 hours). */
  idempotencyHours?: number;
  /** Fastify's trustProxy: which proxies' X-Forwarded-For names the client (rate limits key on it). */
  trustProxy?: boolean | string;
  /** Origins allowed by CORS; empty or unset: CORS off. */
  corsOrigins?: string[];
  /** The bearer token a scraper sends for /metrics; without it /metrics answers only on loopback. */
  metricsToken?: string;
  /** Where /metrics reads from; a registry of its own when unset. */
  metrics?: MetricsSource;
  /** Base of links in e-mails; https here makes the dashboard's cookie Secure. */
  publicUrl?: string;
  /** The key that signs act-from-e-mail links; without it those links are refused. */
  linkSecret?: string;
  /** The largest document upload, in MB (default 25). */
  maxUploadMb?: number;
  /** The JSON template of generated first drafts; the one in config/templates when unset. */
  draftTemplate?: string;
  /** The CA certificates electronic signatures must chain to (SINERGI_TTE_TRUST_DIR). */
  tteTrustDir?: string;
  /** Days a calendar feed lives (default 180). */
  feedDays?: number;
  /** Limits of the document pool (threads, seconds and MB per job, XML MB a parser may see). */
  reading?: ReadingLimits;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as unknown as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit ?? 256 * 1024,
    trustProxy: deps.trustProxy ?? false,
    // E-mail links carry a signed token in the path.
    routerOptions: { maxParamLength: 600 },
    // A path that is not UTF-8 (e.g. an unpaired surrogate's bytes) is refused before any route sees it.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const field = error.code === 'FST_ERR_BAD_URL' ? 'path' : undefined;
      const message = field ? 'path: bukan percent-encoding UTF-8 yang sah.' : error.message;
      void reply.status(400).send({ error: { code: 'invalid_input', message, ...(field ? { field } : {}) } });
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandler(app);
  installServices(app, {
    db: deps.db,
    temporal: deps.temporal,
    log: deps.log,
    ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
    ...(deps.draftTemplate ? { draftTemplate: deps.draftTemplate } : {}),
    ...(deps.tteTrustDir ? { tteTrustDir: deps.tteTrustDir } : {}),
    ...(deps.feedDays ? { feedDays: deps.feedDays } : {}),
    ...(deps.reading ? { reading: deps.reading } : {}),
  });
  // The one character the schemas' patterns cannot see: an unpaired surrogate, which only a JSON escape can carry.
  app.addHook('preValidation', async (request) => {
    const field = unpairedSurrogateAt(request.body);
    if (field) throw new HttpError(400, 'invalid_input', `body: ${field} ${UNPAIRED_SURROGATE}`, field);
  });
  // JSON only: any other body is a 415, not a string that fails validation.
  app.removeContentTypeParser(['text/plain']);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Sinergi API',
        version: '1.0.0',
        description: 'Kesepakatan kerja sama Pemasyarakatan dan Pemerintah Daerah',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transformObject: (documentObject) =>
      'openapiObject' in documentObject ? withLinks(documentObject.openapiObject) : documentObject.swaggerObject,
  });
  // The OpenAPI page sets its own policy: its scripts are files, but its script sets inline styles as it draws.
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(helmet, {
    // Same-origin requests keep their Origin header (under no-referrer a browser sends "null"), which the
    // dashboard's forms are checked against; other sites still learn nothing of where a person came from.
    referrerPolicy: { policy: 'same-origin' },
    // Every page but /docs: no inline script at all, and only the dashboard's own style sheet.
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'", STYLE_HASH],
        'img-src': ["'self'", 'data:'],
        'form-action': ["'self'"],
      },
    },
  });
  if (deps.corsOrigins?.length) await app.register(cors, { origin: deps.corsOrigins, credentials: true });
  if (deps.rateLimitPerMinute) {
    await app.register(rateLimit, {
      max: deps.rateLimitPerMinute,
      timeWindow: 60_000,
      // After authentication: per principal, however its header is spelt, or per client address without one.
      hook: 'preValidation',
      keyGenerator: (request) => (request.principal ? `principal:${request.principal.id}` : `address:${request.ip}`),
      errorResponseBuilder: (_request, context) =>
        Object.assign(new Error(`Terlalu banyak permintaan; coba lagi dalam ${Math.ceil(context.ttl / 1000)} detik.`), {
          statusCode: 429,
          code: 'rate_limited',
        }),
    });
  }
  installMetrics(app, deps.metrics ?? { registry: new Registry() }, deps.metricsToken);
  installAuth(app, deps.db, deps.adminToken, deps.authFailuresPerMinute);
  installIdempotency(app, deps.db, deps.idempotencyHours ?? DEFAULT_IDEMPOTENCY_HOURS);
  installSessionSweep(app, deps.db, deps.sessions ?? DEFAULT_SESSION_SETTINGS);
  await app.register(healthRoutes);
  await app.register(partyRoutes);
  await app.register(agreementRoutes);
  await app.register(commandRoutes);
  await app.register(followUpRoutes);
  await app.register(calendarRoutes);
  await app.register(reportRoutes);
  await app.register(documentRoutes((deps.maxUploadMb ?? 25) * 1024 * 1024));
  if (deps.devMailDir) await app.register(devMailRoutes(deps.devMailDir));
  await app.register(cookie);
  await app.register(
    webRoutes({
      db: deps.db,
      ...(deps.adminToken ? { adminToken: deps.adminToken } : {}),
      ...(deps.linkSecret ? { linkSecret: deps.linkSecret } : {}),
      secureCookies: deps.publicUrl?.startsWith('https://') ?? false,
      maxUploadBytes: (deps.maxUploadMb ?? 25) * 1024 * 1024,
      ...(deps.sso
        ? { sso: { ...deps.sso, publicUrl: deps.publicUrl ?? '', settings: deps.sessions ?? DEFAULT_SESSION_SETTINGS } }
        : {}),
      ...(deps.mailFrom
        ? {
            emailSignIn: {
              mailFrom: deps.mailFrom,
              publicUrl: deps.publicUrl ?? '',
              settings: deps.sessions ?? DEFAULT_SESSION_SETTINGS,
              requestsPerMinute: deps.signInRequestsPerMinute ?? 5,
            },
          }
        : {}),
    }),
  );
  return app as unknown as FastifyInstance;
}
