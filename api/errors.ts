// One place maps every failure to `{ error: { code, message, field? } }`; a 5xx never shows its details.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Refusal, Refusal as HttpError } from '../services/errors.js';
import { SignatureRefusal } from '../services/documents/signed-copies.js';
import { isTextPattern } from './schemas/common.js';

export { Refusal as HttpError, notFound } from '../services/errors.js';

type ValidationError = NonNullable<FastifyError['validation']>[number];

// "body/parties/0/partyId" -> "parties[0].partyId"
function fieldOf(v: ValidationError | undefined, context: string | undefined): string | undefined {
  if (!v) return undefined;
  const path = v.instancePath.replace(/^\//, '').split('/').filter(Boolean);
  const extra =
    (v.params as Record<string, unknown>).missingProperty ?? (v.params as Record<string, unknown>).additionalProperty;
  if (typeof extra === 'string') path.push(extra);
  const field = path
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
  return field || context;
}

/** A schema's refusal, naming the field: the same for /v1 requests and for the dashboard's forms. */
// The field that says which shape of a union body a request means (`/signing`: a ceremony or an electronic round).
const DISCRIMINATOR = 'method';

/**
 * In a union body, the errors of the shape the request meant: the first branch that did not fail on the
 * discriminator. Without this, a bad date in an electronic round was reported as the ceremony's missing `at`.
 */
function ofMeantBranch(errors: ValidationError[]): ValidationError[] {
  // Errors outside the union's branches (a body-wide rule failing after the properties) are reported as before.
  if (!/^#\/anyOf\/\d+\//.test(errors[0]?.schemaPath ?? '')) return errors;
  const branches = new Map<string, ValidationError[]>();
  for (const e of errors) {
    const branch = /^#\/anyOf\/(\d+)\//.exec(e.schemaPath)?.[1];
    if (branch !== undefined) branches.set(branch, [...(branches.get(branch) ?? []), e]);
  }
  const onDiscriminator = (e: ValidationError) =>
    (e.params as { missingProperty?: string }).missingProperty === DISCRIMINATOR ||
    e.instancePath === `/${DISCRIMINATOR}`;
  return [...branches.values()].find((list) => !list.some(onDiscriminator)) ?? errors;
}

export function validationRefusal(errors: ValidationError[], context = 'body'): Refusal {
  const v = ofMeantBranch(errors)[0];
  const field = fieldOf(v, context);
  const message = `${context}: ${field ?? ''} ${describe(v)}`.replace(/\s+/g, ' ').trim();
  return new Refusal(400, 'invalid_input', message, field);
}

export const CONTROL_CHARACTER = 'contains a character that is not allowed (NUL or another control character)';
export const UNPAIRED_SURROGATE = 'contains an unpaired UTF-16 surrogate, which is not text';

function describe(v: ValidationError | undefined): string {
  const params = (v?.params ?? {}) as Record<string, unknown>;
  if (params.additionalProperty) return 'is not a known field';
  // The shared text patterns: say which characters, not the regular expression.
  if (v?.keyword === 'pattern' && isTextPattern(params.pattern)) {
    return CONTROL_CHARACTER;
  }
  return v?.message ?? 'is invalid';
}

export function installErrorHandler(app: FastifyInstance): void {
  const allowed = methodsByPath(app);
  const methodNotAllowed = (request: FastifyRequest, reply: FastifyReply, methods: string[]) => {
    const path = request.url.split('?')[0] ?? '';
    return reply
      .status(405)
      .header('allow', methods.join(', '))
      .send({
        error: {
          code: 'method_not_allowed',
          message: `${request.method} tidak tersedia di ${path}; gunakan ${methods.join(', ')}.`,
        },
      });
  };
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // A method no route has (e.g. QUERY, whose body fails before routing) on a known path is still a 405.
    if (request.is404) {
      const methods = allowed(request.url.split('?')[0] ?? '');
      if (methods.length > 0) return methodNotAllowed(request, reply, methods);
    }
    if (error instanceof HttpError) {
      const reason = error instanceof SignatureRefusal ? { reason: error.reason } : {};
      return reply.status(error.statusCode).send({
        error: { code: error.code, ...reason, message: error.message, ...(error.field ? { field: error.field } : {}) },
      });
    }
    if (error.validation) {
      const refused = validationRefusal(error.validation, error.validationContext ?? 'body');
      return reply.status(400).send({
        error: { code: refused.code, message: refused.message, ...(refused.field ? { field: refused.field } : {}) },
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply
        .status(status)
        .send({ error: { code: error.code?.toLowerCase() ?? 'bad_request', message: error.message } });
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .status(500)
      .send({ error: { code: 'internal', message: 'Terjadi kesalahan di server; silakan coba lagi.' } });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const methods = allowed(path);
    if (methods.length > 0) return methodNotAllowed(request, reply, methods);
    return reply.status(404).send({ error: { code: 'not_found', message: `Tidak ada ${request.method} ${path}.` } });
  });
}

/** Remembers every route as it is added, to answer a known path with the wrong method by 405 and `Allow`. */
function methodsByPath(app: FastifyInstance): (path: string) => string[] {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = ([] as string[]).concat(route.method);
    const segments = route.url
      .split('/')
      .map((s) => (s.startsWith(':') ? '[^/]+' : s === '*' ? '.*' : s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')));
    routes.push({ pattern: new RegExp(`^${segments.join('/')}/?$`), methods });
  });
  return (path) => {
    const found = new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods));
    if (found.has('GET')) found.add('HEAD');
    return [...found].sort();
  };
}
